// Every GAN objective (gan_losses.hpp) against its definition, on hand-picked scores: D's real and
// fake sides and G's side, values and gradients (means over n, gradients scaled by 1/n), the
// hinge inside and beyond its margin, the least-squares targets, WGAN's critic, and one-sided
// label smoothing. Expected numbers are written out here in plain double arithmetic (σ, softplus)
// or as literals worked out by hand; then the shared checker differences every loss with poisoned
// output buffers.
#include <cmath>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/models/gan_losses.hpp"
#include "support/gradcheck.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::models;

namespace {

constexpr GanLoss kAllLosses[] = {GanLoss::Minimax, GanLoss::NonSaturating, GanLoss::LeastSquares, GanLoss::Hinge,
                                   GanLoss::Wasserstein};

double sigma(double a) { return 1.0 / (1.0 + std::exp(-a)); }
double softplus(double a) { return std::log1p(std::exp(a)); }  // −log σ(−a) = −log(1 − σ(a))

Tensor2 scores(const std::vector<float>& a) {
  Tensor2 t({a.size(), 1});
  std::copy(a.begin(), a.end(), t.begin());
  return t;
}

// A loss value and gradient against the expected ones: value within float rounding, every
// gradient element too, and da of shape (n, 1).
void check_side(double got, const Tensor2& da, double want, const std::vector<double>& dwant, const std::string& what) {
  INFO(what);
  CHECK(got == doctest::Approx(want).epsilon(1e-6));
  REQUIRE(rows(da) == dwant.size());
  REQUIRE(cols(da) == 1);
  for (std::size_t i = 0; i < dwant.size(); ++i) {
    INFO("da[" << i << "]");
    CHECK(da(i, 0) == doctest::Approx(dwant[i]).epsilon(1e-6));
  }
}

double d_side(GanLoss l, const Tensor2& a, bool real, float smooth, Tensor2& da) {
  Tensor2 target;
  genlab::test::poison(da);
  return d_side_loss(l, a, real, smooth, da, target);
}

double g_side(GanLoss l, const Tensor2& a, Tensor2& da) {
  Tensor2 target;
  genlab::test::poison(da);
  return g_side_loss(l, a, da, target);
}

}  // namespace

TEST_CASE("cross-entropy losses: D's sides, G's saturating and non-saturating sides, by hand") {
  const Tensor2 a = scores({0.5f, -1.0f, 2.0f});
  Tensor2 da({3, 1});
  for (GanLoss l : {GanLoss::Minimax, GanLoss::NonSaturating}) {
    const std::string name = gan_loss_name(l);
    // D, real side: −log σ(a), mean over 3; gradient (σ(a) − 1)/3.
    check_side(d_side(l, a, true, 0.0f, da), da, (softplus(-0.5) + softplus(1.0) + softplus(-2.0)) / 3.0,
               {(sigma(0.5) - 1.0) / 3.0, (sigma(-1.0) - 1.0) / 3.0, (sigma(2.0) - 1.0) / 3.0}, name + " D real");
    // D, fake side: −log(1 − σ(a)); gradient σ(a)/3.
    check_side(d_side(l, a, false, 0.0f, da), da, (softplus(0.5) + softplus(-1.0) + softplus(2.0)) / 3.0,
               {sigma(0.5) / 3.0, sigma(-1.0) / 3.0, sigma(2.0) / 3.0}, name + " D fake");
  }
  // G, minimax: log(1 − σ(a)) = −softplus(a), minimised (it saturates where D is sure); −σ(a)/3.
  check_side(g_side(GanLoss::Minimax, a, da), da, -(softplus(0.5) + softplus(-1.0) + softplus(2.0)) / 3.0,
             {-sigma(0.5) / 3.0, -sigma(-1.0) / 3.0, -sigma(2.0) / 3.0}, "minimax G");
  // G, non-saturating: −log σ(a); (σ(a) − 1)/3.
  check_side(g_side(GanLoss::NonSaturating, a, da), da, (softplus(-0.5) + softplus(1.0) + softplus(-2.0)) / 3.0,
             {(sigma(0.5) - 1.0) / 3.0, (sigma(-1.0) - 1.0) / 3.0, (sigma(2.0) - 1.0) / 3.0}, "nonsaturating G");
  // Literal spot checks of the helpers themselves: σ(0.5) = 0.6224593312…, log(1 + e^−0.5) = 0.4740769841…
  CHECK(sigma(0.5) == doctest::Approx(0.6224593312018546).epsilon(1e-14));
  CHECK(softplus(-0.5) == doctest::Approx(0.47407698418010663).epsilon(1e-14));
}

