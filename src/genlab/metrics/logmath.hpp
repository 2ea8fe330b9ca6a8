// Log-domain reductions for quantities that live as logarithms (importance weights, likelihoods).
// Inputs are pointer + length (C++17 has no std::span); every sum is accumulated in double.
#pragma once

#include <cstddef>
#include <vector>

namespace genlab::metrics {

// log Σᵢ exp(xᵢ), computed as m + log Σᵢ exp(xᵢ − m) with m = maxᵢ xᵢ.
// Edge cases follow the math: n = 0 (empty sum) → −∞; all xᵢ = −∞ → −∞; any xᵢ = +∞ → +∞;
// any NaN → NaN.
double log_sum_exp(const double* x, std::size_t n);
double log_sum_exp(const float* x, std::size_t n);
inline double log_sum_exp(const std::vector<double>& x) { return log_sum_exp(x.data(), x.size()); }

// log((1/n) Σᵢ exp(xᵢ)) = log_sum_exp(x) − log n: the importance-weighted bound's average
// (Burda, Grosse & Salakhutdinov 2016, "Importance Weighted Autoencoders", eq. 8).
// Throws std::invalid_argument for n = 0 (a mean of nothing is undefined).
double log_mean_exp(const double* x, std::size_t n);
double log_mean_exp(const float* x, std::size_t n);
inline double log_mean_exp(const std::vector<double>& x) { return log_mean_exp(x.data(), x.size()); }

}  // namespace genlab::metrics
