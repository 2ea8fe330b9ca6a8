// The Session façade: configure/train/evaluate, determinism, views, errors that keep the session
// intact, save/load round trips and rejection of corrupt or mismatched model files.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "genlab/session.hpp"
#include "support/fake_images.hpp"
#include "support/testutil.hpp"

using namespace genlab;

namespace {

Config small_gan() {
  Config c = preset("ring8-gan");
  c.g_hidden = {16};
  c.d_hidden = {16};
  c.batch = 32;
  c.pack = 2;  // the cases below count in packs of 2
  c.g_ema = 0.9f;
  return c;
}

Config small_vae(const std::string& dataset = "moons") {
  Config c;
  c.model = "vae";
  c.dataset = dataset;
  c.enc_hidden = {16};
  c.dec_hidden = {16};
  c.batch = 32;
  return c;
}

using test::fake_images;

// The same batch every time: two models step on identical data.
struct FixedBatch final : models::DataStream {
  explicit FixedBatch(Tensor2 b) : x(std::move(b)) {}
  const Tensor2& next() override { return x; }
  Tensor2 x;
};

bool same(const Tensor2& a, const Tensor2& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

TEST_CASE("same seed, same run: identical losses, metrics and samples") {
  for (const Config& c : {small_gan(), small_vae()}) {
    Session a, b;
    a.configure(c);
    b.configure(c);
    const StepStats sa = a.train(30), sb = b.train(30);
    CHECK(sa.loss == sb.loss);
    CHECK(sa.d_loss == sb.d_loss);
    CHECK(same(a.samples(50), b.samples(50)));
    CHECK(a.evaluate() == b.evaluate());
    Config other = c;
    other.seed = c.seed + 1;
    Session d;
    d.configure(other);
    d.train(30);
    CHECK_FALSE(same(a.samples(50), d.samples(50)));
  }
}

TEST_CASE("training moves the losses and the samples; views have the right shapes") {
  Session s;
  s.configure(small_gan());
  const Tensor2 before = s.samples(64);
  const StepStats st = s.train(50);
  CHECK(st.steps == 50);
  CHECK(st.finite);
  CHECK(s.steps() == 50);
  CHECK_FALSE(same(before, s.samples(64)));
  CHECK(same(s.samples(64), s.samples(64)));  // fixed noise: repeatable frames
  CHECK(s.discriminator_field(s.data_box(), 16).shape() == std::array<std::size_t, 2>{256, 1});
  CHECK(s.generator_gradients(63).shape()[0] == 62);  // rounded down to whole packs of 2
  CHECK(s.noise_grid_warp(8).shape() == std::array<std::size_t, 2>{64, 2});
  CHECK(s.history().size() == 50);
  const Metrics m = s.evaluate();
  CHECK(m.at("modes_total") == 8);
  CHECK(m.count("hq") == 1);
  CHECK(m.count("grid_js") == 1);
  CHECK_THROWS_AS(s.reconstructions(4), std::logic_error);  // a GAN has none
}

TEST_CASE("a 2-D VAE trains and evaluates its held-out ELBO") {
  Session s;
  s.configure(small_vae());
  const double before = s.evaluate().at("test_neg_elbo");
  s.train(300);
  const Metrics m = s.evaluate(5);
  CHECK(m.at("test_neg_elbo") < before);
  CHECK(m.at("iwae_nll") <= m.at("test_neg_elbo") + 0.05);  // IWAE is a tighter bound (noise aside)
  // The −ELBO over the same rows as the IWAE bound: what the page shows the bound's gap against.
  CHECK(m.at("iwae_nll") <= m.at("iwae_neg_elbo") + 0.05);
  if (m.at("test_examples") <= 1000) CHECK(m.at("iwae_neg_elbo") == doctest::Approx(m.at("test_neg_elbo")).epsilon(1e-9));
  Tensor2 in;
  CHECK(s.reconstructions(10, &in).shape() == in.shape());
  CHECK(s.latent_codes(10).shape()[1] == 2);
  CHECK(s.latent_grid(4, 2.0f).shape()[0] == 16);
  CHECK(s.interpolate(0, 1, 5).shape()[0] == 5);
}

TEST_CASE("2-D latent codes are labelled by the region of data space they encode") {
  // ring8: the nearest of the 8 modes (angle 2πi/8); grid25: the mode, row by row; others: the
  // eighth of the plane. The reconstructions' inputs are the same held-out examples.
  for (const std::string dataset : {"ring8", "grid25", "moons"}) {
    CAPTURE(dataset);
    Session s;
    Config c = small_vae(dataset);
    s.configure(c);
    std::vector<std::uint8_t> labels;
    const Tensor2 mu = s.latent_codes(200, &labels);
    REQUIRE(labels.size() == 200);
    Tensor2 x;
    s.reconstructions(200, &x);
    std::set<int> seen;
    for (std::size_t i = 0; i < 200; ++i) {
      const double a = std::atan2(x(i, 1), x(i, 0));
      if (dataset == "grid25") {
        const long col = std::lround(x(i, 0) / 2.0) + 2, row = std::lround(x(i, 1) / 2.0) + 2;
        CHECK(labels[i] == row * 5 + col);
      } else {
        const double mode_angle = 2.0 * M_PI * labels[i] / 8.0;
        CHECK(std::abs(std::remainder(a - mode_angle, 2.0 * M_PI)) <= M_PI / 8.0 + 1e-5);
      }
      seen.insert(labels[i]);
    }
    CHECK(seen.size() == (dataset == "grid25" ? 25u : 8u));
  }
}

TEST_CASE("image data: provided sets, batch limits and class metrics") {
  Session s;
  Config c = small_vae("mnist10");
  CHECK_THROWS_WITH_AS(s.configure(c), doctest::Contains("not loaded"), ConfigError);
  CHECK_THROWS_AS(s.provide_images("mnist10", fake_images(20, 28, 1), fake_images(10, 28, 2)), std::invalid_argument);
  s.provide_images("mnist10", fake_images(200, 10, 1), fake_images(50, 10, 2));
  c.batch = 500;
  CHECK_THROWS_WITH_AS(s.configure(c), doctest::Contains("larger than the 200 training images"), ConfigError);
  c.batch = 20;
  s.configure(c);
  s.train(20);
  const Metrics m = s.evaluate();
  CHECK(m.count("classifier_score") == 1);
  CHECK(m.at("test_examples") == 50);
  CHECK(s.classifier_accuracy() > 0.9);  // the fake classes are trivially separable
  Metrics second;
  s.second_opinion(second, 300);
  CHECK(second.at("classifier2_accuracy") > 0.9);
  CHECK(second.at("real_classifier2_score") > 5.0);  // sure of one class per real image
  CHECK(second.at("class2_modes") >= 1);
  CHECK(second.count("classifier2_score") == 1);
  CHECK_THROWS_AS(s.second_opinion(second, 0), std::invalid_argument);
  std::vector<std::uint8_t> labels;
  s.latent_codes(12, &labels);
  CHECK(labels.size() == 12);
}

TEST_CASE("a bad configuration leaves the running session untouched") {
  Session s;
  s.configure(small_gan());
  s.train(10);
  const Tensor2 samples = s.samples(20);
  Config bad = small_gan();
  bad.pack = 3;  // 32 is not a multiple of 3
  CHECK_THROWS_AS(s.configure(bad), ConfigError);
  CHECK(s.steps() == 10);
  CHECK(same(s.samples(20), samples));
  CHECK(s.config().pack == 2);
}

TEST_CASE("user points: validation and training") {
  Session s;
  Tensor2 pts = {{0.0f, 0.0f}, {1.0f, 1.0f}, {1.0f, 0.0f}, {0.0f, 1.0f}};
  CHECK_THROWS_AS(s.set_points(Tensor2{{1.0f, NAN}, {0.0f, 0.0f}}), std::invalid_argument);
  Config c = small_gan();
  c.dataset = "points";
  CHECK_THROWS_AS(s.configure(c), ConfigError);  // no points yet
  s.set_points(pts);
  CHECK_THROWS_AS(s.configure(c), ConfigError);  // batch 32 > 4 points
  c.batch = 4;
  s.configure(c);
  CHECK(s.train(5).steps == 5);
}

TEST_CASE("save → load reproduces the model exactly; training continues identically") {
  for (const Config& c : {small_gan(), small_vae()}) {
    Session a;
    a.configure(c);
    a.train(40);
    const std::vector<std::uint8_t> file = a.save_model();
    Session b;
    b.load_model(file.data(), file.size());
    CHECK(b.steps() == 40);
    CHECK(same(a.samples(30), b.samples(30)));
    CHECK(b.config().batch == c.batch);
    // Optimizer state and step count came along: one more step moves both models alike. (The data
    // stream restarts on load, so both take the same fixed batch through the model's own API.)
    Rng ra(9u), rb(9u);
    FixedBatch x{a.real_samples(static_cast<std::size_t>(c.batch))};
    a.model()->train_iteration(x, ra);
    b.model()->train_iteration(x, rb);
    CHECK(same(a.samples(30), b.samples(30)));
  }
}

TEST_CASE("save → load of a convolutional GAN with batch normalisation brings the running statistics along") {
  Config c;
  c.model = "gan";
  c.dataset = "mnist28";
  c.net = "conv";
  c.batch_norm = true;
  c.init = "dcgan";
  c.noise = 8;
  c.g_hidden = {4, 2};
  c.d_hidden = {2, 4};
  c.batch = 8;
  Session a;
  a.provide_images("mnist28", fake_images(64, 28, 1), fake_images(32, 28, 2));
  a.configure(c);
  a.train(6);
  const std::vector<std::uint8_t> file = a.save_model();
  Session b;
  b.provide_images("mnist28", fake_images(64, 28, 1), fake_images(32, 28, 2));
  b.load_model(file.data(), file.size());
  CHECK(b.steps() == 6);
  CHECK(b.config().batch_norm);
  // Samples come from G in evaluation, normalised with the running statistics: equal only if
  // those came along (they are not trained parameters).
  CHECK(same(a.samples(16), b.samples(16)));
  Session fresh;
  fresh.provide_images("mnist28", fake_images(64, 28, 1), fake_images(32, 28, 2));
  fresh.configure(c);
  CHECK_FALSE(same(a.samples(16), fresh.samples(16)));
}

TEST_CASE("corrupt, truncated or mismatched model files are rejected and the session is kept") {
  Session a;
  a.configure(small_gan());
  a.train(5);
  std::vector<std::uint8_t> file = a.save_model();
  Session b;
  b.configure(small_vae());
  b.train(3);
  const Tensor2 keep = b.samples(10);
  std::vector<std::uint8_t> flipped = file;
  flipped[flipped.size() / 2] ^= 0x40;
  CHECK_THROWS(b.load_model(flipped.data(), flipped.size()));
  CHECK_THROWS(b.load_model(file.data(), file.size() - 7));
  CHECK_THROWS(b.load_model(file.data(), 0));
  CHECK(b.steps() == 3);
  CHECK(same(b.samples(10), keep));
  CHECK(b.config().model == "vae");
}

TEST_CASE("a NaN stops training at the step it appears") {
  Session s;
  Config c = small_gan();
  c.g_lr = 10.0f;
  c.d_lr = 10.0f;
  c.d_opt = "sgd";
  c.g_opt = "sgd";
  s.configure(c);
  const StepStats st = s.train(2000);
  CHECK_FALSE(st.finite);
  CHECK(st.steps < 2000);
}

TEST_CASE("the loss history stays bounded on long runs") {
  Session s;
  Config c = small_gan();
  c.batch = 2;
  c.g_hidden = {2};
  c.d_hidden = {2};
  s.configure(c);
  s.train(5000);
  CHECK(s.history().size() < 2048);
  CHECK(s.history().size() > 1000);
  CHECK(s.history().steps.back() > 4000);
}

TEST_CASE("divergence returns to the last good checkpoint") {
  Session s;
  Config c = small_gan();
  s.configure(c);
  s.train(400);  // checkpoints at 0, 200 and 400
  const Tensor2 good = s.samples(16);
  s.train(50);
  CHECK(s.checkpoint_steps() == 400);
  // Blow the generator up by hand, as a huge learning rate would.
  s.model()->networks().at(0).params->values().fill(std::numeric_limits<float>::quiet_NaN());
  const StepStats st = s.train(10);
  CHECK_FALSE(st.finite);
  CHECK(st.steps == 1);  // detected on the step it happened
  CHECK_FALSE(s.checkpoint());  // a broken model is never checkpointed
  CHECK(s.restore_checkpoint() == 400);
  CHECK(s.steps() == 400);
  CHECK(same(s.samples(16), good));
  CHECK(s.train(5).finite);
}

TEST_CASE("metrics on user points; replacing points keeps the old set on failure") {
  Session s;
  Tensor2 pts({8, 2});
  Rng r(3u);
  for (auto& v : pts) v = r.uniform(-1.0f, 1.0f);
  s.set_points(pts);
  Config c = small_gan();
  c.dataset = "points";
  c.batch = 8;
  s.configure(c);
  s.train(5);
  const Metrics m = s.evaluate();
  CHECK(m.count("grid_js") == 1);
  CHECK(m.count("modes") == 0);
  CHECK_THROWS_AS(s.set_points(Tensor2{{0.0f, 0.0f}, {1.0f, 1.0f}}), ConfigError);  // 2 points < batch 8
  CHECK(same(s.real_samples(100), pts));
}
