// Image-generation metrics from a classifier's predicted class probabilities probs (n, K), one
// row per generated image (rows sum to 1). The classifier is GenLab's own MLP, so the score below
// is the Inception Score's definition (Salimans et al. 2016, "Improved Techniques for Training
// GANs", §4) applied to that classifier: comparable between GenLab runs, not with published IS.
#pragma once

#include <cstdint>
#include <vector>

#include "genlab/core/tensor.hpp"

namespace genlab::metrics {

struct ClassStats {
  std::vector<double> histogram;  // K fractions of samples per argmax class (sums to 1)
  int classes_covered;            // classes that are the argmax of ≥ 1 sample
  double max_class_fraction;      // max of histogram: 1/K is perfectly balanced, 1 is collapse
  double kl_from_uniform;         // KL(histogram ‖ uniform over K) = Σ_{hₖ>0} hₖ log(hₖ·K), nats
  double classifier_score;        // exp(E_x KL(p(y|x) ‖ p(y))), p(y) = mean of the rows; ∈ [1, K]
};

// Row-sum tolerance: float softmax rows are off by ~K·2⁻²⁴; 1e-3 still rejects logits and
// unnormalised scores, the usual mistake.
constexpr double kProbRowTolerance = 1e-3;

// Argmax ties go to the lower class index. Zero probabilities are safe (0·log 0 = 0).
// Throws std::invalid_argument if probs has no rows or no columns, holds a negative or NaN entry or
// one above 1 + kProbRowTolerance, or a row whose sum is not within kProbRowTolerance of 1.
ClassStats class_stats(const Tensor2& probs);

// Fraction of rows whose argmax (ties → lower index) equals labels[i].
// Throws std::invalid_argument on the same bad probs as class_stats, if labels.size() ≠ n, or if
// a label is ≥ K.
double accuracy(const Tensor2& probs, const std::vector<std::uint8_t>& labels);

}  // namespace genlab::metrics
