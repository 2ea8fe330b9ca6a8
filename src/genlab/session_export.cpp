// The model's weights in and out as .safetensors with PyTorch's names (io/safetensors.hpp), for
// the generated PyTorch module (io/genlab_torch.py) and for training elsewhere. The tensors are
// the networks' parameters and buffers as PyTorch lays them out: "enc.0.W" is "enc.0.weight",
// "b" is "bias", a batch norm's "mean"/"var" are "running_mean"/"running_var". A model's extra
// state "ema.G" (the moving average of G's trained tensors) is "G_ema.<layer>.<weight|bias>".
#include <cmath>
#include <stdexcept>

#include "genlab/data/toy2d.hpp"
#include "genlab/io/model_file.hpp"
#include "genlab/io/model_tensors.hpp"
#include "genlab/io/quantize.hpp"
#include "genlab/io/safetensors.hpp"
#include "genlab/models/registry.hpp"
#include "genlab/session.hpp"
#include "genlab/version.hpp"

namespace genlab {
namespace {

using io::SafetensorsError;

// "enc.0.W" → "enc.0.weight" (the last part: W, b, mean, var).
std::string torch_name(const std::string& name, const std::string& prefix = "") {
  const std::size_t dot = name.rfind('.');
  const std::string last = name.substr(dot + 1), head = prefix.empty() ? name.substr(0, dot) : prefix + name.substr(name.find('.'), dot - name.find('.'));
  const char* t = last == "W" ? "weight" : last == "b" ? "bias" : last == "mean" ? "running_mean" : last == "var" ? "running_var" : nullptr;
  if (!t) throw std::logic_error("torch_name: a tensor '" + name + "' of no PyTorch kind");
  return head + "." + t;
}

// One tensor of the model as the exporter sees it: its PyTorch name and where its values live.
struct Slot {
  std::string name;
  std::vector<std::size_t> shape;
  float* values;
};

// Every tensor of the model, networks first (in store order), then extra state ("ema.G": the
// trained tensors of network G, laid out like G's values).
std::vector<Slot> slots(models::Model& m) {
  std::vector<Slot> out;
  const std::vector<models::Network> nets = m.networks();
  for (const models::Network& n : nets)
    for (std::size_t i = 0; i < n.params->count(); ++i) {
      const ParamStore::Entry& e = n.params->entry(i);
      out.push_back({torch_name(e.name), e.shape, n.params->value(i)});
    }
  for (const models::StateTensor& st : m.extra_state()) {
    const std::string of = st.name.rfind("ema.", 0) == 0 ? st.name.substr(4) : "";
    const models::Network* net = nullptr;
    for (const models::Network& n : nets)
      if (n.name == of) net = &n;
    if (!net || st.values->size() != net->params->size())
      throw std::logic_error("export: extra state '" + st.name + "' is not a moving average of a network");
    for (std::size_t i = 0; i < net->params->count(); ++i) {
      const ParamStore::Entry& e = net->params->entry(i);
      if (e.trainable) out.push_back({torch_name(e.name, of + "_ema"), e.shape, st.values->data() + e.offset});
    }
  }
  return out;
}

std::string shape_text(const std::vector<std::size_t>& s) {
  std::string t;
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? "×" : "") + std::to_string(s[i]);
  return t.empty() ? "scalar" : t;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> Session::export_metadata() const {
  std::string conf;
  for (const std::string& a : changed_assignments(cfg_)) conf += (conf.empty() ? "" : "\n") + a;
  return {{"genlab.format", "1"},
          {"genlab.version", kVersion},
          {"genlab.config", conf},
          {"genlab.spec", model_->arch().to_json()},
          {"genlab.step", std::to_string(steps_)},
          {"genlab.settings", to_json(cfg_)}};  // every key, typed: for train.py
}

std::vector<std::uint8_t> Session::export_safetensors(bool half) const {
  if (!configured()) throw std::logic_error("export: nothing to export, configure a model first");
  std::vector<io::SafeTensorOut> out;
  for (const Slot& s : slots(*model_)) out.push_back({s.name, s.shape, s.values});
  return io::write_safetensors(out, export_metadata(), half ? io::Dtype::F16 : io::Dtype::F32);
}

std::vector<std::uint8_t> Session::export_checkpoint(int bits, const std::vector<std::pair<std::string, int>>& per_network) const {
  auto check = [](int b) {
    if (b < 2 || b > 8) throw std::invalid_argument("checkpoint bits must be 16 or in [2, 8]");
  };
  if (bits == 16 && per_network.empty()) return export_safetensors(true);
  check(bits);
  if (!configured()) throw std::logic_error("export: nothing to export, configure a model first");
  const std::vector<Slot> all = slots(*model_);
  auto has = [&](const std::string& n) {
    for (const Slot& s : all)
      if (s.name == n) return true;
    return false;
  };
  for (const auto& [net, b] : per_network) {  // named as the tensors' first part: enc, dec, G_ema, D
    check(b);
    bool known = false;
    for (const Slot& s : all) known = known || s.name.compare(0, net.size() + 1, net + ".") == 0;
    if (!known) throw std::invalid_argument("checkpoint bits: the model has no network '" + net + "'");
  }
  io::Metadata meta = export_metadata();
  meta.push_back({io::kQuantKey, io::kQuantRows});
  bool from_ema = false;
  std::vector<io::RowQuantized> q;  // kept alive until written
  std::vector<std::string> scale_names;
  q.reserve(all.size());
  scale_names.reserve(all.size());
  std::vector<io::SafeTensorOut> out;
  for (const Slot& s : all) {
    if (s.name.rfind("G.", 0) == 0 && has("G_ema." + s.name.substr(2))) {  // G is set from G_ema on import
      from_ema = true;
      continue;
    }
    std::size_t count = 1;
    for (std::size_t d : s.shape) count *= d;
    const bool matrix = s.shape.size() >= 2 && count >= 1024 && s.name.size() > 7 &&
                        s.name.compare(s.name.size() - 7, 7, ".weight") == 0;
    if (!matrix) {
      out.push_back({s.name, s.shape, s.values});
      continue;
    }
    int b = bits;  // the network's own, if given ("D" for "D.0.weight", "G_ema" for "G_ema.2.weight")
    for (const auto& [net, nb] : per_network)
      if (s.name.compare(0, net.size() + 1, net + ".") == 0) b = nb;
    q.push_back(io::quantize_rows(s.values, s.shape[0], count / s.shape[0], b));
    scale_names.push_back(s.name + io::kScaleSuffix);
    out.push_back({s.name, s.shape, nullptr, q.back().q.data()});
    out.push_back({scale_names.back(), {s.shape[0]}, q.back().scale.data(), nullptr, true});
  }
  if (from_ema) meta.push_back({"genlab.g_from_ema", "1"});
  return io::write_safetensors(out, meta, io::Dtype::F16);
}

std::vector<std::uint8_t> Session::export_training_points(std::size_t n) const {
  if (!configured()) throw std::logic_error("export: configure a model first");
  if (is_image_dataset(cfg_.dataset))
    throw std::invalid_argument("training points are for the 2-D sets, not '" + cfg_.dataset + "'");
  if (cfg_.dataset == "points") {  // your own points, as they are
    const std::size_t m = rows(points_);
    const std::vector<float> y(m, 0.0f);
    return io::write_safetensors({{"x", {m, 2}, points_.data()}, {"y", {m, 1}, y.data()}}, {});
  }
  if (n == 0 || n > 1000000) throw std::invalid_argument("training points: n must be in [1, 1000000]");
  // A stream of its own (the seed's, mixed with "points"), apart from every stream training uses.
  Rng rng(static_cast<std::uint64_t>(cfg_.seed) * 0x9e3779b97f4a7c15ULL + 0x706f696e7473ULL, 0x65787072ULL);
  Tensor2 x({n, 2});
  std::vector<std::uint8_t> labels;
  if (dataset_classes(cfg_.dataset) > 0)
    sample_toy2d(cfg_.dataset, rng, x, labels);
  else
    sample_toy2d(cfg_.dataset, rng, x);
  std::vector<float> y(labels.begin(), labels.end());
  y.resize(n, 0.0f);
  return io::write_safetensors({{"x", {n, 2}, x.data()}, {"y", {n, 1}, y.data()}}, {});
}

void Session::import_safetensors(const std::uint8_t* bytes, std::size_t n) {
  io::SafeTensors f = io::read_safetensors(bytes, n);
  io::dequantize(f);
  // A compact checkpoint may leave out G's trained tensors: they are G's moving average's.
  const std::string* from_ema = f.meta("genlab.g_from_ema");
  if (from_ema && *from_ema != "1") throw SafetensorsError("the file's genlab.g_from_ema is '" + *from_ema + "', not '1'");
  auto source = [&](const std::string& name) -> const io::SafeTensorIn* {
    const io::SafeTensorIn* t = f.find(name);
    if (!t && from_ema && name.rfind("G.", 0) == 0) t = f.find("G_ema." + name.substr(2));
    return t;
  };
  // A GenLab file names its model; any other file loads into the model configured now.
  Config cfg;
  long long steps = 0;
  if (f.meta("genlab.config")) {
    const std::string* format = f.meta("genlab.format");
    if (!format || *format != "1")
      throw SafetensorsError("the file's GenLab format is " + (format ? "'" + *format + "'" : std::string("missing")) +
                             "; this GenLab reads format 1");
    io::config_of(f, cfg);
    const std::string* spec = f.meta("genlab.spec");
    if (!spec || *spec != models::arch_of(cfg).to_json())
      throw SafetensorsError("the file's genlab.spec does not describe the networks of its genlab.config");
    if (const std::string* st = f.meta("genlab.step")) {
      char* end = nullptr;
      const long long v = std::strtoll(st->c_str(), &end, 10);
      if (st->empty() || *end != '\0' || v < 0 || v > io::kMaxSteps)
        throw SafetensorsError("the file's genlab.step '" + *st + "' is not a step count");
      steps = v;
    }
  } else {
    if (!configured())
      throw SafetensorsError("this file has no GenLab metadata: configure the model it was trained for, then import it");
    cfg = cfg_;
  }
  // Before anything is allocated: the networks must fit in the values the file holds.
  std::uint64_t floats = 0;
  for (const io::SafeTensorIn& t : f.tensors)
    floats += t.values.size() * (from_ema && t.name.rfind("G_ema.", 0) == 0 ? 2 : 1);  // G_ema's serve G too
  if (const std::size_t need = parameter_count(cfg); need > floats)
    throw SafetensorsError("the file holds " + std::to_string(floats) + " values, but the model's networks have " +
                           std::to_string(need) + " parameters");
  Run run = prepare(cfg);
  const std::vector<Slot> want = slots(*run.model);
  // Every tensor the model has, by name, shape and a float type; nothing else (PyTorch's
  // "<batch norm>.num_batches_tracked" counters aside).
  for (const Slot& s : want) {
    if (from_ema && f.find(s.name) && s.name.rfind("G.", 0) == 0 && f.find("G_ema." + s.name.substr(2)))
      throw SafetensorsError("the file says G is set from G_ema, yet it holds '" + s.name + "'");
    const io::SafeTensorIn* t = source(s.name);
    if (!t) throw SafetensorsError("the file has no tensor '" + s.name + "' (the model needs " + shape_text(s.shape) + ")");
    if (t->dtype == io::Dtype::I64 || t->dtype == io::Dtype::I8)  // (I8 is read as weights only in a genlab.quant file)
      throw SafetensorsError("tensor '" + s.name + "' holds integers, not floats");
    if (t->shape != s.shape)
      throw SafetensorsError("tensor '" + s.name + "' is " + shape_text(t->shape) + ", the model needs " + shape_text(s.shape));
  }
  for (const io::SafeTensorIn& t : f.tensors) {
    bool known = false;
    for (const Slot& s : want) known = known || s.name == t.name;
    const std::string suffix = ".num_batches_tracked";
    const bool counter = t.dtype == io::Dtype::I64 && t.name.size() > suffix.size() &&
                         t.name.compare(t.name.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (!known && !counter) throw SafetensorsError("the file has a tensor '" + t.name + "' this model does not have");
  }
  for (const Slot& s : want) {
    const io::SafeTensorIn& t = *source(s.name);
    std::copy(t.values.begin(), t.values.end(), s.values);
  }
  commit(std::move(run), steps);
  checkpoint();  // the imported model is the new last good state
}

}  // namespace genlab
