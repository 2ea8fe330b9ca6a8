// Grid KL / JS between real and generated 2-D samples, and the grid histogram under them.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/core/rng.hpp"
#include "genlab/metrics/grid_divergence.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using metrics::Box;

namespace {
const Box kUnit{0.0f, 1.0f, 0.0f, 1.0f};
const double kLog2 = std::log(2.0);
}  // namespace

TEST_CASE("grid_histogram: cells, row-major order, half-open cells and edge clamping") {
  // G = 2 on [0, 2]²: cell (ix, iy) covers [ix, ix+1) × [iy, iy+1); index iy·2 + ix.
  const Box box{0.0f, 2.0f, 0.0f, 2.0f};
  const float inf = std::numeric_limits<float>::infinity();
  Tensor2 pts = {
      {0.5f, 0.5f},   // cell 0
      {1.0f, 0.0f},   // x on the inner edge → right cell: 1
      {2.0f, 2.0f},   // on x1, y1 → last cell: 3
      {-5.0f, 1.5f},  // left of the box → clamps to ix 0: 2
      {9.0f, -9.0f},  // right and below → 1
      {inf, -inf},    // infinities clamp too → 1
  };
  CHECK(metrics::grid_histogram(pts, box, 2) == std::vector<int>{1, 3, 1, 1});
  CHECK(metrics::grid_histogram(pts, box, 1) == std::vector<int>{6});
  const std::vector<int> h20 = metrics::grid_histogram(pts, box);
  CHECK(h20.size() == 400u);
}

TEST_CASE("grid_divergence: identical sets give KL = JS = 0") {
  Rng rng(11u);
  const Tensor2 a = genlab::test::random_tensor(rng, 500, 2, -1.0f, 1.0f);
  const metrics::GridDivergence d = metrics::grid_divergence(a, a, Box{-1.0f, 1.0f, -1.0f, 1.0f});
  CHECK(d.kl_real_gen == doctest::Approx(0.0));
  CHECK(d.js == doctest::Approx(0.0));
}

TEST_CASE("grid_divergence: two samples of one distribution are close, not equal") {
  Rng rng(12u);
  const Tensor2 a = genlab::test::random_tensor(rng, 20000, 2, 0.0f, 1.0f);
  const Tensor2 b = genlab::test::random_tensor(rng, 20000, 2, 0.0f, 1.0f);
  const metrics::GridDivergence d = metrics::grid_divergence(a, b, kUnit, 10);
  // 100 cells of ~200 samples each: KL ≈ (cells − 1)/(2n)·2 ≈ 0.005 by the χ² approximation.
  CHECK(d.kl_real_gen > 0.0);
  CHECK(d.kl_real_gen < 0.02);
  CHECK(d.js > 0.0);
  CHECK(d.js < 0.005);
}

TEST_CASE("grid_divergence: disjoint sets give JS close to log 2, KL large but finite") {
  Tensor2 real({100, 2}), gen({100, 2});
  for (std::size_t i = 0; i < 100; ++i) {
    real(i, 0) = 0.1f;
    real(i, 1) = 0.1f;
    gen(i, 0) = 0.9f;
    gen(i, 1) = 0.9f;
  }
  const metrics::GridDivergence d = metrics::grid_divergence(real, gen, kUnit);
  CHECK(d.js <= kLog2);
  // Smoothing leaves G²ε of mass in the empty cells: JS ≈ log 2 · (1 − G²ε), 3e-4 below log 2.
  CHECK(d.js == doctest::Approx(kLog2).epsilon(1e-3));
  CHECK(d.js > 0.99 * kLog2);
  CHECK(std::isfinite(d.kl_real_gen));
  // All real mass sits where gen has only ε: KL ≈ log((1 + ε)/ε) ≈ 13.8 nats.
  const double eps = metrics::kGridSmoothing;
  CHECK(d.kl_real_gen == doctest::Approx(std::log((1.0 + eps) / eps)).epsilon(1e-3));
}

