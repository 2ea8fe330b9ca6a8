#include "genlab/io/model_tensors.hpp"

#include <algorithm>
#include <limits>

namespace genlab::io {

namespace {

// A ParamStore shape as stored in a file.
std::vector<std::uint32_t> file_shape(const ParamStore::Entry& e) {
  std::vector<std::uint32_t> s;
  for (std::size_t d : e.shape) {
    if (d > std::numeric_limits<std::uint32_t>::max())
      throw std::invalid_argument("tensor '" + e.name + "' has a dimension too large for a model file");
    s.push_back(static_cast<std::uint32_t>(d));
  }
  return s;
}

// The file's tensor called `name`, or nullptr.
const NamedTensor* find(const ModelFile& file, const std::string& name) {
  for (const NamedTensor& t : file.tensors)
    if (t.name == name) return &t;
  return nullptr;
}

// Every spec present with its shape (the file may hold more: check_tensors_match judges extras).
std::vector<const NamedTensor*> require(const ModelFile& file, const std::vector<TensorSpec>& specs) {
  std::vector<const NamedTensor*> found;
  for (const TensorSpec& s : specs) {
    const NamedTensor* t = find(file, s.first);
    if (!t)
      throw ModelFileError("the model file has no tensor '" + s.first + "' (the config needs " +
                           shape_string(s.second) + ")");
    if (t->shape != s.second)
      throw ModelFileError("tensor '" + s.first + "' has " + shape_string(t->shape) + " values, the config needs " +
                           shape_string(s.second));
    found.push_back(t);
  }
  return found;
}

// Appends copies of the referenced tensors.
void append_copies(ModelFile& file, const ModelFileRef& refs) {
  for (const TensorRef& t : refs.tensors) {
    NamedTensor n{t.name, t.shape, std::vector<float>(t.count, 0.0f)};
    if (t.values) std::copy(t.values, t.values + t.count, n.values.begin());
    file.tensors.push_back(std::move(n));
  }
}

std::string state_name(const std::string& prefix, std::size_t i) { return prefix + "." + std::to_string(i); }

}  // namespace

std::vector<TensorSpec> param_specs(const ParamStore& store) {
  std::vector<TensorSpec> specs;
  for (std::size_t i = 0; i < store.count(); ++i) specs.emplace_back(store.entry(i).name, file_shape(store.entry(i)));
  return specs;
}

void add_params(ModelFileRef& file, const ParamStore& store) {
  if (!store.finalized()) throw std::logic_error("add_params: the ParamStore is not finalized");
  for (std::size_t i = 0; i < store.count(); ++i) {
    const ParamStore::Entry& e = store.entry(i);
    file.tensors.push_back({e.name, file_shape(e), store.value(i), e.size});
  }
}

void add_params(ModelFile& file, const ParamStore& store) {
  ModelFileRef refs;
  add_params(refs, store);
  append_copies(file, refs);
}

void load_params(const ModelFile& file, ParamStore& store) {
  if (!store.finalized()) throw std::logic_error("load_params: the ParamStore is not finalized");
  const std::vector<const NamedTensor*> found = require(file, param_specs(store));
  for (std::size_t i = 0; i < found.size(); ++i) std::copy(found[i]->values.begin(), found[i]->values.end(), store.value(i));
}

std::vector<TensorSpec> optimizer_specs(optim::Optimizer& opt, const std::string& prefix, std::size_t store_size) {
  if (store_size > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("optimizer_specs: store too large for a model file");
  std::vector<TensorSpec> specs;
  for (std::size_t i = 0; i < opt.state().size(); ++i)
    specs.push_back({state_name(prefix, i), {static_cast<std::uint32_t>(store_size)}});
  return specs;
}

void add_optimizer_state(ModelFileRef& file, optim::Optimizer& opt, const std::string& prefix, std::size_t store_size) {
  const std::vector<Tensor1*> state = opt.state();
  const std::vector<TensorSpec> specs = optimizer_specs(opt, prefix, store_size);
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (state[i]->size() != store_size && state[i]->size() != 0)
      throw std::logic_error("add_optimizer_state: '" + specs[i].first + "' holds " + std::to_string(state[i]->size()) +
                             " values, the store " + std::to_string(store_size));
    const float* v = state[i]->size() == store_size ? state[i]->data() : nullptr;  // nullptr: not stepped yet, zeros
    file.tensors.push_back({specs[i].first, specs[i].second, v, store_size});
  }
}

void add_optimizer_state(ModelFile& file, optim::Optimizer& opt, const std::string& prefix, std::size_t store_size) {
  ModelFileRef refs;
  add_optimizer_state(refs, opt, prefix, store_size);
  append_copies(file, refs);
}

void load_optimizer_state(const ModelFile& file, optim::Optimizer& opt, const std::string& prefix,
                          std::size_t store_size) {
  const std::vector<const NamedTensor*> found = require(file, optimizer_specs(opt, prefix, store_size));
  const std::vector<Tensor1*> state = opt.state();
  for (std::size_t i = 0; i < state.size(); ++i) {
    Tensor1 t = xt::zeros<float>({store_size});
    std::copy(found[i]->values.begin(), found[i]->values.end(), t.begin());
    *state[i] = std::move(t);
  }
}

bool config_of(const SafeTensors& file, Config& out) {
  const std::string* text = file.meta("genlab.config");
  if (!text) return false;
  Config c;
  for (std::size_t at = 0; at < text->size();) {
    const std::size_t end = std::min(text->find('\n', at), text->size());
    const std::string a = text->substr(at, end - at);
    try {
      apply_assignment(c, a);
    } catch (const std::exception& e) {
      throw SafetensorsError("the file's genlab.config entry '" + a + "': " + e.what());
    }
    at = end + 1;
  }
  try {
    validate(c);
  } catch (const std::exception& e) {
    throw SafetensorsError(std::string("the file's genlab.config: ") + e.what());
  }
  out = c;
  return true;
}

Config config_of(const ModelFile& file) {
  Config c;
  for (const std::string& a : file.config) {
    try {
      apply_assignment(c, a);
    } catch (const std::exception& e) {
      throw ModelFileError("model file config entry '" + a + "': " + e.what());
    }
  }
  try {
    validate(c);
  } catch (const std::exception& e) {
    throw ModelFileError(std::string("model file config: ") + e.what());
  }
  if (c.model != file.kind)
    throw ModelFileError("model file of kind '" + file.kind + "' has a config for model '" + c.model + "'");
  return c;
}

}  // namespace genlab::io
