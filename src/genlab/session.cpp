// Session: configuration, data, training and the loss history.
#include "genlab/session.hpp"

#include <cmath>
#include <stdexcept>

#include "genlab/data/datasets.hpp"
#include "genlab/data/toy2d.hpp"
#include "genlab/session_streams.hpp"

namespace genlab {
namespace {

using namespace detail;

}  // namespace

// The training batches of the current run, handed to the model as it asks for them.
class Session::Stream final : public models::DataStream {
 public:
  explicit Stream(Session& s) : s_(s) {}
  const Tensor2& next() override {
    s_.next_batch();
    return s_.x_;
  }
  const std::uint8_t* labels() const override { return s_.labels_.empty() ? nullptr : s_.labels_.data(); }

 private:
  Session& s_;
};

Session::Session() = default;
Session::~Session() = default;

void Session::provide_images(const std::string& dataset, ImageSet train, ImageSet test) {
  if (!is_image_dataset(dataset)) throw ConfigError("dataset", "'" + dataset + "' is not an image data set");
  const std::size_t dim = dataset_dim(dataset);
  for (const ImageSet* s : {&train, &test})
    if (s->pixels_per_image() != dim || s->count() == 0)
      throw std::invalid_argument(dataset + ": expected non-empty images of " + std::to_string(dim) + " pixels, got " +
                                  std::to_string(s->rows) + "×" + std::to_string(s->cols));
  const bool in_use = configured() && cfg_.dataset == dataset;
  const auto old = images_.find(dataset);
  ImagePair keep;
  if (old != images_.end()) keep = std::move(old->second);
  images_[dataset] = ImagePair{std::move(train), std::move(test)};
  if (in_use) {
    try {
      configure(cfg_);  // the batcher points into the replaced set: rebuild on the new one
    } catch (...) {
      images_[dataset] = std::move(keep);
      throw;
    }
  }
  // Judges made from the old images judge these no more: trained again (or installed) on first use.
  for (auto it = judges_.begin(); it != judges_.end(); ++it)
    if (it->dataset == dataset) {
      judges_.erase(it);
      break;
    }
  if (judge2_.dataset == dataset) judge2_ = Judge{};
}

void Session::set_points(const Tensor2& points) {
  if (points.dimension() != 2 || cols(points) != 2 || rows(points) < 2)
    throw std::invalid_argument("points: need at least 2 rows of (x, y)");
  for (float v : points)
    if (!std::isfinite(v)) throw std::invalid_argument("points: every coordinate must be a finite number");
  Tensor2 old = std::move(points_);
  points_ = points;
  if (configured() && cfg_.dataset == "points") {
    try {
      configure(cfg_);  // the batcher points into points_: rebuild on the new set
    } catch (...) {
      points_ = std::move(old);  // e.g. fewer points than the batch: keep the previous set
      throw;
    }
  }
}

const models::ModelKind& Session::kind() const {
  if (!configured()) throw std::logic_error("kind: configure the session first");
  return models::model_kind(cfg_.model);
}

const models::ArchSpec& Session::arch() const {
  if (!configured()) throw std::logic_error("arch: configure the session first");
  return model_->arch();
}

std::optional<Modes> Session::data_modes() const {
  if (!configured()) return std::nullopt;
  const DatasetInfo* d = find_dataset(cfg_.dataset);
  if (d == nullptr || !d->has_modes) return std::nullopt;
  return toy2d_modes(cfg_.dataset);
}

std::size_t Session::data_dim() const { return dataset_dim(cfg_.dataset); }
bool Session::image_data() const { return is_image_dataset(cfg_.dataset); }

const std::vector<std::string>& Session::views() const {
  const models::ModelKind& k = kind();
  return image_data() ? k.views_image : k.views_2d;
}

bool Session::offers_view(const std::string& view) const {
  if (!configured()) return false;
  for (const std::string& v : views())
    if (v == view) return true;
  return false;
}

Session::Run Session::prepare(const Config& c) const {
  validate(c);
  const DatasetInfo& data = *find_dataset(c.dataset);
  if (data.image() && !has_images(c.dataset))
    throw ConfigError("dataset", "the images of '" + c.dataset + "' are not loaded");
  if (data.kind == DataKind::Points && rows(points_) == 0)
    throw ConfigError("dataset", "no points yet: draw or paste some first");

  Run run;
  run.cfg = c;
  Rng init = stream(c.seed, kInit);
  run.model = models::make_model(c, init);
  const auto B = static_cast<std::size_t>(c.batch);
  if (data.image()) {
    const ImageSet& train = images_.at(c.dataset).train;
    if (B > train.count())
      throw ConfigError("batch", std::to_string(c.batch) + " is larger than the " + std::to_string(train.count()) +
                                     " training images");
    run.batcher = std::make_unique<Batcher>(train, B, stream(c.seed, kData), run.model->binarized_data());
  } else if (data.kind == DataKind::Points) {
    if (B > rows(points_))
      throw ConfigError("batch", std::to_string(c.batch) + " is larger than the " + std::to_string(rows(points_)) +
                                     " points");
    run.batcher = std::make_unique<Batcher>(points_, B, stream(c.seed, kData));
  }
  if (!data.image()) {
    Rng display = stream(c.seed, kDisplay);
    const Tensor2 pts = data.kind == DataKind::Points ? points_ : sample_toy2d(c.dataset, display, 2000);
    run.box = metrics::covering_box(pts, 0.15f);
  }
  return run;
}

void Session::commit(Run run, long long steps) {
  cfg_ = std::move(run.cfg);
  model_ = std::move(run.model);
  batcher_ = std::move(run.batcher);
  data_box_ = run.box;
  stream_ = std::make_unique<Stream>(*this);
  data_rng_ = stream(cfg_.seed, kData);
  train_rng_ = stream(cfg_.seed, kTrain);
  x_ = Tensor2({static_cast<std::size_t>(cfg_.batch), dataset_dim(cfg_.dataset)});
  labels_.assign(model_->classes() > 0 ? x_.shape(0) : 0, 0);
  if (sample_class_ >= static_cast<int>(model_->classes())) sample_class_ = -1;
  test_2d_ = Tensor2();
  steps_ = steps;
  epochs_before_ = 0;
  history_ = History{};
  history_.channels = models::model_kind(cfg_.model).channels;
  history_.steps.reserve(kHistoryCapacity);  // full length at once: no reallocation while training
  history_.values.reserve(kHistoryCapacity * history_.channels.size());
  channel_fields_.clear();
  for (const std::string& c : history_.channels) channel_fields_.push_back(models::stat_field(c).member);
  history_span_ = 1;
  pending_.assign(1 + history_.channels.size(), 0.0);
  pending_n_ = 0;
  checkpoint_.clear();  // keeps its capacity for the next run's checkpoints
  checkpoint_steps_ = -1;
}

void Session::configure(const Config& c) {
  commit(prepare(c), 0);
  checkpoint();  // step 0 is always a good state to return to
}

void Session::retune(const Config& c) {
  if (!configured()) throw std::logic_error("retune: configure the session first");
  for (const Field& f : schema())
    if (!f.live && get_value(c, f.key) != get_value(cfg_, f.key))
      throw ConfigError(f.key, "changing it needs a new run");
  validate(c);
  try {
    model_->retune(c);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("model", e.what());
  }
  cfg_ = c;
}

bool Session::checkpoint() {
  if (!configured()) return false;
  for (const models::Network& n : model_->networks())
    if (!n.params->all_finite()) return false;
  for (const models::StateTensor& t : model_->extra_state())
    for (float v : *t.values)
      if (!std::isfinite(v)) return false;
  save_model(checkpoint_);  // in place: the buffer is reused from one checkpoint to the next
  checkpoint_steps_ = steps_;
  return true;
}

long long Session::restore_checkpoint() {
  if (checkpoint_.empty()) return -1;
  const std::vector<std::uint8_t> bytes = checkpoint_;  // load_model reconfigures, which clears it
  load_model(bytes.data(), bytes.size());
  checkpoint_ = bytes;
  checkpoint_steps_ = steps_;
  return steps_;
}

void Session::next_batch() {
  if (batcher_ && model_->classes() > 0 && batcher_->has_labels())
    batcher_->next(x_, labels_);  // the same rows as next(x_): labels only come along
  else if (batcher_)
    batcher_->next(x_);
  else if (model_->classes() > 0)
    sample_toy2d(cfg_.dataset, data_rng_, x_, labels_);  // the same draws, with each one's component
  else
    sample_toy2d(cfg_.dataset, data_rng_, x_);  // analytic data: a fresh sample every batch
}

StepStats Session::train(int n) {
  if (!configured()) throw std::logic_error("train: configure the session first");
  if (n < 0) throw std::invalid_argument("train: the number of steps must be ≥ 0");
  StepStats s;
  for (int i = 0; i < n; ++i) {
    const StepStats one = model_->train_iteration(*stream_, train_rng_);
    ++steps_;
    record(one);
    models::accumulate(s, one);
    if (!one.finite) break;
    if (steps_ % kCheckpointEvery == 0) checkpoint();
  }
  models::finish_average(s);
  if (s.steps > 0) model_->grad_norms(s);
  s.total_steps = steps_;
  s.epoch = epoch();
  return s;
}

double Session::epoch() const {
  if (!batcher_) return 0;
  return epochs_before_ + static_cast<double>(batcher_->epoch()) +
         static_cast<double>(batcher_->position()) / static_cast<double>(batcher_->size());
}

StepStats Session::train_part(const std::string& part, int n) {
  if (!configured()) throw std::logic_error("train_part: configure the session first");
  if (n < 0) throw std::invalid_argument("train_part: the number of steps must be ≥ 0");
  bool known = false;
  for (const std::string& p : kind().parts) known = known || p == part;
  if (!known) throw std::invalid_argument("train_part: the " + cfg_.model + " has no partial step '" + part + "'");
  StepStats s;
  for (int i = 0; i < n; ++i) {
    const StepStats one = model_->train_part(part, *stream_, train_rng_);
    models::accumulate(s, one);
    if (!one.finite) break;
  }
  models::finish_average(s);
  if (s.steps > 0) model_->grad_norms(s);
  s.total_steps = steps_;
  return s;
}

void Session::record(const StepStats& s) {
  const std::size_t k = history_.channels.size();
  pending_[0] += static_cast<double>(steps_);
  for (std::size_t c = 0; c < k; ++c) pending_[1 + c] += s.*channel_fields_[c];
  if (++pending_n_ < history_span_) return;
  const double inv = 1.0 / static_cast<double>(pending_n_);
  history_.steps.push_back(pending_[0] * inv);
  for (std::size_t c = 0; c < k; ++c) history_.values.push_back(static_cast<float>(pending_[1 + c] * inv));
  pending_.assign(1 + k, 0.0);
  pending_n_ = 0;
  if (history_.size() < kHistoryCapacity) return;
  // Full: average neighbouring pairs and double the span, so memory stays bounded on long runs
  // while the curve still covers every step.
  const std::size_t half = history_.size() / 2;
  for (std::size_t i = 0; i < half; ++i) {
    history_.steps[i] = (history_.steps[2 * i] + history_.steps[2 * i + 1]) / 2;
    for (std::size_t c = 0; c < k; ++c)
      history_.values[i * k + c] = (history_.values[2 * i * k + c] + history_.values[(2 * i + 1) * k + c]) / 2;
  }
  history_.steps.resize(half);
  history_.values.resize(half * k);
  history_span_ *= 2;
}

}  // namespace genlab
