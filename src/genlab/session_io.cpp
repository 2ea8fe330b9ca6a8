// Session save/load through the GenLab model file format (io/model_file.hpp), over the model's
// lists: every network's parameters, optimizer state and step count, then its extra state.
#include <cmath>
#include <stdexcept>

#include "genlab/io/model_file.hpp"
#include "genlab/io/model_tensors.hpp"
#include "genlab/session.hpp"

namespace genlab {
namespace {

std::string steps_name(const std::string& net) { return "opt." + net + ".steps"; }

// The step count drives Adam's bias correction; split so float keeps it exact up to 2⁴⁸.
void put_steps(io::ModelFile& f, const optim::Optimizer& opt, const std::string& net) {
  const auto steps = static_cast<double>(opt.steps());
  io::NamedTensor t;
  t.name = steps_name(net);
  t.shape = {2};
  t.values = {static_cast<float>(std::floor(steps / 16777216.0)), static_cast<float>(std::fmod(steps, 16777216.0))};
  f.tensors.push_back(std::move(t));
}

const io::NamedTensor& tensor(const io::ModelFile& f, const std::string& name) {
  for (const auto& t : f.tensors)
    if (t.name == name) return t;
  throw io::ModelFileError("the model file has no tensor '" + name + "'");  // check_tensors_match ran first
}

std::uint32_t u32(std::size_t n) {
  if (n > 0xffffffffu) throw std::invalid_argument("a tensor is too large for a model file");
  return static_cast<std::uint32_t>(n);
}

// Every tensor a model of this shape saves, by name and shape.
std::vector<io::TensorSpec> expected_tensors(models::Model& m) {
  std::vector<io::TensorSpec> want;
  for (const models::Network& n : m.networks()) {
    for (auto& s : io::param_specs(*n.params)) want.push_back(std::move(s));
    for (auto& s : io::optimizer_specs(*n.optimizer, "opt." + n.name, n.params->size())) want.push_back(std::move(s));
    want.push_back({steps_name(n.name), {2}});
  }
  for (const models::StateTensor& t : m.extra_state()) want.push_back({t.name, {u32(t.values->size())}});
  return want;
}

}  // namespace

std::vector<std::uint8_t> Session::save_model() const {
  if (!configured()) throw std::logic_error("save_model: nothing to save, configure and train first");
  io::ModelFile f;
  f.kind = cfg_.model;
  f.config = changed_assignments(cfg_);
  f.steps = steps_;
  for (const models::Network& n : model_->networks()) {
    io::add_params(f, *n.params);
    io::add_optimizer_state(f, *n.optimizer, "opt." + n.name, n.params->size());
    put_steps(f, *n.optimizer, n.name);
  }
  for (const models::StateTensor& t : model_->extra_state()) {
    io::NamedTensor nt;
    nt.name = t.name;
    nt.shape = {u32(t.values->size())};
    nt.values.assign(t.values->begin(), t.values->end());
    f.tensors.push_back(std::move(nt));
  }
  return io::write_model_file(f);
}

void Session::load_model(const std::uint8_t* bytes, std::size_t n) {
  const io::ModelFile f = io::read_model_file(bytes, n);
  // Build the run the file describes aside (data included: throws, leaving the session as it
  // was, when the file's data set is missing), check every tensor by name and shape — none
  // missing, none extra — and fill the new model; the session changes only once all of it worked.
  Run run = prepare(io::config_of(f));
  models::Model& m = *run.model;
  io::check_tensors_match(f, expected_tensors(m));
  for (const models::Network& net : m.networks()) {
    io::load_params(f, *net.params);
    io::load_optimizer_state(f, *net.optimizer, "opt." + net.name, net.params->size());
    const io::NamedTensor& t = tensor(f, steps_name(net.name));
    const double steps = static_cast<double>(t.values[0]) * 16777216.0 + static_cast<double>(t.values[1]);
    if (!(steps >= 0 && steps < 9.0e15 && steps == std::floor(steps)))
      throw io::ModelFileError("tensor '" + t.name + "' does not hold a step count");
    net.optimizer->set_steps(static_cast<long long>(steps));
  }
  for (const models::StateTensor& st : m.extra_state()) {
    const io::NamedTensor& t = tensor(f, st.name);
    std::copy(t.values.begin(), t.values.end(), st.values->begin());
  }
  commit(std::move(run), f.steps);
  checkpoint();  // the loaded model is the new last good state
}

}  // namespace genlab
