#include "genlab/nn/activation.hpp"

#include <stdexcept>

#include "genlab/kernels/vec.hpp"

namespace genlab::nn {

Act parse_act(const std::string& name) {
  if (name == "relu") return Act::ReLU;
  if (name == "leaky_relu") return Act::LeakyReLU;
  if (name == "tanh") return Act::Tanh;
  if (name == "sigmoid") return Act::Sigmoid;
  if (name == "elu") return Act::ELU;
  if (name == "none" || name == "linear") return Act::None;
  throw std::invalid_argument("unknown activation '" + name +
                              "' (expected relu, leaky_relu, tanh, sigmoid, elu or none)");
}

std::string act_name(Act a) {
  switch (a) {
    case Act::ReLU: return "relu";
    case Act::LeakyReLU: return "leaky_relu";
    case Act::Tanh: return "tanh";
    case Act::Sigmoid: return "sigmoid";
    case Act::ELU: return "elu";
    case Act::None: break;
  }
  return "none";
}

Activation::Activation(Act act, std::size_t dim, float alpha) : act_(act), dim_(dim), alpha_(alpha) {
  if (act == Act::None) throw std::invalid_argument("Activation: 'none' is not a layer");
}

// x (B, d) → y (B, d)
const Tensor2& Activation::forward(const Tensor2& x) {
  if (cols(x) != dim_) throw std::invalid_argument("Activation: input width mismatch");
  if (input_rectified_) {  // x = act(pre-activation) already: it is y, and its sign is the mask
    x_ = &x;
    return x;
  }
  ensure_shape(y_, rows(x), dim_);
  const std::size_t n = x.size();
  switch (act_) {
    case Act::ReLU: kernels::relu(x.data(), y_.data(), n); break;
    case Act::LeakyReLU: kernels::leaky_relu(x.data(), y_.data(), n, alpha_); break;
    case Act::Tanh: kernels::tanh_fwd(x.data(), y_.data(), n); break;
    case Act::Sigmoid: kernels::sigmoid(x.data(), y_.data(), n); break;
    case Act::ELU: kernels::elu(x.data(), y_.data(), n, alpha_); break;
    case Act::None: break;
  }
  x_ = &x;
  return y_;
}

// dy (B, d) → dx (B, d)
const Tensor2& Activation::backward(const Tensor2& dy, bool /*need_dx*/) {
  if (x_ == nullptr || dy.shape() != x_->shape()) throw std::logic_error("Activation: backward without a matching forward");
  ensure_shape(dx_, rows(dy), dim_);
  const std::size_t n = dy.size();
  switch (act_) {
    case Act::ReLU: kernels::relu_backward(x_->data(), dy.data(), dx_.data(), n); break;
    case Act::LeakyReLU: kernels::leaky_relu_backward(x_->data(), dy.data(), dx_.data(), n, alpha_); break;
    case Act::Tanh: kernels::tanh_backward(y_.data(), dy.data(), dx_.data(), n); break;
    case Act::Sigmoid: kernels::sigmoid_backward(y_.data(), dy.data(), dx_.data(), n); break;
    case Act::ELU: kernels::elu_backward(x_->data(), y_.data(), dy.data(), dx_.data(), n, alpha_); break;
    case Act::None: break;
  }
  return dx_;
}

}  // namespace genlab::nn
