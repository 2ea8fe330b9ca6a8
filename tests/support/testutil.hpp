// Helpers shared by the test suites: random tensors, comparisons and finite-difference checks.
#pragma once

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include <doctest/doctest.h>

#include "genlab/core/rng.hpp"
#include "genlab/core/tensor.hpp"

namespace genlab::test {

inline Tensor2 random_tensor(Rng& rng, std::size_t r, std::size_t c, float lo = -1.0f, float hi = 1.0f) {
  Tensor2 t({r, c});
  for (auto& v : t) v = rng.uniform(lo, hi);
  return t;
}

// Values whose magnitude is at least `gap`: keeps ReLU-family kinks out of finite differences on
// purpose (a central difference across x = 0 measures the average of two slopes).
inline Tensor2 random_away_from_zero(Rng& rng, std::size_t r, std::size_t c, float gap, float hi = 1.5f) {
  Tensor2 t({r, c});
  for (auto& v : t) {
    const float m = rng.uniform(gap, hi);
    v = rng.uniform() < 0.5f ? -m : m;
  }
  return t;
}

inline bool close(double a, double b, double atol, double rtol) {
  return std::fabs(a - b) <= atol + rtol * std::max(std::fabs(a), std::fabs(b));
}

// Checks every element of `analytic` against `numeric`; reports the first few mismatches.
inline void check_all_close(const float* analytic, const float* numeric, std::size_t n, double atol, double rtol,
                            const std::string& what) {
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!close(analytic[i], numeric[i], atol, rtol) || std::isnan(analytic[i]) != std::isnan(numeric[i])) {
      if (bad < 5)
        MESSAGE(what << "[" << i << "]: got " << analytic[i] << ", expected " << numeric[i]);
      ++bad;
    }
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " of " << n << " values differ");
}

// Central difference of f with respect to every element of p (n floats), step h, in double.
inline void numeric_grad(float* p, std::size_t n, float h, const std::function<double()>& f, float* out) {
  for (std::size_t i = 0; i < n; ++i) {
    const float keep = p[i];
    p[i] = keep + h;
    const double fp = f();
    p[i] = keep - h;
    const double fm = f();
    p[i] = keep;
    out[i] = static_cast<float>((fp - fm) / (2.0 * static_cast<double>(h)));
  }
}

inline double dot(const Tensor2& a, const Tensor2& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a.data()[i]) * b.data()[i];
  return s;
}

}  // namespace genlab::test
