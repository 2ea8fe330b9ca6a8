// Mode coverage (VEEGAN / PacGAN protocol) on ring8 and grid25 mixtures.
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/core/rng.hpp"
#include "genlab/metrics/modes.hpp"

using namespace genlab;
using metrics::mode_stats;
using Means = std::vector<std::array<float, 2>>;

namespace {

constexpr float kRingSigma = 0.01f;
constexpr double kPi = 3.14159265358979323846;

// The ring8 means: unit circle at angles 2πi/8.
Means ring8() {
  Means m;
  for (int i = 0; i < 8; ++i) {
    const double a = 2.0 * kPi * i / 8.0;
    m.push_back({static_cast<float>(std::cos(a)), static_cast<float>(std::sin(a))});
  }
  return m;
}

// `per_mode` copies of every mean, in mode order.
Tensor2 on_means(const Means& means, std::size_t per_mode) {
  Tensor2 s({means.size() * per_mode, 2});
  for (std::size_t k = 0; k < means.size(); ++k)
    for (std::size_t r = 0; r < per_mode; ++r) {
      s(k * per_mode + r, 0) = means[k][0];
      s(k * per_mode + r, 1) = means[k][1];
    }
  return s;
}

}  // namespace

TEST_CASE("mode_stats: samples exactly on the 8 ring modes cover all, 100% HQ, reverse KL 0") {
  const Means means = ring8();
  const metrics::ModeStats s = mode_stats(on_means(means, 5), means, kRingSigma);
  CHECK(s.modes_total == 8);
  CHECK(s.modes_covered == 8);
  CHECK(s.hq_fraction == 1.0);
  CHECK(s.reverse_kl == doctest::Approx(0.0));
  CHECK(s.hq_per_mode == std::vector<int>(8, 5));
}

TEST_CASE("mode_stats: all samples on one mode cover 1 of 8, reverse KL = log 8") {
  const Means means = ring8();
  Tensor2 s({100, 2});
  for (std::size_t i = 0; i < 100; ++i) {
    s(i, 0) = means[3][0];
    s(i, 1) = means[3][1];
  }
  const metrics::ModeStats st = mode_stats(s, means, kRingSigma);
  CHECK(st.modes_covered == 1);
  CHECK(st.hq_fraction == 1.0);
  CHECK(st.reverse_kl == doctest::Approx(std::log(8.0)));
  CHECK(st.hq_per_mode[3] == 100);
}

TEST_CASE("mode_stats: half the samples far from every mode gives 50% HQ") {
  const Means means = ring8();
  Tensor2 s = on_means(means, 10);  // 80 on the modes
  Tensor2 all({160, 2});
  for (std::size_t i = 0; i < 80; ++i) {
    all(i, 0) = s(i, 0);
    all(i, 1) = s(i, 1);
    all(80 + i, 0) = 0.0f;  // the ring's centre: 1 = 100σ from every mode
    all(80 + i, 1) = 0.0f;
  }
  const metrics::ModeStats st = mode_stats(all, means, kRingSigma);
  CHECK(st.hq_fraction == doctest::Approx(0.5));
  CHECK(st.modes_covered == 8);
  CHECK(st.reverse_kl == doctest::Approx(0.0));  // the HQ half is still balanced
  CHECK(st.hq_per_mode == std::vector<int>(8, 10));
}

TEST_CASE("mode_stats: reverse KL of an unbalanced HQ histogram matches the formula") {
  // Two modes, 3 HQ samples on mode 0, 1 on mode 1, 4 far away (not in q).
  const Means means = {{{0.0f, 0.0f}}, {{10.0f, 0.0f}}};
  Tensor2 s = {{0, 0}, {0, 0}, {0, 0}, {10, 0}, {5, 50}, {5, 50}, {-40, 0}, {60, 0}};
  const metrics::ModeStats st = mode_stats(s, means, 1.0f);
  CHECK(st.hq_per_mode == std::vector<int>{3, 1});
  CHECK(st.hq_fraction == doctest::Approx(0.5));
  const double expected = 0.75 * std::log(0.75 * 2) + 0.25 * std::log(0.25 * 2);
  CHECK(st.reverse_kl == doctest::Approx(expected));
}

TEST_CASE("mode_stats: the 3 sigma boundary is inclusive") {
  // σ = 0.5 → 3σ = 1.5, exactly representable; a sample 1.5 away along an axis is HQ, the next
  // float beyond is not.
  const Means means = {{{0.0f, 0.0f}}};
  const float just_out = std::nextafter(1.5f, 2.0f);
  const float just_in = std::nextafter(1.5f, 0.0f);
  Tensor2 s = {{1.5f, 0.0f}, {0.0f, -1.5f}, {just_in, 0.0f}, {just_out, 0.0f}, {0.0f, -just_out}};
  const metrics::ModeStats st = mode_stats(s, means, 0.5f);
  CHECK(st.hq_per_mode[0] == 3);
  CHECK(st.hq_fraction == doctest::Approx(3.0 / 5.0));
}

