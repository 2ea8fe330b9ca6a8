// Session save/load through the GenLab model file format (io/model_file.hpp), over the model's
// lists: every network's parameters, optimizer state and step count, then its extra state, then
// what the page shows of the run (the loss history and the epoch; optional, older files lack them).
#include <cmath>
#include <stdexcept>

#include "genlab/io/model_file.hpp"
#include "genlab/io/model_tensors.hpp"
#include "genlab/session.hpp"

namespace genlab {
namespace {

std::string steps_name(const std::string& net) { return "opt." + net + ".steps"; }

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

const char* const kHistSteps = "history.steps";    // (n): the mean step of each point
const char* const kHistValues = "history.values";  // (n, channels): point-major, as History
const char* const kHistSpan = "history.span";      // (1): steps per point
const char* const kEpochs = "data.epochs";         // (1): epochs of data seen (image data only)

const io::NamedTensor* find(const io::ModelFile& f, const std::string& name) {
  for (const auto& t : f.tensors)
    if (t.name == name) return &t;
  return nullptr;
}

// The optional tensors the file holds, with the shapes this model needs: the history as a
// whole (steps fix n; values need n × channels) and the epoch when the run has a batcher.
void optional_specs(const io::ModelFile& f, std::size_t channels, bool image_data, std::vector<io::TensorSpec>& want) {
  if (const io::NamedTensor* st = find(f, kHistSteps)) {
    if (st->shape.size() != 1)
      throw io::ModelFileError(std::string("tensor '") + kHistSteps + "' has " + io::shape_string(st->shape) +
                               " values, it needs one dimension");
    if (st->shape[0] > Session::kHistoryCapacity)
      throw io::ModelFileError(std::string("tensor '") + kHistSteps + "' has more than " +
                               std::to_string(Session::kHistoryCapacity) + " points");
    want.push_back({kHistSteps, {st->shape[0]}});
    want.push_back({kHistValues, {st->shape[0], u32(channels)}});
    want.push_back({kHistSpan, {1}});
  } else if (find(f, kHistValues) || find(f, kHistSpan)) {
    want.push_back({kHistSteps, {0}});  // reported as missing
  }
  if (image_data && find(f, kEpochs)) want.push_back({kEpochs, {1}});
}

}  // namespace

std::vector<std::uint8_t> Session::save_model() const {
  std::vector<std::uint8_t> bytes;
  save_model(bytes);
  return bytes;
}

void Session::save_model(std::vector<std::uint8_t>& out) const {
  if (!configured()) throw std::logic_error("save_model: nothing to save, configure and train first");
  // The tensors go to the file by reference: no copy of the model on the heap (see write_model_file).
  io::ModelFileRef f;
  f.kind = cfg_.model;
  f.config = changed_assignments(cfg_);
  f.steps = steps_;
  const std::vector<models::Network> nets = model_->networks();
  // The optimizer step counts, history span and epoch, referenced below: sized once, so the
  // pointers into it stay valid.
  std::vector<float> small(2 * nets.size() + 2);
  float* next = small.data();
  for (const models::Network& n : nets) {
    io::add_params(f, *n.params);
    io::add_optimizer_state(f, *n.optimizer, "opt." + n.name, n.params->size());
    // The step count drives Adam's bias correction; split so float keeps it exact up to 2⁴⁸.
    const auto steps = static_cast<double>(n.optimizer->steps());
    next[0] = static_cast<float>(std::floor(steps / 16777216.0));
    next[1] = static_cast<float>(std::fmod(steps, 16777216.0));
    f.tensors.push_back({steps_name(n.name), {2}, next, 2});
    next += 2;
  }
  for (const models::StateTensor& t : model_->extra_state())
    f.tensors.push_back({t.name, {u32(t.values->size())}, t.values->data(), t.values->size()});
  const std::size_t channels = history_.channels.size();
  std::vector<float> hist_steps;
  if (history_.size() > 0) {
    hist_steps.assign(history_.steps.begin(), history_.steps.end());
    f.tensors.push_back({kHistSteps, {u32(hist_steps.size())}, hist_steps.data(), hist_steps.size()});
    f.tensors.push_back({kHistValues, {u32(history_.size()), u32(channels)}, history_.values.data(),
                         history_.values.size()});
    *next = static_cast<float>(history_span_);
    f.tensors.push_back({kHistSpan, {1}, next++, 1});
  }
  if (batcher_) {
    *next = static_cast<float>(epoch());
    f.tensors.push_back({kEpochs, {1}, next++, 1});
  }
  // Room for the history at full length, so the buffer of a periodic save is allocated once:
  // the file's size with its history records swapped for full ones (null values: sizes only).
  const auto history_records = [&](std::size_t rows) {
    io::ModelFileRef h;
    if (rows > 0)
      h.tensors = {{kHistSteps, {u32(rows)}, nullptr, rows},
                   {kHistValues, {u32(rows), u32(channels)}, nullptr, rows * channels},
                   {kHistSpan, {1}, nullptr, 1}};
    return io::model_file_size(h);
  };
  out.reserve(io::model_file_size(f) - history_records(history_.size()) + history_records(kHistoryCapacity));
  io::write_model_file(f, out);
}

void Session::load_model(const std::uint8_t* bytes, std::size_t n) {
  const io::ModelFile f = io::read_model_file(bytes, n);
  // Build the run the file describes aside (data included: throws, leaving the session as it
  // was, when the file's data set is missing), check every tensor by name and shape — none
  // missing, none extra — and fill the new model; the session changes only once all of it worked.
  // Before anything is allocated: the config's networks must fit in the values the file holds (a
  // small file asking for 3000-wide layers used to grow the wasm heap by ~110 MiB, then fail).
  const Config cfg = io::config_of(f);
  validate(cfg);
  std::uint64_t floats = 0;
  for (const io::NamedTensor& t : f.tensors) floats += t.values.size();
  if (const std::size_t need = parameter_count(cfg); need > floats)
    throw io::ModelFileError("the model file holds " + std::to_string(floats) + " values, but its config's networks have " +
                             std::to_string(need) + " parameters");
  Run run = prepare(cfg);
  models::Model& m = *run.model;
  std::vector<io::TensorSpec> want = expected_tensors(m);
  const std::size_t channels = models::model_kind(run.cfg.model).channels.size();
  optional_specs(f, channels, run.batcher != nullptr, want);
  io::check_tensors_match(f, want);
  for (const models::Network& net : m.networks()) {
    io::load_params(f, *net.params);
    io::load_optimizer_state(f, *net.optimizer, "opt." + net.name, net.params->size());
    const io::NamedTensor& t = tensor(f, steps_name(net.name));
    const double steps = static_cast<double>(t.values[0]) * 16777216.0 + static_cast<double>(t.values[1]);
    if (!(steps >= 0 && steps <= static_cast<double>(io::kMaxSteps) && steps == std::floor(steps)))
      throw io::ModelFileError("tensor '" + t.name + "' does not hold a step count");
    net.optimizer->set_steps(static_cast<long long>(steps));
  }
  for (const models::StateTensor& st : m.extra_state()) {
    const io::NamedTensor& t = tensor(f, st.name);
    std::copy(t.values.begin(), t.values.end(), st.values->begin());
  }
  // What the page shows of the run, checked before anything changes.
  History hist;
  std::size_t span = 1;
  if (const io::NamedTensor* st = find(f, kHistSteps)) {
    const float sp = tensor(f, kHistSpan).values[0];
    // A power of two (the span only ever doubles) that 2048 points of it cannot overflow.
    if (!(sp >= 1 && sp <= 4.0e12f && std::exp2(std::round(std::log2(sp))) == sp))
      throw io::ModelFileError(std::string("tensor '") + kHistSpan + "' is not a power of two ≥ 1");
    span = static_cast<std::size_t>(sp);
    double prev = 0;
    for (float x : st->values) {
      // Float holds the mean step to ~7 digits: allow that much above the file's step count.
      if (!(x >= prev && x <= static_cast<double>(f.steps) * (1 + 1e-6) + 1))
        throw io::ModelFileError(std::string("tensor '") + kHistSteps + "' is not a rising list of steps up to " +
                                 std::to_string(f.steps));
      prev = x;
      hist.steps.push_back(x);
    }
    hist.values = tensor(f, kHistValues).values;
  }
  double epochs = 0;
  if (const io::NamedTensor* e = find(f, kEpochs); e && run.batcher) {
    epochs = e->values[0];
    if (!(epochs >= 0 && epochs <= 1.0e12)) throw io::ModelFileError(std::string("tensor '") + kEpochs + "' is not an epoch count");
  }
  commit(std::move(run), f.steps);
  history_.steps.assign(hist.steps.begin(), hist.steps.end());  // into the capacity commit reserved
  history_.values.assign(hist.values.begin(), hist.values.end());
  history_span_ = span;
  epochs_before_ = epochs;
  checkpoint();  // the loaded model is the new last good state
}

}  // namespace genlab
