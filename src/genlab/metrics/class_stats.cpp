#include "genlab/metrics/class_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace genlab::metrics {
namespace {

// Why this floor: p log p needs 0·log 0 = 0, but 0·log(0) is 0·(−∞) = NaN in IEEE. The smallest
// normal double lies below every nonzero float probability and every mean of n of them, so the
// floor changes only exact zeros, whose products then come out as an exact 0.
constexpr double kLogFloor = std::numeric_limits<double>::min();

double safe_log(double p) { return std::log(std::max(p, kLogFloor)); }

void require_probs(const Tensor2& probs, const char* func) {
  const std::size_t n = rows(probs), k = cols(probs);
  if (n == 0 || k == 0)
    throw std::invalid_argument(std::string(func) + ": probs must be (n, K) with n, K ≥ 1, got (" +
                                std::to_string(n) + ", " + std::to_string(k) + ")");
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::size_t j = 0; j < k; ++j) {
      const float p = probs(i, j);
      // NaN fails both comparisons; 1 + tolerance admits a normaliser's last-bit overshoot.
      if (!(p >= 0.0f && static_cast<double>(p) <= 1.0 + kProbRowTolerance))
        throw std::invalid_argument(std::string(func) + ": probs(" + std::to_string(i) + ", " + std::to_string(j) +
                                    ") = " + std::to_string(p) + " is not a probability");
      sum += static_cast<double>(p);
    }
    if (std::fabs(sum - 1.0) > kProbRowTolerance)
      throw std::invalid_argument(std::string(func) + ": probs row " + std::to_string(i) + " sums to " +
                                  std::to_string(sum) + ", not 1 (logits instead of probabilities?)");
  }
}

// Index of the largest entry of row i; ties keep the lower index.
std::size_t argmax_row(const Tensor2& probs, std::size_t i) {
  std::size_t best = 0;
  for (std::size_t j = 1; j < cols(probs); ++j)
    if (probs(i, j) > probs(i, best)) best = j;
  return best;
}

}  // namespace

ClassStats class_stats(const Tensor2& probs) {
  require_probs(probs, "class_stats");
  const std::size_t n = rows(probs), k = cols(probs);
  const double dn = static_cast<double>(n), dk = static_cast<double>(k);

  ClassStats s{};
  s.histogram.assign(k, 0.0);
  std::vector<double> marginal(k, 0.0);  // p(y) = (1/n) Σₓ p(y|x)
  for (std::size_t i = 0; i < n; ++i) {
    s.histogram[argmax_row(probs, i)] += 1.0;
    for (std::size_t j = 0; j < k; ++j) marginal[j] += static_cast<double>(probs(i, j));
  }
  for (std::size_t j = 0; j < k; ++j) {
    s.histogram[j] /= dn;
    marginal[j] /= dn;
    if (s.histogram[j] > 0.0) {
      ++s.classes_covered;
      s.kl_from_uniform += s.histogram[j] * std::log(s.histogram[j] * dk);
    }
  }
  s.max_class_fraction = *std::max_element(s.histogram.begin(), s.histogram.end());

  // E_x KL(p(y|x) ‖ p(y)) = (1/n) Σₓ Σ_y p(y|x) (log p(y|x) − log p(y)).
  double mean_kl = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) {
      const double p = probs(i, j);
      mean_kl += p * (safe_log(p) - safe_log(marginal[j]));
    }
  mean_kl /= dn;
  // The mean KL is a mutual information, ≥ 0 exactly; clamp the rounding so the score is ≥ 1.
  s.classifier_score = std::exp(std::max(mean_kl, 0.0));
  return s;
}

double accuracy(const Tensor2& probs, const std::vector<std::uint8_t>& labels) {
  require_probs(probs, "accuracy");
  const std::size_t n = rows(probs);
  if (labels.size() != n)
    throw std::invalid_argument("accuracy: labels has " + std::to_string(labels.size()) + " entries, probs has " +
                                std::to_string(n) + " rows");
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] >= cols(probs))
      throw std::invalid_argument("accuracy: labels[" + std::to_string(i) + "] = " + std::to_string(labels[i]) +
                                  " is not below K = " + std::to_string(cols(probs)));
    correct += argmax_row(probs, i) == labels[i] ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

}  // namespace genlab::metrics
