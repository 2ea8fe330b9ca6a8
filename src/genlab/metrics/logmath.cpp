#include "genlab/metrics/logmath.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace genlab::metrics {
namespace {

// One body for float and double inputs; the arithmetic is always double.
template <class T>
double log_sum_exp_impl(const T* x, std::size_t n) {
  double m = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = static_cast<double>(x[i]);
    if (std::isnan(xi)) return xi;
    if (xi > m) m = xi;
  }
  // Both infinities would make xᵢ − m NaN below (−∞ − (−∞), +∞ − (+∞)); the answer is m itself.
  if (std::isinf(m)) return m;
  // Why subtract the max: exp(1000) overflows and exp(−1000) underflows to 0, but every
  // exp(xᵢ − m) lies in (0, 1] and the largest is exactly 1, so the sum is in [1, n]: no overflow,
  // and its log never sees 0.
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(x[i]) - m);
  return m + std::log(s);
}

template <class T>
double log_mean_exp_impl(const T* x, std::size_t n) {
  if (n == 0) throw std::invalid_argument("log_mean_exp: x is empty (the mean of nothing is undefined)");
  return log_sum_exp_impl(x, n) - std::log(static_cast<double>(n));
}

}  // namespace

double log_sum_exp(const double* x, std::size_t n) { return log_sum_exp_impl(x, n); }
double log_sum_exp(const float* x, std::size_t n) { return log_sum_exp_impl(x, n); }
double log_mean_exp(const double* x, std::size_t n) { return log_mean_exp_impl(x, n); }
double log_mean_exp(const float* x, std::size_t n) { return log_mean_exp_impl(x, n); }

}  // namespace genlab::metrics
