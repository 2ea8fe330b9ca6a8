// Session metrics: the numbers papers report, computed on held-out data and fixed-seed samples.
// What a model defines itself (the VAE's −ELBO) comes from Model::heldout_metrics; what any
// generator is judged by (modes, grid divergences, the classifier's view of its images) is here.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "genlab/data/toy2d.hpp"
#include "genlab/metrics/class_stats.hpp"
#include "genlab/metrics/grid_divergence.hpp"
#include "genlab/metrics/modes.hpp"
#include "genlab/session.hpp"
#include "genlab/session_streams.hpp"
#include "genlab/version.hpp"

namespace genlab {

using namespace detail;

namespace {

constexpr std::size_t kTest2d = 5000;        // held-out points for 2-D models
constexpr std::size_t kModeSamples = 2500;   // the VEEGAN/PacGAN protocol
constexpr std::size_t kImageSamples = 2000;  // generated images judged by the classifier

}  // namespace

Metrics Session::evaluate(int iwae_k, bool judge) {
  if (!configured()) throw std::logic_error("evaluate: configure the session first");
  if (iwae_k < 0 || iwae_k > 5000) throw std::invalid_argument("evaluate: iwae_k must be in [0, 5000]");
  Metrics m;
  if (model_->wants_heldout_data()) {
    const std::size_t n = image_data() ? images_.at(cfg_.dataset).test.count() : kTest2d;
    condition_on_test(n);  // a conditional VAE's bound is on −log p(x | its class)
    model_->heldout_metrics(test_block(n), stream(cfg_.seed, kEval), iwae_k, m);
  }
  if (image_data()) {
    if (judge) image_metrics(samples_for(kImageSamples, -1), m);
  } else {
    const Tensor2 gen = samples_for(kModeSamples, -1);  // every class in turn, whatever the views show
    if (auto modes = data_modes()) {
      // A conditional model's sample counts as asked when it is a high-quality sample of its mode.
      const metrics::ModeStats st =
          metrics::mode_stats(gen, modes->means, modes->sigma, classes() > 0 ? asked_classes(rows(gen)) : std::vector<std::uint8_t>{});
      m["modes"] = st.modes_covered;
      m["modes_total"] = st.modes_total;
      m["hq"] = st.hq_fraction;
      m["reverse_kl"] = st.reverse_kl;
      if (classes() > 0) m["class_asked"] = st.asked_fraction;
    }
    const Tensor2& real = test_block(kModeSamples);
    const metrics::GridDivergence g = metrics::grid_divergence(real, gen, data_box_);
    m["grid_kl"] = g.kl_real_gen;
    m["grid_js"] = g.js;
  }
  m["steps"] = static_cast<double>(steps_);
  if (batcher_) m["epoch"] = epoch();
  return m;
}

// The classes the metrics' samples were drawn for: row r asked for class r mod C.
std::vector<std::uint8_t> Session::asked_classes(std::size_t n) const {
  std::vector<std::uint8_t> asked(n);
  for (std::size_t r = 0; r < n; ++r) asked[r] = static_cast<std::uint8_t>(r % classes());
  return asked;
}

constexpr int kJudgeSeed = 20240601;  // the metrics' judge: the same for every run

// A judge for a data set, with `net`'s initial weights drawn from seed's stream (fixed seeds
// independent of the run's: a judge must be the same for every run).
Session::Judge Session::new_judge(const std::string& dataset, const nn::NetSpec& net, int seed) {
  Rng init = stream(seed, kClassifier);
  optim::OptimConfig opt;
  opt.kind = optim::Kind::Adam;
  opt.lr = 1e-3f;
  Judge j;
  j.clf = std::make_unique<models::Classifier>(net, opt, init);
  j.dataset = dataset;
  return j;
}

// Its accuracy and the real test images' score, once its weights are final.
void Session::score_judge(Judge& j) {
  const ImagePair& data = images_.at(j.dataset);
  Tensor2 test({data.test.count(), data.test.pixels_per_image()}), probs;
  images_to_tensor(data.test, 0, data.test.count(), test);
  j.clf->predict_proba(test, probs);
  j.accuracy = metrics::accuracy(probs, data.test.labels);
  j.real_score = metrics::class_stats(probs).classifier_score;
}

Session::Judge Session::train_judge(const std::string& dataset, const nn::NetSpec& net, int seed, std::size_t B,
                                    std::size_t steps) {
  Judge j = new_judge(dataset, net, seed);
  Batcher batches(images_.at(dataset).train, B, stream(seed, kData));
  Tensor2 x;
  std::vector<std::uint8_t> y;
  for (std::size_t s = 0; s < steps; ++s) {
    batches.next(x, y);
    j.clf->train_step(x, y.data());
  }
  score_judge(j);
  return j;
}

nn::NetSpec Session::judge_net(const std::string& dataset) const {
  const ImageSet& train = images_.at(dataset).train;
  return models::classifier_mlp(train.pixels_per_image(), {128}, train.classes);
}

constexpr std::size_t kJudgeBatch = 128;

// MLP 128; 20 epochs of 128, but at least 1,500 steps (tiny sets) and at most 4,000 (Fashion-MNIST's 60k).
static std::size_t judge_steps(const ImageSet& train) {
  return std::clamp<std::size_t>(20 * train.count() / kJudgeBatch, 1500, 4000);
}

Session::Judge& Session::keep_judge(Judge j) {
  for (Judge& kept : judges_)
    if (kept.dataset == j.dataset) return kept = std::move(j);
  judges_.push_back(std::move(j));
  return judges_.back();
}

Session::Judge& Session::ensure_classifier(const std::string& dataset) {
  for (Judge& kept : judges_)
    if (kept.dataset == dataset) return kept;
  if (!has_images(dataset)) throw std::invalid_argument("the image classifier needs the images of '" + dataset + "' first");
  ++judges_trained_;
  return keep_judge(
      train_judge(dataset, judge_net(dataset), kJudgeSeed, kJudgeBatch, judge_steps(images_.at(dataset).train)));
}

std::string Session::judge_recipe(const std::string& dataset) const {
  if (!has_images(dataset)) throw std::invalid_argument("judge_recipe: no images of '" + dataset + "' here");
  const ImagePair& data = images_.at(dataset);
  std::string r = std::string("genlab ") + kVersion + ", the judge of " + dataset + ":";
  for (const nn::ParamSpec& p : judge_net(dataset).params()) {
    r += " " + p.name + "[";
    for (std::size_t i = 0; i < p.shape.size(); ++i) r += (i ? "," : "") + std::to_string(p.shape[i]);
    r += "]";
  }
  r += ", seed " + std::to_string(kJudgeSeed) + ", Adam 1e-3, " + std::to_string(judge_steps(data.train)) +
       " batches of " + std::to_string(kJudgeBatch) + ", images " + std::to_string(data.train.count()) + " + " +
       std::to_string(data.test.count());
  return r;
}

std::vector<float> Session::judge_weights(const std::string& dataset) {
  const ParamStore& p = ensure_classifier(dataset).clf->params();
  std::vector<float> w(p.values().begin(), p.values().end());
  w.insert(w.end(), p.buffers().begin(), p.buffers().end());
  return w;
}

void Session::install_judge(const std::string& dataset, std::vector<float> weights) {
  if (!has_images(dataset)) throw std::invalid_argument("install_judge: no images of '" + dataset + "' here");
  for (const float v : weights)
    if (!std::isfinite(v)) throw std::invalid_argument("install_judge: the weights are not all finite numbers");
  Judge j = new_judge(dataset, judge_net(dataset), kJudgeSeed);
  // The layout judge_weights writes: the values, then the buffers.
  ParamStore& p = j.clf->params();
  const std::size_t want = p.values().size() + p.buffers().size();
  if (weights.size() != want)
    throw std::invalid_argument("install_judge: " + std::to_string(weights.size()) + " weights for '" + dataset +
                                "', its classifier has " + std::to_string(want));
  const auto split = weights.begin() + static_cast<std::ptrdiff_t>(p.values().size());
  std::copy(weights.begin(), split, p.values().begin());
  std::copy(split, weights.end(), p.buffers().begin());
  score_judge(j);
  keep_judge(std::move(j));
}

void Session::second_opinion(Metrics& m, std::size_t n) {
  if (!configured() || !image_data()) throw std::logic_error("second_opinion: needs an image data set");
  if (n == 0 || n > 100000) throw std::invalid_argument("second_opinion: n must be in [1, 100000]");
  if (!judge2_.clf || judge2_.dataset != cfg_.dataset) {
    const ImageSet& train = images_.at(cfg_.dataset).train;
    const std::size_t side = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(data_dim()))));
    // Differs from the first judge in what matters: architecture (conv 16 → conv 32 → 10 on the
    // image, not an MLP on flat pixels; on sides the two stride-2 stages do not divide, 10×10 and
    // 14×14, a deeper MLP 256-64 with LeakyReLU), seed, batch, length: about 10 epochs of 64, at
    // least 1,500 steps (the 9,000 images of mnist28: 1,500, 96 % test accuracy).
    const std::size_t K = train.classes;
    const nn::NetSpec net = side * side == data_dim() && side % 4 == 0
                                ? models::classifier_conv(side, {16, 32}, K, nn::Act::LeakyReLU)
                                : models::classifier_mlp(data_dim(), {256, 64}, K, nn::Act::LeakyReLU);
    judge2_ = train_judge(cfg_.dataset, net, 20251204, 64, std::clamp<std::size_t>(10 * train.count() / 64, 1500, 4000));
  }
  Tensor2 probs;
  judge2_.clf->predict_proba(samples_for(n, -1), probs);
  const metrics::ClassStats st = metrics::class_stats(probs);
  if (classes() > 0) m["class2_asked"] = metrics::accuracy(probs, asked_classes(n));
  m["classifier2_score"] = st.classifier_score;
  m["class2_modes"] = st.classes_covered;
  m["class2_max_fraction"] = st.max_class_fraction;
  m["classifier2_accuracy"] = judge2_.accuracy;
  m["real_classifier2_score"] = judge2_.real_score;
}

double Session::classifier_accuracy() {
  if (!configured() || !image_data()) throw std::logic_error("classifier_accuracy: needs an image data set");
  return ensure_classifier(cfg_.dataset).accuracy;
}

void Session::image_metrics(const Tensor2& generated, Metrics& m) {
  const Judge& judge = ensure_classifier(cfg_.dataset);
  Tensor2 probs;
  judge.clf->predict_proba(generated, probs);
  const metrics::ClassStats st = metrics::class_stats(probs);
  if (classes() > 0) m["class_asked"] = metrics::accuracy(probs, asked_classes(rows(probs)));
  m["class_modes"] = st.classes_covered;
  m["class_max_fraction"] = st.max_class_fraction;
  m["class_kl"] = st.kl_from_uniform;
  m["classifier_score"] = st.classifier_score;
  m["classifier_accuracy"] = judge.accuracy;
  m["real_classifier_score"] = judge.real_score;
}

}  // namespace genlab
