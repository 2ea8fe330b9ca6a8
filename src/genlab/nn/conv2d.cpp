#include "genlab/nn/conv2d.hpp"

#include <stdexcept>

#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/vec.hpp"

namespace genlab::nn {

Conv2d::Conv2d(std::size_t C, std::size_t H, std::size_t W, std::size_t OC, std::size_t k, std::size_t stride,
               std::size_t pad, Init init)
    : g_(conv_geom(C, H, W, k, stride, pad)), OC_(OC), init_(init) {
  if (OC == 0) throw std::invalid_argument("Conv2d: output channels must be ≥ 1");
}

void Conv2d::declare(ParamStore& store, const std::string& prefix) {
  W_id_ = store.declare(prefix + "W", {OC_, g_.C, g_.k, g_.k});
  b_id_ = store.declare(prefix + "b", {OC_});
}

void Conv2d::bind(ParamStore& store) {
  W_ = store.value(W_id_);
  b_ = store.value(b_id_);
  dW_ = store.grad(W_id_);
  db_ = store.grad(b_id_);
}

void Conv2d::init(ParamStore& store, Rng& rng) {
  const auto fan_in = static_cast<float>(g_.patch());
  init_kernel(store.value(W_id_), OC_ * g_.patch(), store.value(b_id_), OC_, init_, fan_in,
              static_cast<float>(OC_ * g_.k * g_.k), fan_in, rng);
}

// x (B, C·H·W) → y (B, OC·OH·OW): rows (B·OH·OW, OC) = im2col(x)·Wᵀ + b, rectified when fused, then
// back to channel-first
const Tensor2& Conv2d::forward(const Tensor2& x) {
  if (cols(x) != in_dim())
    throw std::invalid_argument("Conv2d: input has " + std::to_string(cols(x)) + " values per example, expected " +
                                std::to_string(in_dim()));
  const std::size_t B = rows(x), P = g_.grid(), BP = B * P;
  ensure_shape(cols_, BP, g_.patch());
  ensure_shape(rows_, BP, OC_);
  ensure_shape(y_, B, out_dim());
  im2col(g_, x.data(), B, cols_.data());
  kernels::Epilogue ep;  // per-channel bias (a column of rows_) and the rectifier, inside the product
  ep.bias = b_;
  ep.rectify = rectify_;
  ep.slope = slope_;
  kernels::matmul_xWt(cols_.data(), W_, rows_.data(), BP, g_.patch(), OC_, ep);
  rows_to_planes(rows_.data(), B, P, OC_, y_.data());
  B_ = B;
  return y_;
}

// dy (B, OC·OH·OW) → dx (B, C·H·W) = col2im(drows·W);  dW += drowsᵀ·cols;  db += Σ drows
const Tensor2& Conv2d::backward(const Tensor2& dy, bool need_dx) {
  const std::size_t B = rows(dy), P = g_.grid(), BP = B * P;
  if (B_ == 0 || B != B_ || cols(dy) != out_dim()) throw std::logic_error("Conv2d: backward without a matching forward");
  ensure_shape(drows_, BP, OC_);
  planes_to_rows(dy.data(), B, P, OC_, drows_.data());
  if (!frozen_) {
    kernels::matmul_dytx_acc(drows_.data(), cols_.data(), dW_, BP, g_.patch(), OC_);
    kernels::col_sum_acc(drows_.data(), BP, OC_, db_);
  }
  if (need_dx) {
    ensure_shape(dcols_, BP, g_.patch());
    ensure_shape(dx_, B, in_dim());
    kernels::matmul_dyW(drows_.data(), W_, dcols_.data(), BP, g_.patch(), OC_);
    kernels::fill(dx_.data(), dx_.size(), 0.0f);
    col2im_acc(g_, dcols_.data(), B, dx_.data());
  }
  return dx_;
}

}  // namespace genlab::nn
