#include "genlab/nn/conv_transpose2d.hpp"

#include <stdexcept>

#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/parallel.hpp"
#include "genlab/kernels/vec.hpp"

namespace genlab::nn {

namespace {
// Threaded build: the bias pass splits its batch when it touches at least this many values.
constexpr std::size_t kSplitFinish = std::size_t{1} << 15;

ConvGeom output_geom(std::size_t H, std::size_t W, std::size_t OC, std::size_t k, std::size_t s, std::size_t p) {
  if (p >= k) throw std::invalid_argument("ConvTranspose2d: padding must be smaller than the kernel");
  ConvGeom g = conv_geom(OC, conv_transpose_side(H, k, s, p), conv_transpose_side(W, k, s, p), k, s, p);
  if (g.OH != H || g.OW != W) throw std::logic_error("ConvTranspose2d: geometry does not invert");
  return g;
}
}  // namespace

ConvTranspose2d::ConvTranspose2d(std::size_t IC, std::size_t H, std::size_t W, std::size_t OC, std::size_t k,
                                 std::size_t stride, std::size_t pad, Init init)
    : g_(output_geom(H, W, OC == 0 ? 1 : OC, k, stride, pad)), IC_(IC), init_(init) {
  if (IC == 0 || OC == 0) throw std::invalid_argument("ConvTranspose2d: channels must be ≥ 1");
}

void ConvTranspose2d::declare(ParamStore& store, const std::string& prefix) {
  W_id_ = store.declare(prefix + "W", {IC_, g_.C, g_.k, g_.k});
  b_id_ = store.declare(prefix + "b", {g_.C});
}

void ConvTranspose2d::bind(ParamStore& store) {
  W_ = store.value(W_id_);
  b_ = store.value(b_id_);
  dW_ = store.grad(W_id_);
  db_ = store.grad(b_id_);
}

void ConvTranspose2d::init(ParamStore& store, Rng& rng) {
  // Each output pixel sums about IC·(k/s)² products; PyTorch's default counts W.size(1)·k·k.
  const float kk = static_cast<float>(g_.k * g_.k);
  const float fan_in = static_cast<float>(IC_) * kk / static_cast<float>(g_.s * g_.s);
  init_kernel(store.value(W_id_), IC_ * g_.patch(), store.value(b_id_), g_.C, init_, fan_in,
              static_cast<float>(g_.C) * kk, static_cast<float>(g_.C) * kk, rng);
}

// x (B, IC·H·W) → y (B, OC·OH·OW) = col2im(xrows·W) + b (then rectified when fused), xrows (B·H·W, IC)
const Tensor2& ConvTranspose2d::forward(const Tensor2& x) {
  if (cols(x) != in_dim())
    throw std::invalid_argument("ConvTranspose2d: input has " + std::to_string(cols(x)) +
                                " values per example, expected " + std::to_string(in_dim()));
  const std::size_t B = rows(x), P = g_.grid(), BP = B * P, OP = g_.H * g_.W;
  ensure_shape(xrows_, BP, IC_);
  ensure_shape(cols_, BP, g_.patch());
  ensure_shape(y_, B, out_dim());
  planes_to_rows(x.data(), B, P, IC_, xrows_.data());
  kernels::matmul_dyW(xrows_.data(), W_, cols_.data(), BP, g_.patch(), IC_);  // (BP, IC)·(IC, OC·k·k)
  kernels::fill(y_.data(), y_.size(), 0.0f);
  col2im_acc(g_, cols_.data(), B, y_.data());
  // The bias and the rectifier in one pass per channel plane (the sums are final only after col2im);
  // each value alone, so the batch may be split between threads.
  auto finish = [&](std::size_t n0, std::size_t n1) {
    for (std::size_t n = n0; n < n1; ++n)
      for (std::size_t o = 0; o < g_.C; ++o) {
        float* plane = y_.data() + (n * g_.C + o) * OP;
        const float bias = b_[o];
        if (rectify_) {
          for (std::size_t i = 0; i < OP; ++i) {
            const float v = plane[i] + bias;
            plane[i] = v > 0.0f ? v : slope_ * v;
          }
        } else {
          for (std::size_t i = 0; i < OP; ++i) plane[i] += bias;
        }
      }
  };
  if (y_.size() < kSplitFinish) finish(0, B);
  else kernels::split_range(B, 2, 1, finish);
  B_ = B;
  return y_;
}

// dy (B, OC·OH·OW) → dx (B, IC·H·W) from dxrows = im2col(dy)·Wᵀ;  dW += xrowsᵀ·im2col(dy);
// db += Σ dy per channel
const Tensor2& ConvTranspose2d::backward(const Tensor2& dy, bool need_dx) {
  const std::size_t B = rows(dy), P = g_.grid(), BP = B * P, OP = g_.H * g_.W;
  if (B_ == 0 || B != B_ || cols(dy) != out_dim())
    throw std::logic_error("ConvTranspose2d: backward without a matching forward");
  im2col(g_, dy.data(), B, cols_.data());  // forward's product is no longer needed
  if (!frozen_) {
    kernels::matmul_dytx_acc(xrows_.data(), cols_.data(), dW_, BP, g_.patch(), IC_);
    for (std::size_t n = 0; n < B; ++n)
      for (std::size_t o = 0; o < g_.C; ++o) {
        const float* plane = dy.data() + (n * g_.C + o) * OP;
        float s = 0.0f;
        for (std::size_t i = 0; i < OP; ++i) s += plane[i];
        db_[o] += s;
      }
  }
  if (need_dx) {
    ensure_shape(dxrows_, BP, IC_);
    ensure_shape(dx_, B, in_dim());
    kernels::matmul_xWt(cols_.data(), W_, dxrows_.data(), BP, g_.patch(), IC_);
    rows_to_planes(dxrows_.data(), B, P, IC_, dx_.data());
  }
  return dx_;
}

}  // namespace genlab::nn
