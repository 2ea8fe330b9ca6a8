#include "genlab/nn/linear.hpp"

#include <cmath>
#include <stdexcept>

#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/vec.hpp"

namespace genlab::nn {

void Linear::declare(ParamStore& store, const std::string& prefix) {
  W_id_ = store.declare(prefix + "W", {out_, in_});
  b_id_ = store.declare(prefix + "b", {out_});
}

void Linear::bind(ParamStore& store) {
  W_ = store.value(W_id_);
  b_ = store.value(b_id_);
  dW_ = store.grad(W_id_);
  db_ = store.grad(b_id_);
}

void init_kernel(float* W, std::size_t nW, float* b, std::size_t nb, Init init, float fan_in, float fan_out,
                 float torch_fan_in, Rng& rng) {
  for (std::size_t i = 0; i < nW; ++i) {
    switch (init) {
      case Init::He: W[i] = rng.normal() * std::sqrt(2.0f / fan_in); break;
      case Init::Xavier: {
        const float a = std::sqrt(6.0f / (fan_in + fan_out));
        W[i] = rng.uniform(-a, a);
        break;
      }
      case Init::TorchDefault: {
        const float a = 1.0f / std::sqrt(torch_fan_in);
        W[i] = rng.uniform(-a, a);
        break;
      }
      case Init::Dcgan: W[i] = 0.02f * rng.normal(); break;
    }
  }
  const float a = 1.0f / std::sqrt(torch_fan_in);
  for (std::size_t j = 0; j < nb; ++j) b[j] = init == Init::TorchDefault ? rng.uniform(-a, a) : 0.0f;
}

void Linear::init(ParamStore& store, Rng& rng) {
  const auto fan_in = static_cast<float>(in_);
  init_kernel(store.value(W_id_), in_ * out_, store.value(b_id_), out_, init_, fan_in, static_cast<float>(out_), fan_in,
              rng);
}

// x (B, in) → y (B, out) = x·Wᵀ + b (rectified when fused with the activation after it)
const Tensor2& Linear::forward(const Tensor2& x) {
  if (cols(x) != in_)
    throw std::invalid_argument("Linear: input has " + std::to_string(cols(x)) + " columns, expected " +
                                std::to_string(in_));
  const std::size_t B = rows(x);
  ensure_shape(y_, B, out_);
  kernels::Epilogue ep;  // the bias (and the rectifier) applied inside the product, block by block
  ep.bias = b_;
  ep.rectify = rectify_;
  ep.slope = slope_;
  kernels::matmul_xWt(x.data(), W_, y_.data(), B, in_, out_, ep);
  x_ = &x;
  return y_;
}

// dy (B, out) → dx (B, in) = dy·W;  dW += dyᵀ·x;  db += Σ_B dy  (the last two unless frozen)
const Tensor2& Linear::backward(const Tensor2& dy, bool need_dx) {
  const std::size_t B = rows(dy);
  if (x_ == nullptr || rows(*x_) != B || cols(dy) != out_)
    throw std::logic_error("Linear: backward without a matching forward");
  if (!frozen_) {
    kernels::matmul_dytx_acc(dy.data(), x_->data(), dW_, B, in_, out_);
    kernels::col_sum_acc(dy.data(), B, out_, db_);
  }
  if (need_dx) {
    ensure_shape(dx_, B, in_);
    kernels::matmul_dyW(dy.data(), W_, dx_.data(), B, in_, out_);
  }
  return dx_;
}

}  // namespace genlab::nn
