// Losses: values against direct formulas, gradients against central differences.
#include <cmath>

#include <doctest/doctest.h>

#include "genlab/nn/losses.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using genlab::test::check_all_close;

namespace {
constexpr float kH = 1e-2f;
constexpr double kAtol = 1e-3, kRtol = 1e-2;
}  // namespace

TEST_CASE("bce_with_logits: value, stability and gradient") {
  Rng rng(1u);
  Tensor2 z = genlab::test::random_tensor(rng, 4, 5, -4.0f, 4.0f);
  Tensor2 t = genlab::test::random_tensor(rng, 4, 5, 0.0f, 1.0f);
  Tensor2 dz;
  const float scale = 0.25f;
  const float loss = nn::bce_with_logits(z, t, dz, scale);
  double ref = 0.0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-double(z.data()[i])));
    ref -= t.data()[i] * std::log(p) + (1.0 - t.data()[i]) * std::log(1.0 - p);
  }
  CHECK(loss == doctest::Approx(ref * scale).epsilon(1e-5));
  Tensor2 scratch, num(z.shape());
  genlab::test::numeric_grad(z.data(), z.size(), kH, [&] { return double(nn::bce_with_logits(z, t, scratch, scale)); },
                             num.data());
  check_all_close(dz.data(), num.data(), z.size(), kAtol, kRtol, "dz");

  // Extreme logits stay finite: log(σ(−200)) would be −inf computed naively.
  Tensor2 ze = {{-200.0f, 200.0f}}, te = {{1.0f, 0.0f}};
  const float le = nn::bce_with_logits(ze, te, dz, 1.0f);
  CHECK(le == doctest::Approx(400.0f));
  CHECK(dz(0, 0) == doctest::Approx(-1.0f));
  CHECK(dz(0, 1) == doctest::Approx(1.0f));
}

TEST_CASE("mse: value and gradient") {
  Rng rng(2u);
  Tensor2 y = genlab::test::random_tensor(rng, 3, 4), t = genlab::test::random_tensor(rng, 3, 4), dy, scratch;
  const float loss = nn::mse(y, t, dy, 0.5f);
  double ref = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) ref += std::pow(double(y.data()[i]) - t.data()[i], 2);
  CHECK(loss == doctest::Approx(0.5 * ref).epsilon(1e-5));
  Tensor2 num(y.shape());
  genlab::test::numeric_grad(y.data(), y.size(), kH, [&] { return double(nn::mse(y, t, scratch, 0.5f)); }, num.data());
  check_all_close(dy.data(), num.data(), y.size(), kAtol, kRtol, "dy");
}

TEST_CASE("gaussian_kl: value against the closed form and gradients") {
  Rng rng(3u);
  Tensor2 mu = genlab::test::random_tensor(rng, 3, 2, -2.0f, 2.0f);
  Tensor2 lv = genlab::test::random_tensor(rng, 3, 2, -2.0f, 1.0f);
  Tensor2 dmu, dlv, s1, s2;
  const float kl = nn::gaussian_kl(mu, lv, dmu, dlv, 1.0f);
  double ref = 0.0;
  for (std::size_t i = 0; i < mu.size(); ++i) {
    const double m = mu.data()[i], v = std::exp(double(lv.data()[i]));
    ref += 0.5 * (v + m * m - 1.0 - std::log(v));  // KL(N(m, v) ‖ N(0, 1))
  }
  CHECK(kl == doctest::Approx(ref).epsilon(1e-5));
  Tensor2 num(mu.shape());
  genlab::test::numeric_grad(mu.data(), mu.size(), kH, [&] { return double(nn::gaussian_kl(mu, lv, s1, s2, 1.0f)); },
                             num.data());
  check_all_close(dmu.data(), num.data(), mu.size(), kAtol, kRtol, "dmu");
  genlab::test::numeric_grad(lv.data(), lv.size(), kH, [&] { return double(nn::gaussian_kl(mu, lv, s1, s2, 1.0f)); },
                             num.data());
  check_all_close(dlv.data(), num.data(), lv.size(), kAtol, kRtol, "dlogvar");
  // KL is zero exactly at the prior.
  Tensor2 z0 = xt::zeros<float>({2, 2});
  CHECK(nn::gaussian_kl(z0, z0, s1, s2, 1.0f) == 0.0f);
}

