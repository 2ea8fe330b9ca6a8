#include "genlab/metrics/grid_divergence.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "genlab/metrics/check.hpp"

namespace genlab::metrics {
namespace {

void require_box(const Box& b, const char* func) {
  const bool finite = std::isfinite(b.x0) && std::isfinite(b.x1) && std::isfinite(b.y0) && std::isfinite(b.y1);
  if (!finite || !(b.x0 < b.x1) || !(b.y0 < b.y1))
    throw std::invalid_argument(std::string(func) + ": box must be finite with x0 < x1 and y0 < y1, got [" +
                                std::to_string(b.x0) + ", " + std::to_string(b.x1) + "] × [" +
                                std::to_string(b.y0) + ", " + std::to_string(b.y1) + "]");
}

// Cell index of v along one axis of [lo, hi] cut into g cells; outside values clamp to 0 or g − 1.
std::size_t cell(double v, double lo, double hi, int g) {
  const double t = (v - lo) / (hi - lo) * g;  // double: no overflow even for v = ±FLT_MAX
  if (t < 0.0) return 0;
  if (t >= g) return static_cast<std::size_t>(g - 1);
  return static_cast<std::size_t>(t);
}

// Smoothed, normalised histogram p̃ᵢ = (cᵢ/n + ε)/(1 + G²ε), see kGridSmoothing.
std::vector<double> smoothed(const std::vector<int>& counts, std::size_t n) {
  const double norm = 1.0 + static_cast<double>(counts.size()) * kGridSmoothing;
  std::vector<double> p(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i)
    p[i] = (static_cast<double>(counts[i]) / static_cast<double>(n) + kGridSmoothing) / norm;
  return p;
}

}  // namespace

std::vector<int> grid_histogram(const Tensor2& points, const Box& box, int grid_size) {
  detail::require_points(points, "grid_histogram", "points");
  require_box(box, "grid_histogram");
  if (grid_size < 1)
    throw std::invalid_argument("grid_histogram: grid_size must be ≥ 1, got " + std::to_string(grid_size));
  const auto g = static_cast<std::size_t>(grid_size);
  std::vector<int> counts(g * g, 0);
  for (std::size_t i = 0; i < rows(points); ++i) {
    const float x = points(i, 0), y = points(i, 1);
    if (std::isnan(x) || std::isnan(y))
      throw std::invalid_argument("grid_histogram: points row " + std::to_string(i) + " has a NaN coordinate");
    const std::size_t ix = cell(x, box.x0, box.x1, grid_size);
    const std::size_t iy = cell(y, box.y0, box.y1, grid_size);
    ++counts[iy * g + ix];
  }
  return counts;
}

GridDivergence grid_divergence(const Tensor2& real, const Tensor2& gen, const Box& box, int grid_size) {
  const std::vector<double> p = smoothed(grid_histogram(real, box, grid_size), rows(real));
  const std::vector<double> q = smoothed(grid_histogram(gen, box, grid_size), rows(gen));
  // Every p̃ᵢ, q̃ᵢ > 0 after smoothing, so each log below is finite.
  GridDivergence d{0.0, 0.0};
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double m = 0.5 * (p[i] + q[i]);
    d.kl_real_gen += p[i] * std::log(p[i] / q[i]);
    d.js += 0.5 * (p[i] * std::log(p[i] / m) + q[i] * std::log(q[i] / m));
  }
  // Each JS term is ≤ ½(p̃ᵢ + q̃ᵢ)·log 2 (since p̃ᵢ/m ≤ 2), so the bound holds up to rounding; clamp
  // that rounding so callers can rely on 0 ≤ js ≤ log 2 and kl ≥ 0 exactly.
  d.js = std::clamp(d.js, 0.0, std::log(2.0));
  d.kl_real_gen = std::max(d.kl_real_gen, 0.0);
  return d;
}

Box covering_box(const Tensor2& points, float margin) {
  detail::require_points(points, "covering_box", "points");
  if (!(margin > 0.0f) || !std::isfinite(margin))
    throw std::invalid_argument("covering_box: margin must be positive and finite, got " + std::to_string(margin));
  const double inf = std::numeric_limits<double>::infinity();
  double x0 = inf, x1 = -inf, y0 = inf, y1 = -inf;
  for (std::size_t i = 0; i < rows(points); ++i) {
    const double x = points(i, 0), y = points(i, 1);
    if (!std::isfinite(x) || !std::isfinite(y))
      throw std::invalid_argument("covering_box: points row " + std::to_string(i) + " is not finite");
    x0 = std::min(x0, x);
    x1 = std::max(x1, x);
    y0 = std::min(y0, y);
    y1 = std::max(y1, y);
  }
  const double extent = std::max(x1 - x0, y1 - y0);
  const double pad = static_cast<double>(margin) * (extent > 0.0 ? extent : 1.0);
  // Round outward to float, so the float box still covers every point even when pad is below
  // a float ulp of the coordinates.
  const auto down = [](double v) {
    const auto f = static_cast<float>(v);
    return static_cast<double>(f) > v ? std::nextafter(f, -std::numeric_limits<float>::infinity()) : f;
  };
  const auto up = [](double v) {
    const auto f = static_cast<float>(v);
    return static_cast<double>(f) < v ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
  };
  const Box b{down(x0 - pad), up(x1 + pad), down(y0 - pad), up(y1 + pad)};
  require_box(b, "covering_box");  // only fails when the padded box overflows float
  return b;
}

}  // namespace genlab::metrics
