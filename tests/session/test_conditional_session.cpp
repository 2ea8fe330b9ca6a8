// A class-conditional VAE in a Session: training batches bring their classes, samples follow the
// chosen class, the metrics report the share of samples the judge puts in the class asked for,
// and a wrong class is refused.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/session.hpp"
#include "support/fake_images.hpp"

using namespace genlab;
using test::fake_images;

namespace {

Config cvae(bool conditional) {
  Config c;
  c.model = "vae";
  c.dataset = "mnist10";
  c.latent = 2;
  c.enc_hidden = {32};
  c.dec_hidden = {32};
  c.batch = 20;
  c.lr = 3e-3f;
  c.conditional = conditional;
  return c;
}

// The brightest row of each sample (the fake images light row k for class k).
std::vector<std::size_t> bright_rows(const Tensor2& x, std::size_t side) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < rows(x); ++i) {
    std::vector<float> sums(side, 0.0f);
    for (std::size_t p = 0; p < side * side; ++p) sums[p / side] += x(i, p);
    out.push_back(static_cast<std::size_t>(std::max_element(sums.begin(), sums.end()) - sums.begin()));
  }
  return out;
}

}  // namespace

TEST_CASE("conditional VAE session: samples of class k light row k once trained; the unconditional one cannot choose") {
  for (bool conditional : {true, false}) {
    Session s;
    s.provide_images("mnist10", fake_images(200, 10, 1), fake_images(50, 10, 2));
    s.configure(cvae(conditional));
    CHECK(s.classes() == (conditional ? 10u : 0u));
    s.train(400);
    if (!conditional) {
      CHECK_THROWS_WITH_AS(s.set_sample_class(3), doctest::Contains("not class-conditional"), std::invalid_argument);
      continue;
    }
    for (int k : {0, 3, 9}) {
      s.set_sample_class(k);
      const std::vector<std::size_t> rows_lit = bright_rows(s.samples(20), 10);
      const auto hits = std::count(rows_lit.begin(), rows_lit.end(), static_cast<std::size_t>(k));
      CHECK_MESSAGE(hits == 20, "class " << k << ": " << hits << " of 20 samples light row " << k);
    }
    // −1: row r of the samples is class r mod 10.
    s.set_sample_class(-1);
    const std::vector<std::size_t> cycled = bright_rows(s.samples(30), 10);
    for (std::size_t r = 0; r < 30; ++r) CHECK(cycled[r] == r % 10);
    CHECK_THROWS_WITH_AS(s.set_sample_class(10), doctest::Contains("0 to 9"), std::invalid_argument);
    CHECK_THROWS_AS(s.set_sample_class(-2), std::invalid_argument);
    CHECK(s.sample_class() == -1);
    // The metrics use every class in turn whatever the views show.
    s.set_sample_class(4);
    const Metrics m = s.evaluate();
    CHECK(m.at("class_asked") > 0.95);
    CHECK(s.sample_class() == 4);
    // The manifold is the chosen class's.
    const std::vector<std::size_t> grid = bright_rows(s.latent_grid(3, 1.0f), 10);
    for (std::size_t g : grid) CHECK(g == 4u);
  }
}

TEST_CASE("conditional VAE session: the class metric is absent for unconditional models, and the test bound uses the test classes") {
  Session s;
  s.provide_images("mnist10", fake_images(200, 10, 1), fake_images(50, 10, 2));
  s.configure(cvae(false));
  s.train(50);
  CHECK(s.evaluate().count("class_asked") == 0);
  s.configure(cvae(true));
  s.train(300);
  const double conditioned = s.evaluate().at("test_neg_elbo");
  // The same model judged with every test image given a wrong class (k + 5 mod 10) does worse:
  // the bound really reads the test labels.
  Session wrong;
  ImageSet test = fake_images(50, 10, 2);
  for (auto& l : test.labels) l = static_cast<std::uint8_t>((l + 5) % 10);
  wrong.provide_images("mnist10", fake_images(200, 10, 1), test);
  const std::vector<std::uint8_t> bytes = s.save_model();
  wrong.load_model(bytes.data(), bytes.size());
  CHECK(wrong.evaluate().at("test_neg_elbo") > conditioned + 1.0);
}

TEST_CASE("conditional GAN session: G draws row k for class k once trained, and the metric reads it") {
  Session s;
  s.provide_images("mnist10", fake_images(200, 10, 1), fake_images(50, 10, 2));
  Config c;
  c.model = "gan";
  c.dataset = "mnist10";
  c.noise = 4;
  c.g_hidden = {32};
  c.d_hidden = {32};
  c.batch = 20;
  c.g_lr = 2e-3f;
  c.d_lr = 2e-3f;
  c.beta1 = 0.5f;
  c.conditional = true;
  s.configure(c);
  CHECK(s.classes() == 10u);
  s.train(4000);
  for (int k : {1, 6, 8}) {
    s.set_sample_class(k);
    const std::vector<std::size_t> lit = bright_rows(s.samples(20), 10);
    const auto hits = std::count(lit.begin(), lit.end(), static_cast<std::size_t>(k));
    CHECK_MESSAGE(hits >= 18, "class " << k << ": " << hits << " of 20 samples light row " << k);
  }
  CHECK(s.evaluate().at("class_asked") > 0.9);
}

TEST_CASE("conditional VAE on ring8: samples of component k sit at mode k; the metric counts them") {
  Session s;
  Config c;
  c.model = "vae";
  c.dataset = "ring8";
  c.likelihood = "gaussian";
  c.latent = 2;
  c.enc_hidden = {32};
  c.dec_hidden = {32};
  c.batch = 64;
  c.lr = 3e-3f;
  c.conditional = true;
  s.configure(c);
  CHECK(s.classes() == 8u);
  s.train(1500);
  const Modes m = *s.data_modes();
  for (int k : {0, 5}) {
    s.set_sample_class(k);
    const Tensor2 x = s.samples(100);
    int near = 0;
    for (std::size_t i = 0; i < 100; ++i) {
      const double dx = x(i, 0) - m.means[k][0], dy = x(i, 1) - m.means[k][1];
      near += dx * dx + dy * dy < 0.3 * 0.3 ? 1 : 0;  // closer to mode k than halfway to a neighbour (0.77 apart)
    }
    CHECK_MESSAGE(near >= 90, "component " << k << ": " << near << " of 100 samples near its mode");
  }
  s.set_sample_class(-1);
  // With every class in turn, the noise grid is drawn for the component of test example 0.
  std::vector<std::uint8_t> first;
  s.latent_codes(1, &first);
  const Tensor2 grid = s.noise_grid_warp(4);
  int at_first = 0;
  for (std::size_t i = 0; i < rows(grid); ++i) {
    const double dx = grid(i, 0) - m.means[first[0]][0], dy = grid(i, 1) - m.means[first[0]][1];
    at_first += dx * dx + dy * dy < 0.3 * 0.3 ? 1 : 0;
  }
  CHECK_MESSAGE(at_first >= 12, at_first << " of 16 grid points at test example 0's mode " << int(first[0]));
  const Metrics metrics = s.evaluate();
  CHECK(metrics.at("class_asked") > 0.3);
  CHECK(metrics.at("class_asked") <= metrics.at("hq") + 1e-12);  // a hit is a high-quality sample
}