TEST_CASE("gaussian_nll: value and gradients in mean and log-variance") {
  Rng rng(4u);
  Tensor2 y = genlab::test::random_tensor(rng, 3, 2), t = genlab::test::random_tensor(rng, 3, 2);
  Tensor2 lv = genlab::test::random_tensor(rng, 3, 2, -1.0f, 1.0f);
  Tensor2 dy, dlv, s1, s2;
  const float nll = nn::gaussian_nll(y, lv, t, dy, dlv, 1.0f);
  double ref = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double var = std::exp(double(lv.data()[i])), d = double(t.data()[i]) - y.data()[i];
    ref -= -0.5 * std::log(2.0 * M_PI * var) - d * d / (2.0 * var);
  }
  CHECK(nll == doctest::Approx(ref).epsilon(1e-5));
  Tensor2 num(y.shape());
  auto f = [&] { return double(nn::gaussian_nll(y, lv, t, s1, s2, 1.0f)); };
  genlab::test::numeric_grad(y.data(), y.size(), kH, f, num.data());
  check_all_close(dy.data(), num.data(), y.size(), kAtol, kRtol, "dy");
  genlab::test::numeric_grad(lv.data(), lv.size(), kH, f, num.data());
  check_all_close(dlv.data(), num.data(), lv.size(), kAtol, kRtol, "dlogvar");
}

TEST_CASE("losses reject mismatched shapes") {
  Tensor2 a = xt::zeros<float>({2, 3}), b = xt::zeros<float>({3, 2}), d, e;
  CHECK_THROWS_AS(nn::bce_with_logits(a, b, d, 1.0f), std::invalid_argument);
  CHECK_THROWS_AS(nn::mse(a, b, d, 1.0f), std::invalid_argument);
  CHECK_THROWS_AS(nn::gaussian_kl(a, b, d, e, 1.0f), std::invalid_argument);
}

TEST_CASE("softmax_cross_entropy: value, extreme logits and gradient") {
  Rng rng(5u);
  Tensor2 z = genlab::test::random_tensor(rng, 4, 3, -3.0f, 3.0f), dz, scratch;
  const std::uint8_t y[4] = {0, 2, 1, 2};
  const float loss = nn::softmax_cross_entropy(z, y, dz, 0.25f);
  double ref = 0.0;
  for (std::size_t r = 0; r < 4; ++r) {
    double s = 0.0;
    for (std::size_t k = 0; k < 3; ++k) s += std::exp(double(z(r, k)));
    ref += std::log(s) - z(r, y[r]);
  }
  CHECK(loss == doctest::Approx(0.25 * ref).epsilon(1e-5));
  Tensor2 num(z.shape());
  genlab::test::numeric_grad(z.data(), z.size(), kH, [&] { return double(nn::softmax_cross_entropy(z, y, scratch, 0.25f)); },
                             num.data());
  check_all_close(dz.data(), num.data(), z.size(), kAtol, kRtol, "dz");
  Tensor2 ze = {{0.0f, 500.0f}};
  const std::uint8_t y0[1] = {0};
  CHECK(nn::softmax_cross_entropy(ze, y0, dz, 1.0f) == doctest::Approx(500.0f));  // exact, not capped
  const std::uint8_t bad[1] = {2};
  CHECK_THROWS_AS(nn::softmax_cross_entropy(ze, bad, dz, 1.0f), std::invalid_argument);
  Tensor2 p;
  nn::softmax(z, p);
  for (std::size_t r = 0; r < 4; ++r) CHECK(p(r, 0) + p(r, 1) + p(r, 2) == doctest::Approx(1.0f));
}
