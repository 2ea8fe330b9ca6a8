// Batch normalisation (Ioffe & Szegedy 2015), per channel: x (B, C·P) channel-first with P values
// per channel and example (P = H·W after a convolution, 1 after a Linear) →
// y = γ·(x − μ)/√(σ² + ε) + β.
//  * Training (an RNG handed in by set_rng, the same switch as dropout's): μ and σ² (biased) of the
//    batch, and the running statistics move toward them: r ← (1 − m)·r + m·batch, with the
//    unbiased σ² — PyTorch's BatchNorm1d/2d (momentum m = 0.1, ε = 1e-5).
//  * Evaluation (no RNG): the running statistics; the layer is then a fixed affine map.
// γ ("W") and β ("b") are trained; "mean" and "var" are buffers the optimizers never touch.
#pragma once

#include "genlab/nn/layer.hpp"

namespace genlab::nn {

class BatchNorm final : public Layer {
 public:
  // Throws std::invalid_argument for C or P = 0, ε ≤ 0 or a momentum outside (0, 1].
  BatchNorm(std::size_t C, std::size_t P, float eps = 1e-5f, float momentum = 0.1f);
  std::string kind() const override { return "batch_norm"; }
  std::size_t in_dim() const override { return C_ * P_; }
  std::size_t out_dim() const override { return C_ * P_; }

  void declare(ParamStore& store, const std::string& prefix) override;
  void bind(ParamStore& store) override;
  // γ = 1, β = 0, running mean 0 and variance 1 (as PyTorch).
  void init(ParamStore& store, Rng& rng) override;

  const Tensor2& forward(const Tensor2& x) override;
  const Tensor2& backward(const Tensor2& dy, bool need_dx = true) override;
  void set_frozen(bool frozen) override { frozen_ = frozen; }
  void set_rng(Rng* rng) override { training_ = rng != nullptr; }
  bool training() const { return training_; }

 private:
  std::size_t C_, P_;
  float eps_, momentum_;
  bool frozen_ = false, training_ = false;
  bool forward_trained_ = false;  // the cached forward used batch statistics
  std::size_t g_id_ = 0, b_id_ = 0, mean_id_ = 0, var_id_ = 0;
  float *g_ = nullptr, *b_ = nullptr, *dg_ = nullptr, *db_ = nullptr, *mean_ = nullptr, *var_ = nullptr;
  std::size_t B_ = 0;   // batch of the cached forward (0: none)
  Tensor1 inv_std_;     // (C): 1/√(σ² + ε) of the statistics used
  Tensor2 xhat_;        // (B, C·P): the normalised input
  Tensor2 y_, dx_;
};

}  // namespace genlab::nn
