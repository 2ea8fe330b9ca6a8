// 2-D transposed convolution ("fractionally strided", the adjoint of Conv2d's input gradient) as a
// layer: x (B, IC·H·W) → y (B, OC·OH·OW) with OH = (H − 1)·s − 2p + k, channel-first like PyTorch's
// ConvTranspose2d (output_padding 0), W (IC, OC, k, k), b (OC). Runs as one GEMM + col2im.
#pragma once

#include "genlab/nn/conv2d.hpp"

namespace genlab::nn {

class ConvTranspose2d final : public Layer {
 public:
  // Throws std::invalid_argument for sizes that leave no output or a padding ≥ k.
  ConvTranspose2d(std::size_t IC, std::size_t H, std::size_t W, std::size_t OC, std::size_t k, std::size_t stride,
                  std::size_t pad, Init init = Init::He);
  std::string kind() const override { return "conv_transpose2d"; }
  std::size_t in_dim() const override { return IC_ * g_.grid(); }
  std::size_t out_dim() const override { return g_.image(); }
  // The geometry of the output image (g.C = OC) with the input as its grid of kernel positions.
  const ConvGeom& geom() const { return g_; }

  void declare(ParamStore& store, const std::string& prefix) override;
  void bind(ParamStore& store) override;
  void init(ParamStore& store, Rng& rng) override;

  const Tensor2& forward(const Tensor2& x) override;
  const Tensor2& backward(const Tensor2& dy, bool need_dx = true) override;
  void set_frozen(bool frozen) override { frozen_ = frozen; }
  bool fuse_rectifier(float slope) override {
    rectify_ = true;
    slope_ = slope;
    return true;
  }

 private:
  ConvGeom g_;
  std::size_t IC_;
  Init init_;
  bool frozen_ = false, rectify_ = false;
  float slope_ = 0.0f;
  std::size_t W_id_ = 0, b_id_ = 0;
  float *W_ = nullptr, *b_ = nullptr, *dW_ = nullptr, *db_ = nullptr;
  std::size_t B_ = 0;        // batch of the cached forward (0: none)
  Tensor2 xrows_, dxrows_;   // (B·H·W, IC): x one row per input pixel (kept for dW), and dx
  Tensor2 cols_;             // (B·H·W, OC·k·k): forward's product, backward's im2col of dy
  Tensor2 y_, dx_;
};

}  // namespace genlab::nn
