// Losses return the scalar value and WRITE (not add) the gradient of their input(s).
// Every loss is scale · Σ over all elements; the caller picks the reduction through `scale`
// (1/B: sum over features, mean over the batch — the VAE convention; 1/(B·D): mean over all).
#pragma once

#include <cstdint>

#include "genlab/core/tensor.hpp"

namespace genlab::nn {

// Binary cross-entropy of σ(z) against targets t ∈ [0, 1], from logits:
// ℓ = max(z, 0) − z·t + log1p(e^−|z|);  dz = scale·(σ(z) − t)
float bce_with_logits(const Tensor2& z, const Tensor2& t, Tensor2& dz, float scale);

// ℓ = (y − t)²;  dy = scale·2(y − t)
float mse(const Tensor2& y, const Tensor2& t, Tensor2& dy, float scale);

// KL(N(μ, e^logvar) ‖ N(0, 1)) per element: −½(1 + logvar − μ² − e^logvar)
// dmu = scale·μ;  dlogvar = scale·½(e^logvar − 1)
float gaussian_kl(const Tensor2& mu, const Tensor2& logvar, Tensor2& dmu, Tensor2& dlogvar, float scale);

// −log N(t; y, e^logvar) per element: ½(log 2π + logvar + (t − y)²·e^−logvar)
// dy = scale·(y − t)·e^−logvar;  dlogvar = scale·½(1 − (t − y)²·e^−logvar)
float gaussian_nll(const Tensor2& y, const Tensor2& logvar, const Tensor2& t, Tensor2& dy, Tensor2& dlogvar,
                   float scale);

// Softmax cross-entropy against integer class labels (one per row of z):
// ℓ = log Σ_k e^{z_k} − z_y per row;  dz = scale·(softmax(z) − onehot(y))
float softmax_cross_entropy(const Tensor2& z, const std::uint8_t* labels, Tensor2& dz, float scale);

// Row-wise softmax, p (B, K) = softmax(z (B, K)).
void softmax(const Tensor2& z, Tensor2& p);

}  // namespace genlab::nn
