// The shared finite-difference gradient checker. Two things make it stricter than a plain central
// difference:
//  * poisoning: before every evaluation (the analytic one and each finite difference) the caller's
//    `poison` hook fills the output buffers the computation writes (y, dx, da, scratch) with NaN,
//    so code that reads its own stale output, accumulates into it, or forgets to write an element
//    (e.g. the zero gradient of a hinge beyond its margin) produces NaN instead of passing on
//    leftovers of an earlier call;
//  * an ε sweep: every element is differenced at several steps and judged by the best one, so a
//    step too large for a curved function or too small for float rounding does not decide alone.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/core/tensor.hpp"
#include "support/testutil.hpp"

namespace genlab::test {

inline void poison(float* p, std::size_t n) { std::fill(p, p + n, std::numeric_limits<float>::quiet_NaN()); }
inline void poison(Tensor2& t) { poison(t.data(), t.size()); }
// A buffer a layer owns and hands out as const (its y or dx): poisoned through the reference, which
// is what a later forward/backward of the same batch size must overwrite.
inline void poison_owned(const Tensor2& t) { poison(const_cast<float*>(t.data()), t.size()); }

struct GradCheck {
  std::vector<float> steps{1e-2f, 3e-3f, 1e-3f};  // ε values tried for every element
  double atol = 2e-3, rtol = 1e-2;                 // pass: |a − n| ≤ atol + rtol·max(|a|, |n|)
  std::function<void()> poison;                    // fills every output buffer with NaN (may be empty)

  void poison_outputs() const {
    if (poison) poison();
  }
};

// Compares analytic[i] with central differences of f over p[i] (n floats) at every step of the
// sweep; an element passes when its best step agrees. f must leave p as it found it (it does:
// the checker restores p[i] itself). Reports the first few failures with the best numeric value.
inline void check_against_differences(const float* analytic, float* p, std::size_t n,
                                      const std::function<double()>& f, const GradCheck& gc,
                                      const std::string& what) {
  REQUIRE(!gc.steps.empty());
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float keep = p[i];
    double best = std::numeric_limits<double>::quiet_NaN(), best_err = std::numeric_limits<double>::infinity();
    float best_h = 0.0f;
    bool poisoned = false;  // f came out NaN or infinite at some step: it read a poisoned buffer
    for (float h : gc.steps) {
      p[i] = keep + h;
      gc.poison_outputs();
      const double fp = f();
      p[i] = keep - h;
      gc.poison_outputs();
      const double fm = f();
      p[i] = keep;
      poisoned = poisoned || !std::isfinite(fp) || !std::isfinite(fm);
      // The step actually taken in float, not the nominal one.
      const double step = static_cast<double>(keep + h) - static_cast<double>(keep - h);
      const double num = (fp - fm) / step;
      const double err = std::fabs(num - static_cast<double>(analytic[i]));
      if (best_h == 0.0f || err < best_err) best_err = err, best = num, best_h = h;
    }
    if (poisoned || !close(analytic[i], best, gc.atol, gc.rtol) || !std::isfinite(analytic[i])) {
      if (bad < 5) MESSAGE(what << "[" << i << "]: analytic " << analytic[i] << ", best difference " << best << " (ε = "
                                << best_h << ")" << (poisoned ? ", f not finite at some step" : ""));
      ++bad;
    }
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " of " << n << " gradients disagree with every step of the sweep");
}

// The whole check for a function whose gradient lands in an output buffer: poisons, runs f once,
// copies the n floats grad() points to afterwards (a NaN left there fails: an element was not
// written), then differences f over p (n floats) with poisoned outputs before every call.
inline void check_gradient(float* p, std::size_t n, const std::function<double()>& f,
                           const std::function<const float*()>& grad, const GradCheck& gc, const std::string& what) {
  gc.poison_outputs();
  f();
  const float* g = grad();
  const std::vector<float> analytic(g, g + n);
  const auto unwritten = std::count_if(analytic.begin(), analytic.end(), [](float v) { return std::isnan(v); });
  CHECK_MESSAGE(unwritten == 0, what << ": " << unwritten << " gradient elements still hold the poison");
  check_against_differences(analytic.data(), p, n, f, gc, what);
}

}  // namespace genlab::test