TEST_CASE("one-sided label smoothing moves the real target to 1 − s and leaves the fake side alone") {
  const Tensor2 a = scores({0.5f, -1.0f});
  Tensor2 da({2, 1});
  const double s = 0.1, t = 1.0 - s;
  for (GanLoss l : {GanLoss::Minimax, GanLoss::NonSaturating}) {
    const std::string name = gan_loss_name(l);
    // BCE against t: −t·log σ(a) − (1 − t)·log(1 − σ(a)) = t·softplus(−a) + (1 − t)·softplus(a).
    const double want =
        (t * softplus(-0.5) + (1 - t) * softplus(0.5) + t * softplus(1.0) + (1 - t) * softplus(-1.0)) / 2;
    check_side(d_side(l, a, true, 0.1f, da), da, want, {(sigma(0.5) - t) / 2, (sigma(-1.0) - t) / 2},
               name + " real, s = 0.1");
    check_side(d_side(l, a, false, 0.1f, da), da, (softplus(0.5) + softplus(-1.0)) / 2,
               {sigma(0.5) / 2, sigma(-1.0) / 2}, name + " fake, s = 0.1 (no smoothing)");
  }
  // G's side never sees the smoothing (it takes no s at all); the real side with s = 0 is the plain BCE.
  check_side(d_side(GanLoss::NonSaturating, a, true, 0.0f, da), da, (softplus(-0.5) + softplus(1.0)) / 2,
             {(sigma(0.5) - 1) / 2, (sigma(-1.0) - 1) / 2}, "s = 0");
}

TEST_CASE("least squares: real target 1, fake target 0, G's target 1") {
  // a = (0.5, −1, 2): ½(a − 1)² = 0.125, 2, 0.5 → mean 2.625/3 = 0.875; gradient (a − 1)/3.
  const Tensor2 a = scores({0.5f, -1.0f, 2.0f});
  Tensor2 da({3, 1});
  check_side(d_side(GanLoss::LeastSquares, a, true, 0.0f, da), da, 0.875, {-0.5 / 3, -2.0 / 3, 1.0 / 3},
             "lsgan D real");
  // ½a² = 0.125, 0.5, 2 → mean 2.625/3 = 0.875; gradient a/3.
  check_side(d_side(GanLoss::LeastSquares, a, false, 0.0f, da), da, 0.875, {0.5 / 3, -1.0 / 3, 2.0 / 3},
             "lsgan D fake");
  check_side(g_side(GanLoss::LeastSquares, a, da), da, 0.875, {-0.5 / 3, -2.0 / 3, 1.0 / 3}, "lsgan G");
  // Targets seen directly: the real side vanishes at a = 1, the fake side at a = 0.
  Tensor2 ones = scores({1.0f, 1.0f}), zeros = scores({0.0f, 0.0f}), d2({2, 1});
  check_side(d_side(GanLoss::LeastSquares, ones, true, 0.0f, d2), d2, 0.0, {0.0, 0.0}, "lsgan D real at 1");
  check_side(d_side(GanLoss::LeastSquares, zeros, false, 0.0f, d2), d2, 0.0, {0.0, 0.0}, "lsgan D fake at 0");
  check_side(g_side(GanLoss::LeastSquares, ones, d2), d2, 0.0, {0.0, 0.0}, "lsgan G at 1");
  // At a = 0 the real side is ½·(0 − 1)² = 0.5 per example; at a = 1 the fake side is 0.5 too.
  check_side(d_side(GanLoss::LeastSquares, zeros, true, 0.0f, d2), d2, 0.5, {-0.5, -0.5}, "lsgan D real at 0");
  check_side(d_side(GanLoss::LeastSquares, ones, false, 0.0f, d2), d2, 0.5, {0.5, 0.5}, "lsgan D fake at 1");
}

TEST_CASE("hinge: linear inside the margin, zero loss and zero gradient beyond it") {
  Tensor2 da({2, 1});
  // Real: max(0, 1 − a) at a = 0.3 → 0.7 (inside), at 1.7 → 0 (beyond): mean 0.35; da = (−½, 0).
  check_side(d_side(GanLoss::Hinge, scores({0.3f, 1.7f}), true, 0.0f, da), da, 0.35, {-0.5, 0.0}, "hinge D real");
  // Fake: max(0, 1 + a) at a = −0.4 → 0.6, at −1.5 → 0: mean 0.3; da = (½, 0).
  check_side(d_side(GanLoss::Hinge, scores({-0.4f, -1.5f}), false, 0.0f, da), da, 0.3, {0.5, 0.0}, "hinge D fake");
  // Both beyond the margin: nothing at all (this is where a hinge without max(0, ·) goes negative).
  check_side(d_side(GanLoss::Hinge, scores({1.7f, 2.5f}), true, 0.0f, da), da, 0.0, {0.0, 0.0}, "hinge D real beyond");
  check_side(d_side(GanLoss::Hinge, scores({-1.5f, -3.0f}), false, 0.0f, da), da, 0.0, {0.0, 0.0},
             "hinge D fake beyond");
  // The wrong side of zero is inside the margin too: real a = −0.2 → 1.2, fake a = 0.25 → 1.25.
  check_side(d_side(GanLoss::Hinge, scores({-0.2f, 1.7f}), true, 0.0f, da), da, 0.6, {-0.5, 0.0}, "hinge D real a < 0");
  check_side(d_side(GanLoss::Hinge, scores({0.25f, -1.5f}), false, 0.0f, da), da, 0.625, {0.5, 0.0},
             "hinge D fake a > 0");
  // G: −mean a = −(0.3 + 1.7 − 0.4)/3; no margin on G's side: da = −⅓ everywhere.
  Tensor2 dg({3, 1});
  check_side(g_side(GanLoss::Hinge, scores({0.3f, 1.7f, -0.4f}), dg), dg, -1.6 / 3, {-1.0 / 3, -1.0 / 3, -1.0 / 3},
             "hinge G");
}