TEST_CASE("mode_stats: a sample goes to its nearest mode, ties to the lower index") {
  const Means means = {{{0.0f, 0.0f}}, {{2.0f, 0.0f}}};
  // σ = 0.5: 3σ = 1.5 reaches the midpoint x = 1 from both modes.
  Tensor2 s = {{1.2f, 0.0f}, {1.2f, 0.0f}, {1.0f, 0.0f}};
  const metrics::ModeStats st = mode_stats(s, means, 0.5f);
  CHECK(st.hq_per_mode == std::vector<int>{1, 2});
  CHECK(st.modes_covered == 2);
}

TEST_CASE("mode_stats: zero HQ samples give reverse KL NaN and nothing covered") {
  const Means means = ring8();
  Tensor2 s = {{0.0f, 0.0f}, {5.0f, 5.0f}};
  const metrics::ModeStats st = mode_stats(s, means, kRingSigma);
  CHECK(st.hq_fraction == 0.0);
  CHECK(st.modes_covered == 0);
  CHECK(std::isnan(st.reverse_kl));
  CHECK(st.hq_per_mode == std::vector<int>(8, 0));
}

TEST_CASE("mode_stats: non-finite samples count in n but are never HQ") {
  const Means means = ring8();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  Tensor2 s = {{means[0][0], means[0][1]}, {nan, 0.0f}, {0.0f, inf}, {means[1][0], nan}};
  const metrics::ModeStats st = mode_stats(s, means, kRingSigma);
  CHECK(st.hq_fraction == doctest::Approx(0.25));
  CHECK(st.modes_covered == 1);
  CHECK(st.hq_per_mode[0] == 1);
}

TEST_CASE("mode_stats: 2,500 samples from grid25 are ~98.9% HQ and cover all 25 modes") {
  // For an isotropic 2-D Gaussian, P(‖x − μ‖ ≤ 3σ) = 1 − e^(−9/2) ≈ 0.98889 (Rayleigh radius).
  Means means;
  for (int i = -2; i <= 2; ++i)
    for (int j = -2; j <= 2; ++j) means.push_back({2.0f * static_cast<float>(i), 2.0f * static_cast<float>(j)});
  const float sigma = 0.05f;
  Rng rng(2500u);
  Tensor2 s({2500, 2});
  for (std::size_t r = 0; r < 2500; ++r) {
    const auto& m = means[r % 25];
    s(r, 0) = rng.normal(m[0], sigma);
    s(r, 1) = rng.normal(m[1], sigma);
  }
  const metrics::ModeStats st = mode_stats(s, means, sigma);
  const double expected = 1.0 - std::exp(-4.5);
  // Binomial standard deviation √(p(1−p)/n) ≈ 0.0021: allow 4 of them.
  CHECK(std::fabs(st.hq_fraction - expected) < 4 * 0.0021);
  CHECK(st.modes_covered == 25);
  CHECK(st.reverse_kl < 0.02);
}

TEST_CASE("mode_stats: bad inputs throw") {
  const Means means = ring8();
  Tensor2 ok = on_means(means, 1);
  CHECK_THROWS_AS(mode_stats(Tensor2({0, 2}), means, kRingSigma), std::invalid_argument);
  CHECK_THROWS_AS(mode_stats(Tensor2({4, 3}), means, kRingSigma), std::invalid_argument);
  CHECK_THROWS_AS(mode_stats(Tensor2({4, 1}), means, kRingSigma), std::invalid_argument);
  CHECK_THROWS_AS(mode_stats(ok, Means{}, kRingSigma), std::invalid_argument);
  CHECK_THROWS_AS(mode_stats(ok, Means{{{0.0f, std::nanf("")}}}, kRingSigma), std::invalid_argument);
  CHECK_THROWS_AS(mode_stats(ok, means, 0.0f), std::invalid_argument);
  CHECK_THROWS_AS(mode_stats(ok, means, -0.1f), std::invalid_argument);
  CHECK_THROWS_AS(mode_stats(ok, means, std::nanf("")), std::invalid_argument);
  CHECK_THROWS_AS(mode_stats(ok, means, std::numeric_limits<float>::infinity()), std::invalid_argument);
  CHECK_THROWS_WITH_AS(mode_stats(Tensor2({4, 3}), means, kRingSigma), doctest::Contains("samples"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(mode_stats(ok, means, -1.0f), doctest::Contains("sigma"), std::invalid_argument);
}

TEST_CASE("asked modes: a sample counts when it is high-quality at the mode it was asked for") {
  const std::vector<std::array<float, 2>> means = {{0.0f, 0.0f}, {1.0f, 0.0f}};
  Tensor2 x = xt::zeros<float>({4, 2});  // y = 0 for every sample
  x(0, 0) = 0.01f;  // at mode 0, asked 0: counts
  x(1, 0) = 1.0f;   // at mode 1, asked 0: wrong mode
  x(2, 0) = 0.5f;   // between the modes, asked 1: not high-quality
  x(3, 0) = 0.99f;  // at mode 1, asked 1: counts
  const auto st = mode_stats(x, means, 0.02f, {0, 0, 1, 1});
  CHECK(st.asked_fraction == doctest::Approx(0.5));
  CHECK(st.hq_fraction == doctest::Approx(0.75));
  CHECK(mode_stats(x, means, 0.02f).asked_fraction == 0.0);
  CHECK_THROWS_AS(mode_stats(x, means, 0.02f, {0, 1}), std::invalid_argument);
}
