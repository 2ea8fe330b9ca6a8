// The Gaussian posterior q(z|x) = N(μ, σ²) of the autoencoders (the VAE and the VAE-GAN): the
// encoder's output h (B, 2L) holds μ in its first L columns and log σ² in the last L.
#pragma once

#include <cstddef>

#include "genlab/core/tensor.hpp"

namespace genlab::models {

// h (B, 2L) → μ, log σ² (B, L)
void split_posterior(const Tensor2& h, std::size_t L, Tensor2& mu, Tensor2& logvar);

// h (B, 2L), eps (B, L) → μ, log σ², σ, z = μ + ε ⊙ σ (B, L): the reparameterisation, z
// differentiable in μ and log σ².
void sample_posterior(const Tensor2& h, const Tensor2& eps, Tensor2& mu, Tensor2& logvar, Tensor2& sd, Tensor2& z);

// (dz (B, ≥ L) at z — its first L columns —, β·KL's gradients dmu_kl, dlv_kl (B, L)) → dh (B, 2L) at the encoder's output:
// ∂z/∂μ = 1, ∂z/∂log σ² = ½·ε·σ.
void posterior_backward(const Tensor2& dz, const Tensor2& eps, const Tensor2& sd, const Tensor2& dmu_kl,
                        const Tensor2& dlv_kl, float beta, Tensor2& dh);

}  // namespace genlab::models