TEST_CASE("wgan: the critic's gap and G's −D, unbounded on both sides") {
  const Tensor2 a = scores({0.3f, 1.7f, -0.4f, -1.5f});
  Tensor2 da({4, 1});
  // Real: −mean a = −(0.3 + 1.7 − 0.4 − 1.5)/4 = −0.025; fake: +0.025; G: −0.025.
  check_side(d_side(GanLoss::Wasserstein, a, true, 0.0f, da), da, -0.025, {-0.25, -0.25, -0.25, -0.25}, "wgan D real");
  check_side(d_side(GanLoss::Wasserstein, a, false, 0.0f, da), da, 0.025, {0.25, 0.25, 0.25, 0.25}, "wgan D fake");
  check_side(g_side(GanLoss::Wasserstein, a, da), da, -0.025, {-0.25, -0.25, -0.25, -0.25}, "wgan G");
  // Large scores stay linear (no clipping of the loss itself): real a = 10 → −10.
  Tensor2 d1({1, 1});
  check_side(d_side(GanLoss::Wasserstein, scores({10.0f}), true, 0.0f, d1), d1, -10.0, {-1.0}, "wgan D real at 10");
}

TEST_CASE("every loss is a mean: repeating the batch keeps the value and halves each gradient") {
  const std::vector<float> half = {0.3f, 1.7f, -0.4f};
  std::vector<float> twice = half;
  twice.insert(twice.end(), half.begin(), half.end());
  const Tensor2 a3 = scores(half), a6 = scores(twice);
  for (GanLoss l : kAllLosses) {
    INFO(gan_loss_name(l));
    Tensor2 d3({3, 1}), d6({6, 1});
    for (int side = 0; side < 3; ++side) {
      INFO("side " << side);
      const double v3 = side == 2 ? g_side(l, a3, d3) : d_side(l, a3, side == 0, 0.0f, d3);
      const double v6 = side == 2 ? g_side(l, a6, d6) : d_side(l, a6, side == 0, 0.0f, d6);
      CHECK(v6 == doctest::Approx(v3).epsilon(1e-6));
      for (std::size_t i = 0; i < 6; ++i) CHECK(d6(i, 0) == doctest::Approx(0.5 * d3(i % 3, 0)).epsilon(1e-6));
    }
  }
}

TEST_CASE("every loss's gradient matches finite differences, with poisoned outputs and an ε sweep") {
  // Scores at least 0.3 from the hinge's kinks at ±1 (the sweep's largest step is 0.01).
  const std::vector<float> raw = {0.3f, 1.7f, -0.4f, -1.5f, 2.2f, -0.7f};
  for (GanLoss l : kAllLosses) {
    const float smooth = outputs_probability(l) ? 0.1f : 0.0f;
    Tensor2 a = scores(raw), da({raw.size(), 1}), target({raw.size(), 1});
    genlab::test::GradCheck gc;
    gc.poison = [&] {
      genlab::test::poison(da);
      genlab::test::poison(target);
    };
    for (int side = 0; side < 3; ++side) {
      auto f = [&]() -> double {
        return side == 2 ? g_side_loss(l, a, da, target) : d_side_loss(l, a, side == 0, smooth, da, target);
      };
      const std::string what = gan_loss_name(l) + (side == 0 ? " D real" : side == 1 ? " D fake" : " G");
      genlab::test::check_gradient(a.data(), a.size(), f, [&] { return da.data(); }, gc, what);
    }
  }
}

TEST_CASE("loss names round-trip; only the cross-entropy losses read D's score as a logit") {
  for (GanLoss l : kAllLosses)
    CHECK(parse_gan_loss(gan_loss_name(l)) == l);
  CHECK(outputs_probability(GanLoss::Minimax));
  CHECK(outputs_probability(GanLoss::NonSaturating));
  CHECK_FALSE(outputs_probability(GanLoss::LeastSquares));
  CHECK_FALSE(outputs_probability(GanLoss::Hinge));
  CHECK_FALSE(outputs_probability(GanLoss::Wasserstein));
  CHECK_THROWS_AS(parse_gan_loss("wasserstein"), std::invalid_argument);
}