TEST_CASE("grid_divergence: hand-computed 2x2 case, and KL is real-to-gen, not reversed") {
  // G = 2 on [0, 2]²: real counts {2, 0, 1, 1} (n = 4), gen counts {1, 1, 1, 1} (n = 4).
  const Box box{0.0f, 2.0f, 0.0f, 2.0f};
  Tensor2 real = {{0.5f, 0.5f}, {0.2f, 0.7f}, {0.5f, 1.5f}, {1.5f, 1.5f}};
  Tensor2 gen = {{0.5f, 0.5f}, {1.5f, 0.5f}, {0.5f, 1.5f}, {1.5f, 1.5f}};
  const double eps = metrics::kGridSmoothing, norm = 1.0 + 4 * eps;
  const double p[4] = {(0.5 + eps) / norm, eps / norm, (0.25 + eps) / norm, (0.25 + eps) / norm};
  const double q = (0.25 + eps) / norm;
  double kl = 0.0, js = 0.0;
  for (double pi : p) {
    kl += pi * std::log(pi / q);
    const double m = 0.5 * (pi + q);
    js += 0.5 * pi * std::log(pi / m) + 0.5 * q * std::log(q / m);
  }
  // Without smoothing: KL = ½ log 2 + 0 + 2·¼ log 1 = 0.3466; the ε-term changes it by < 1e-4.
  CHECK(kl == doctest::Approx(0.5 * kLog2).epsilon(1e-3));
  const metrics::GridDivergence d = metrics::grid_divergence(real, gen, box, 2);
  CHECK(d.kl_real_gen == doctest::Approx(kl).epsilon(1e-12));
  CHECK(d.js == doctest::Approx(js).epsilon(1e-12));
  // Reversed, the empty real cell costs ¼ log(¼/ε): a different number.
  const metrics::GridDivergence r = metrics::grid_divergence(gen, real, box, 2);
  CHECK(r.kl_real_gen > 2.0);
  CHECK(r.js == doctest::Approx(d.js).epsilon(1e-12));  // JS is symmetric
}

TEST_CASE("covering_box: covers the points with the stated margin") {
  Tensor2 pts = {{-1.0f, 0.0f}, {3.0f, 1.0f}, {0.0f, 2.0f}};
  // Extents 4 (x) and 2 (y): both sides grow by 0.25 · 4 = 1.
  const Box b = metrics::covering_box(pts, 0.25f);
  CHECK(b.x0 == doctest::Approx(-2.0));
  CHECK(b.x1 == doctest::Approx(4.0));
  CHECK(b.y0 == doctest::Approx(-1.0));
  CHECK(b.y1 == doctest::Approx(3.0));
  // A single point gets margin on every side; a vertical line still gets width.
  const Box one = metrics::covering_box(Tensor2{{5.0f, -5.0f}}, 0.5f);
  CHECK(one.x0 == doctest::Approx(4.5));
  CHECK(one.x1 == doctest::Approx(5.5));
  CHECK(one.y0 == doctest::Approx(-5.5));
  CHECK(one.y1 == doctest::Approx(-4.5));
  const Box line = metrics::covering_box(Tensor2{{1.0f, 0.0f}, {1.0f, 10.0f}}, 0.1f);
  CHECK(line.x0 == doctest::Approx(0.0));
  CHECK(line.x1 == doctest::Approx(2.0));
  // Far from the origin a tiny margin is below a float ulp: the box still strictly contains.
  const Box far = metrics::covering_box(Tensor2{{1e7f, 1e7f}}, 1e-6f);
  CHECK(far.x0 < 1e7f);
  CHECK(far.x1 > 1e7f);
  CHECK(metrics::grid_histogram(Tensor2{{1e7f, 1e7f}}, far, 3) == std::vector<int>{0, 0, 0, 0, 1, 0, 0, 0, 0});
}

TEST_CASE("grid metrics: bad inputs throw") {
  Tensor2 ok = {{0.5f, 0.5f}};
  CHECK_THROWS_AS(metrics::grid_divergence(Tensor2({0, 2}), ok, kUnit), std::invalid_argument);
  CHECK_THROWS_AS(metrics::grid_divergence(ok, Tensor2({0, 2}), kUnit), std::invalid_argument);
  CHECK_THROWS_AS(metrics::grid_divergence(ok, Tensor2({3, 3}), kUnit), std::invalid_argument);
  CHECK_THROWS_AS(metrics::grid_divergence(ok, ok, kUnit, 0), std::invalid_argument);
  CHECK_THROWS_AS(metrics::grid_divergence(ok, ok, kUnit, -3), std::invalid_argument);
  CHECK_THROWS_AS(metrics::grid_divergence(ok, ok, Box{1.0f, 0.0f, 0.0f, 1.0f}), std::invalid_argument);
  CHECK_THROWS_AS(metrics::grid_divergence(ok, ok, Box{0.0f, 1.0f, 1.0f, 1.0f}), std::invalid_argument);
  CHECK_THROWS_AS(metrics::grid_divergence(ok, ok, Box{0.0f, std::nanf(""), 0.0f, 1.0f}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::grid_histogram(Tensor2{{0.0f, std::nanf("")}}, kUnit), doctest::Contains("row 0"),
                       std::invalid_argument);
  CHECK_THROWS_AS(metrics::covering_box(Tensor2({0, 2})), std::invalid_argument);
  CHECK_THROWS_AS(metrics::covering_box(ok, 0.0f), std::invalid_argument);
  CHECK_THROWS_AS(metrics::covering_box(Tensor2{{std::numeric_limits<float>::infinity(), 0.0f}}),
                  std::invalid_argument);
}
