// log_sum_exp / log_mean_exp: exact known values, no overflow or underflow, infinities, NaN.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/metrics/logmath.hpp"

using genlab::metrics::log_mean_exp;
using genlab::metrics::log_sum_exp;

namespace {
const double kInf = std::numeric_limits<double>::infinity();
}

TEST_CASE("log_sum_exp: known values") {
  CHECK(log_sum_exp(std::vector<double>{0.0, 0.0}) == doctest::Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(log_sum_exp(std::vector<double>{std::log(1.0), std::log(2.0), std::log(3.0)}) ==
        doctest::Approx(std::log(6.0)).epsilon(1e-15));
  CHECK(log_sum_exp(std::vector<double>{-3.25}) == -3.25);  // one term: exactly itself
  CHECK(log_sum_exp(std::vector<double>{7.5, -kInf}) == 7.5);
}

TEST_CASE("log_sum_exp: huge and tiny values neither overflow nor underflow") {
  // Naively exp(1000) = inf and exp(−1000) = 0.
  CHECK(log_sum_exp(std::vector<double>{1000.0, 1000.0}) == doctest::Approx(1000.0 + std::log(2.0)).epsilon(1e-15));
  CHECK(log_sum_exp(std::vector<double>{-1000.0, -1000.0}) ==
        doctest::Approx(-1000.0 + std::log(2.0)).epsilon(1e-15));
  CHECK(log_sum_exp(std::vector<double>(1000, -2000.0)) == doctest::Approx(-2000.0 + std::log(1000.0)).epsilon(1e-15));
  // A term e^−2000 below the largest is lost to rounding: the answer is the max, exactly.
  CHECK(log_sum_exp(std::vector<double>{1000.0, -1000.0}) == 1000.0);
  // Float inputs near FLT_MAX (exp overflows even in double) are accumulated in double.
  const std::vector<float> big = {3.0e38f, 3.0e38f};
  const double r = log_sum_exp(big.data(), big.size());
  CHECK(std::isfinite(r));
  CHECK(r == doctest::Approx(3.0e38));
  const std::vector<float> f = {-800.0f, -800.0f, -800.0f, -800.0f};
  CHECK(log_sum_exp(f.data(), f.size()) == doctest::Approx(-800.0 + std::log(4.0)).epsilon(1e-15));
}

TEST_CASE("log_sum_exp: empty, infinite and NaN inputs") {
  CHECK(log_sum_exp(std::vector<double>{}) == -kInf);  // log of the empty sum 0
  CHECK(log_sum_exp(std::vector<double>{-kInf, -kInf}) == -kInf);
  CHECK(log_sum_exp(std::vector<double>{1.0, kInf}) == kInf);
  CHECK(std::isnan(log_sum_exp(std::vector<double>{1.0, std::nan(""), 2.0})));
  CHECK(std::isnan(log_sum_exp(std::vector<double>{kInf, std::nan("")})));
}

TEST_CASE("log_mean_exp: the importance-weighted average, and empty throws") {
  CHECK(log_mean_exp(std::vector<double>{std::log(2.0), std::log(4.0)}) ==
        doctest::Approx(std::log(3.0)).epsilon(1e-15));
  const std::vector<float> w = {-1000.0f, -1000.0f, -1000.0f};
  CHECK(log_mean_exp(w.data(), w.size()) == doctest::Approx(-1000.0).epsilon(1e-15));
  CHECK_THROWS_AS(log_mean_exp(std::vector<double>{}), std::invalid_argument);
  CHECK_THROWS_AS(log_mean_exp(static_cast<const float*>(nullptr), 0), std::invalid_argument);
}
