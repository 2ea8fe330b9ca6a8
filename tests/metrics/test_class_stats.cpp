// Classifier-based image metrics: argmax histogram, coverage, KL from uniform, classifier score.
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/metrics/class_stats.hpp"

using namespace genlab;
using metrics::class_stats;

namespace {

// n one-hot rows over K classes; row i puts its mass on class_of(i).
template <class F>
Tensor2 one_hot(std::size_t n, std::size_t k, F class_of) {
  Tensor2 p = xt::zeros<float>({n, k});
  for (std::size_t i = 0; i < n; ++i) p(i, class_of(i)) = 1.0f;
  return p;
}

}  // namespace

TEST_CASE("class_stats: one-hot rows spread evenly over 10 classes score 10") {
  const metrics::ClassStats s = class_stats(one_hot(50, 10, [](std::size_t i) { return i % 10; }));
  CHECK(s.classifier_score == doctest::Approx(10.0));
  CHECK(s.classes_covered == 10);
  CHECK(s.max_class_fraction == doctest::Approx(0.1));
  CHECK(s.kl_from_uniform == doctest::Approx(0.0));
  REQUIRE(s.histogram.size() == 10u);
  for (double h : s.histogram) CHECK(h == doctest::Approx(0.1));
}

TEST_CASE("class_stats: every sample in one class scores 1, KL from uniform log 10") {
  const metrics::ClassStats s = class_stats(one_hot(30, 10, [](std::size_t) { return std::size_t{7}; }));
  CHECK(s.classifier_score == doctest::Approx(1.0));
  CHECK(s.classes_covered == 1);
  CHECK(s.max_class_fraction == doctest::Approx(1.0));
  CHECK(s.kl_from_uniform == doctest::Approx(std::log(10.0)));
  CHECK(s.histogram[7] == doctest::Approx(1.0));
}

TEST_CASE("class_stats: confident samples over 5 of 10 classes score 5") {
  // Classes 0, 2, 4, 6, 8 each hold 1/5: histogram KL = Σ ⅕ log(⅕·10) = log 2.
  const metrics::ClassStats s = class_stats(one_hot(40, 10, [](std::size_t i) { return 2 * (i % 5); }));
  CHECK(s.classifier_score == doctest::Approx(5.0));
  CHECK(s.classes_covered == 5);
  CHECK(s.max_class_fraction == doctest::Approx(0.2));
  CHECK(s.kl_from_uniform == doctest::Approx(std::log(2.0)));
}

TEST_CASE("class_stats: uncertain rows score 1 and argmax ties go to class 0") {
  Tensor2 p = xt::ones<float>({6, 4}) * 0.25f;
  const metrics::ClassStats s = class_stats(p);
  CHECK(s.classifier_score == doctest::Approx(1.0));
  CHECK(s.classes_covered == 1);
  CHECK(s.histogram[0] == doctest::Approx(1.0));
}

TEST_CASE("class_stats: soft two-class case against the direct formula") {
  Tensor2 p = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}};
  const double rows[3][2] = {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}};
  const double marg[2] = {(0.9 + 0.2 + 0.6) / 3, (0.1 + 0.8 + 0.4) / 3};
  double kl = 0.0;
  for (const auto& r : rows)
    for (int j = 0; j < 2; ++j) kl += r[j] * std::log(r[j] / marg[j]);
  kl /= 3.0;
  const metrics::ClassStats s = class_stats(p);
  CHECK(s.classifier_score == doctest::Approx(std::exp(kl)).epsilon(1e-6));
  CHECK(s.classifier_score > 1.0);
  CHECK(s.histogram[0] == doctest::Approx(2.0 / 3.0));
  const double h_kl = 2.0 / 3.0 * std::log(2.0 / 3.0 * 2) + 1.0 / 3.0 * std::log(1.0 / 3.0 * 2);
  CHECK(s.kl_from_uniform == doctest::Approx(h_kl));
  CHECK(s.max_class_fraction == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("class_stats: zero probabilities, including a class no sample touches, stay finite") {
  // Class 2 has probability 0 in every row: p(y = 2) = 0 and 0·log(0/0) must count as 0.
  Tensor2 p = {{1.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}};
  const metrics::ClassStats s = class_stats(p);
  CHECK(std::isfinite(s.classifier_score));
  CHECK(s.classifier_score == doctest::Approx(2.0));
  CHECK(s.classes_covered == 2);
  CHECK(s.kl_from_uniform == doctest::Approx(std::log(1.5)));
}

TEST_CASE("accuracy: fraction of argmax matches") {
  Tensor2 p = {{0.7f, 0.2f, 0.1f}, {0.1f, 0.1f, 0.8f}, {0.3f, 0.4f, 0.3f}, {0.5f, 0.5f, 0.0f}};
  CHECK(metrics::accuracy(p, {0, 2, 1, 0}) == doctest::Approx(1.0));
  CHECK(metrics::accuracy(p, {0, 2, 1, 1}) == doctest::Approx(0.75));  // tie 0.5/0.5 → class 0
  CHECK(metrics::accuracy(p, {1, 0, 0, 2}) == doctest::Approx(0.0));
  CHECK(metrics::accuracy(p, {0, 1, 1, 0}) == doctest::Approx(0.75));
}

TEST_CASE("class metrics: bad inputs throw") {
  Tensor2 ok = {{0.5f, 0.5f}};
  CHECK_THROWS_AS(class_stats(Tensor2({0, 10})), std::invalid_argument);
  CHECK_THROWS_AS(class_stats(Tensor2({3, 0})), std::invalid_argument);
  // Logits, not probabilities.
  CHECK_THROWS_WITH_AS(class_stats(Tensor2{{2.0f, -1.0f}}), doctest::Contains("probs(0, 0)"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(class_stats(Tensor2{{0.5f, 0.5f}, {0.3f, 0.3f}}), doctest::Contains("row 1"),
                       std::invalid_argument);
  CHECK_THROWS_AS(class_stats(Tensor2{{1.1f, -0.1f}}), std::invalid_argument);
  CHECK_THROWS_AS(class_stats(Tensor2{{std::nanf(""), 1.0f}}), std::invalid_argument);
  // Float rounding in a softmax row is accepted.
  CHECK_NOTHROW(class_stats(Tensor2{{0.3333333f, 0.3333333f, 0.3333333f}}));
  CHECK_THROWS_AS(metrics::accuracy(ok, {0, 1}), std::invalid_argument);
  CHECK_THROWS_AS(metrics::accuracy(ok, {}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::accuracy(ok, {2}), doctest::Contains("labels[0]"), std::invalid_argument);
  CHECK_THROWS_AS(metrics::accuracy(Tensor2({0, 2}), {}), std::invalid_argument);
}
