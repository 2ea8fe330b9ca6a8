#include "genlab/metrics/modes.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "genlab/metrics/check.hpp"

namespace genlab::metrics {
namespace {

// Index of the mean nearest to (x, y) and the squared distance to it; ties keep the lower index.
std::pair<std::size_t, double> nearest_mode(double x, double y, const std::vector<std::array<float, 2>>& means) {
  std::size_t best = 0;
  double best_d2 = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < means.size(); ++k) {
    const double dx = x - static_cast<double>(means[k][0]);
    const double dy = y - static_cast<double>(means[k][1]);
    const double d2 = dx * dx + dy * dy;
    if (d2 < best_d2) {
      best_d2 = d2;
      best = k;
    }
  }
  return {best, best_d2};
}

// KL(q ‖ uniform over K) for the histogram `counts` with total `total` > 0: Σ_{qᵢ>0} qᵢ log(qᵢ·K).
double kl_from_uniform(const std::vector<int>& counts, int total) {
  const double k = static_cast<double>(counts.size());
  double kl = 0.0;
  for (int c : counts) {
    if (c == 0) continue;  // 0·log 0 = 0
    const double q = static_cast<double>(c) / total;
    kl += q * std::log(q * k);
  }
  return kl;
}

}  // namespace

ModeStats mode_stats(const Tensor2& samples, const std::vector<std::array<float, 2>>& means, float sigma,
                     const std::vector<std::uint8_t>& asked) {
  detail::require_points(samples, "mode_stats", "samples");
  if (!asked.empty() && asked.size() != rows(samples))
    throw std::invalid_argument("mode_stats: " + std::to_string(asked.size()) + " asked modes for " +
                                std::to_string(rows(samples)) + " samples");
  if (means.empty()) throw std::invalid_argument("mode_stats: means is empty (need at least one mode)");
  for (std::size_t k = 0; k < means.size(); ++k)
    if (!std::isfinite(means[k][0]) || !std::isfinite(means[k][1]))
      throw std::invalid_argument("mode_stats: means[" + std::to_string(k) + "] is not finite");
  if (!(sigma > 0.0f) || !std::isfinite(sigma))
    throw std::invalid_argument("mode_stats: sigma must be positive and finite, got " + std::to_string(sigma));

  // Why squared distances in double: no sqrt, (3σ)² is exact for a float σ (26 × 26 bits < 53)
  // and x − μ is exact for float coordinates of similar scale, so the inclusive 3σ boundary is
  // decided by the inputs, not by float rounding.
  const double radius = 3.0 * static_cast<double>(sigma);
  const double radius2 = radius * radius;

  ModeStats s{};
  s.modes_total = static_cast<int>(means.size());
  s.hq_per_mode.assign(means.size(), 0);
  int hq = 0, hits = 0;
  for (std::size_t i = 0; i < rows(samples); ++i) {
    // A NaN coordinate makes every d² NaN, so nearest_mode reports d² = +∞: never high-quality.
    const auto [k, d2] = nearest_mode(samples(i, 0), samples(i, 1), means);
    if (d2 <= radius2) {
      ++s.hq_per_mode[k];
      ++hq;
      hits += !asked.empty() && asked[i] == k ? 1 : 0;
    }
  }
  for (int c : s.hq_per_mode) s.modes_covered += c > 0 ? 1 : 0;
  s.hq_fraction = static_cast<double>(hq) / static_cast<double>(rows(samples));
  s.asked_fraction = static_cast<double>(hits) / static_cast<double>(rows(samples));
  s.reverse_kl = hq > 0 ? kl_from_uniform(s.hq_per_mode, hq) : std::numeric_limits<double>::quiet_NaN();
  return s;
}

}  // namespace genlab::metrics
