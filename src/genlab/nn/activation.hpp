// Element-wise activations as layers: ReLU, LeakyReLU(α), Tanh, Sigmoid, ELU(α).
#pragma once

#include <string>

#include "genlab/nn/layer.hpp"

namespace genlab::nn {

enum class Act { None, ReLU, LeakyReLU, Tanh, Sigmoid, ELU };

// "relu", "leaky_relu", "tanh", "sigmoid", "elu", "none" ↔ Act; throws naming the bad value.
Act parse_act(const std::string& name);
std::string act_name(Act a);

class Activation final : public Layer {
 public:
  Activation(Act act, std::size_t dim, float alpha = 0.2f);
  std::string kind() const override { return act_name(act_); }
  std::size_t in_dim() const override { return dim_; }
  std::size_t out_dim() const override { return dim_; }

  const Tensor2& forward(const Tensor2& x) override;
  const Tensor2& backward(const Tensor2& dy, bool need_dx = true) override;

 private:
  Act act_;
  std::size_t dim_;
  float alpha_;
  const Tensor2* x_ = nullptr;  // cached input: ReLU, LeakyReLU and ELU branch on the sign of x
  Tensor2 y_, dx_;              // y is also the cache for Tanh, Sigmoid (and ELU)
};

}  // namespace genlab::nn
