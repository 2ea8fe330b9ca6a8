// Session: configuration, data, training and the loss history.
#include "genlab/session.hpp"

#include <cmath>
#include <stdexcept>

#include "genlab/data/toy2d.hpp"
#include "genlab/models/build.hpp"
#include "genlab/session_streams.hpp"

namespace genlab {
namespace {

using namespace detail;

constexpr std::size_t kHistoryCapacity = 2048;

bool finite(float v) { return std::isfinite(v); }

}  // namespace

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

std::optional<Modes> Session::data_modes() const {
  if (!configured() || image_data() || cfg_.dataset == "points") return std::nullopt;  // drawn points: no modes
  return toy2d_modes(cfg_.dataset);
}

std::size_t Session::data_dim() const { return dataset_dim(cfg_.dataset); }
bool Session::image_data() const { return is_image_dataset(cfg_.dataset); }

void Session::configure(const Config& c) {
  validate(c);
  const bool image = is_image_dataset(c.dataset);
  if (image && !has_images(c.dataset))
    throw ConfigError("dataset", "the images of '" + c.dataset + "' are not loaded");
  if (c.dataset == "points" && rows(points_) == 0)
    throw ConfigError("dataset", "no points yet: draw or paste some first");

  // Build everything into locals first; the session changes only when nothing can fail anymore.
  std::unique_ptr<Batcher> batcher;
  const bool binarize = c.model == "vae" && c.binarize;
  if (image) {
    const ImageSet& train = images_.at(c.dataset).train;
    if (static_cast<std::size_t>(c.batch) > train.count())
      throw ConfigError("batch", std::to_string(c.batch) + " is larger than the " + std::to_string(train.count()) +
                                     " training images");
    batcher = std::make_unique<Batcher>(train, static_cast<std::size_t>(c.batch), stream(c.seed, kData), binarize);
  } else if (c.dataset == "points") {
    if (static_cast<std::size_t>(c.batch) > rows(points_))
      throw ConfigError("batch", std::to_string(c.batch) + " is larger than the " + std::to_string(rows(points_)) +
                                     " points");
    batcher = std::make_unique<Batcher>(points_, static_cast<std::size_t>(c.batch), stream(c.seed, kData));
  }
  Rng init = stream(c.seed, kInit);
  std::unique_ptr<models::Vae> vae;
  std::unique_ptr<models::Gan> gan;
  if (c.model == "vae")
    vae = std::make_unique<models::Vae>(models::vae_spec(c), init);
  else
    gan = std::make_unique<models::Gan>(models::gan_spec(c), init);

  metrics::Box box{-1, 1, -1, 1};
  if (!image) {
    Rng display = stream(c.seed, kDisplay);
    const Tensor2 pts = c.dataset == "points" ? points_ : sample_toy2d(c.dataset, display, 2000);
    box = metrics::covering_box(pts, 0.15f);
  }

  cfg_ = c;
  vae_ = std::move(vae);
  gan_ = std::move(gan);
  batcher_ = std::move(batcher);
  data_box_ = box;
  data_rng_ = stream(c.seed, kData);
  train_rng_ = stream(c.seed, kTrain);
  x_ = Tensor2({static_cast<std::size_t>(c.batch), dataset_dim(c.dataset)});
  test_2d_ = Tensor2();
  steps_ = 0;
  history_.clear();
  history_span_ = 1;
  pending_ = HistoryPoint{};
  pending_n_ = 0;
  checkpoint_.clear();
  checkpoint_steps_ = -1;
  checkpoint();  // step 0 is always a good state to return to
}

bool Session::checkpoint() {
  const auto all_finite = [](const ParamStore& p) {
    for (float v : p.values())
      if (!std::isfinite(v)) return false;
    return true;
  };
  if (vae_ ? !all_finite(vae_->params()) : !(all_finite(gan_->g_params()) && all_finite(gan_->d_params())))
    return false;
  checkpoint_ = save_model();
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
  if (batcher_)
    batcher_->next(x_);
  else
    sample_toy2d(cfg_.dataset, data_rng_, x_);  // analytic data: a fresh sample every batch
}

StepStats Session::train(int n) {
  if (!configured()) throw std::logic_error("train: configure the session first");
  if (n < 0) throw std::invalid_argument("train: the number of steps must be ≥ 0");
  StepStats s;
  for (int i = 0; i < n; ++i) {
    StepStats one;
    if (vae_) {
      next_batch();
      const models::VaeLoss l = vae_->train_step(x_, train_rng_);
      one.loss = l.loss;
      one.recon = l.recon;
      one.kl = l.kl;
      one.beta = vae_->beta_now();
      one.finite = finite(l.loss);
    } else {
      models::GanStats d, g;
      for (int k = 0; k < cfg_.k_d; ++k) {
        next_batch();
        d = gan_->d_step(x_, train_rng_);
      }
      for (int k = 0; k < cfg_.k_g; ++k) g = gan_->g_step(static_cast<std::size_t>(cfg_.batch), train_rng_);
      one.d_loss = d.d_loss;
      one.g_loss = g.g_loss;
      one.d_real = d.d_real;
      one.d_fake = d.d_fake;
      one.finite = finite(d.d_loss) && finite(g.g_loss);
    }
    ++steps_;
    record(one);
    s.loss += one.loss, s.recon += one.recon, s.kl += one.kl, s.beta = one.beta;
    s.d_loss += one.d_loss, s.g_loss += one.g_loss, s.d_real += one.d_real, s.d_fake += one.d_fake;
    ++s.steps;
    if (!one.finite) {
      s.finite = false;
      break;
    }
    if (steps_ % kCheckpointEvery == 0) checkpoint();
  }
  if (s.steps > 0) {
    const float inv = 1.0f / static_cast<float>(s.steps);
    s.loss *= inv, s.recon *= inv, s.kl *= inv, s.d_loss *= inv, s.g_loss *= inv, s.d_real *= inv, s.d_fake *= inv;
  }
  s.total_steps = steps_;
  if (batcher_) s.epoch = static_cast<double>(batcher_->epoch()) +
                          static_cast<double>(batcher_->position()) / static_cast<double>(batcher_->size());
  return s;
}

StepStats Session::train_d(int n) {
  if (!gan_) throw std::logic_error("train_d: discriminator steps need a GAN");
  StepStats s;
  for (int i = 0; i < n; ++i) {
    next_batch();
    const models::GanStats d = gan_->d_step(x_, train_rng_);
    s.d_loss = d.d_loss, s.d_real = d.d_real, s.d_fake = d.d_fake;
    ++s.steps;
    if (!(s.finite = finite(d.d_loss))) break;
  }
  s.total_steps = steps_;
  return s;
}

StepStats Session::train_g(int n) {
  if (!gan_) throw std::logic_error("train_g: generator steps need a GAN");
  StepStats s;
  for (int i = 0; i < n; ++i) {
    const models::GanStats g = gan_->g_step(static_cast<std::size_t>(cfg_.batch), train_rng_);
    s.g_loss = g.g_loss, s.d_fake = g.d_fake;
    ++s.steps;
    if (!(s.finite = finite(g.g_loss))) break;
  }
  s.total_steps = steps_;
  return s;
}

void Session::record(const StepStats& s) {
  const bool v = vae_ != nullptr;
  pending_.step += static_cast<double>(steps_);
  pending_.a += v ? s.loss : s.d_loss;
  pending_.b += v ? s.recon : s.g_loss;
  pending_.c += v ? s.kl : s.d_real;
  if (++pending_n_ < history_span_) return;
  const auto inv = 1.0f / static_cast<float>(pending_n_);
  add_history(pending_.step / static_cast<double>(pending_n_), pending_.a * inv, pending_.b * inv, pending_.c * inv);
  pending_ = HistoryPoint{};
  pending_n_ = 0;
}

void Session::add_history(double step, float a, float b, float c) {
  history_.push_back(HistoryPoint{step, a, b, c});
  if (history_.size() < kHistoryCapacity) return;
  // Full: average neighbouring pairs and double the span, so memory stays bounded on long runs
  // while the curve still covers every step.
  for (std::size_t i = 0; i < history_.size() / 2; ++i) {
    const HistoryPoint& p = history_[2 * i];
    const HistoryPoint& q = history_[2 * i + 1];
    history_[i] = HistoryPoint{(p.step + q.step) / 2, (p.a + q.a) / 2, (p.b + q.b) / 2, (p.c + q.c) / 2};
  }
  history_.resize(history_.size() / 2);
  history_span_ *= 2;
}

}  // namespace genlab
