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

  // ReLU and LeakyReLU with α > 0 can run inside the previous Linear's product (its epilogue):
  // their backward needs only the sign of the pre-activation, and y keeps it (y > 0 ⇔ x > 0).
  // (α = 0 is left alone: its v·0 gives −0 where the epilogue's ReLU gives +0.)
  bool rectifier() const { return act_ == Act::ReLU || (act_ == Act::LeakyReLU && alpha_ > 0.0f); }
  float slope() const { return act_ == Act::ReLU ? 0.0f : alpha_; }
  // The input arrives rectified already: forward passes it through, backward masks by its sign.
  void set_input_rectified() { input_rectified_ = rectifier(); }

 private:
  Act act_;
  std::size_t dim_;
  float alpha_;
  bool input_rectified_ = false;
  const Tensor2* x_ = nullptr;  // cached input: ReLU, LeakyReLU and ELU branch on the sign of x
  Tensor2 y_, dx_;              // y is also the cache for Tanh, Sigmoid (and ELU)
};

}  // namespace genlab::nn
