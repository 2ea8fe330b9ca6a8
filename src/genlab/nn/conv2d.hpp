// 2-D convolution as a layer: x (B, C·H·W) → y (B, OC·OH·OW), channel-first per example like
// PyTorch's Conv2d, W (OC, C, k, k), b (OC). Runs as im2col + one GEMM for the whole batch.
#pragma once

#include "genlab/nn/conv_geometry.hpp"
#include "genlab/nn/layer.hpp"
#include "genlab/nn/linear.hpp"

namespace genlab::nn {

class Conv2d final : public Layer {
 public:
  // Throws std::invalid_argument for a geometry conv_geom refuses or OC = 0.
  Conv2d(std::size_t C, std::size_t H, std::size_t W, std::size_t OC, std::size_t k, std::size_t stride,
         std::size_t pad, Init init = Init::He);
  std::string kind() const override { return "conv2d"; }
  std::size_t in_dim() const override { return g_.image(); }
  std::size_t out_dim() const override { return OC_ * g_.grid(); }
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
  std::size_t OC_;
  Init init_;
  bool frozen_ = false, rectify_ = false;
  float slope_ = 0.0f;
  std::size_t W_id_ = 0, b_id_ = 0;
  float *W_ = nullptr, *b_ = nullptr, *dW_ = nullptr, *db_ = nullptr;
  std::size_t B_ = 0;      // batch of the cached forward (0: none)
  Tensor2 cols_;           // (B·OH·OW, C·k·k): the im2col of x, kept for dW
  Tensor2 rows_, drows_;   // (B·OH·OW, OC): y and dy one row per output pixel
  Tensor2 dcols_;          // (B·OH·OW, C·k·k)
  Tensor2 y_, dx_;
};

}  // namespace genlab::nn
