// Dropout (Srivastava et al. 2014), inverted: while training each unit is kept with probability
// 1 − p and scaled by 1/(1 − p), so the layer is the identity in expectation and outside training.
// The mask comes from an RNG the owner hands in (set_rng) for the passes that train; with no RNG
// (the default) or p = 0 the layer passes x through unchanged.
#pragma once

#include "genlab/nn/layer.hpp"

namespace genlab::nn {

class Dropout final : public Layer {
 public:
  Dropout(std::size_t dim, float rate);
  std::string kind() const override { return "dropout"; }
  std::size_t in_dim() const override { return dim_; }
  std::size_t out_dim() const override { return dim_; }
  float rate() const { return rate_; }

  // Training mode draws a fresh mask from *rng on every forward; nullptr switches it off.
  void set_rng(Rng* rng) override { rng_ = rng; }

  const Tensor2& forward(const Tensor2& x) override;
  const Tensor2& backward(const Tensor2& dy, bool need_dx = true) override;

 private:
  std::size_t dim_;
  float rate_;
  Rng* rng_ = nullptr;
  bool masked_ = false;  // whether the last forward applied a mask
  Tensor2 mask_, y_, dx_;  // mask_ holds 0 or 1/(1 − p)
};

}  // namespace genlab::nn
