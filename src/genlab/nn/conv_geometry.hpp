// Geometry and data movement shared by Conv2d and ConvTranspose2d. Images are stored per example
// channel-first, as PyTorch does (x (B, C·H·W), "planes"); the products run on "rows": one row per
// kernel position, so the GEMM's epilogue can add a per-channel bias and rectify.
//
// A ConvGeom describes a "big" image (C, H, W) and the grid (OH, OW) of positions of a k×k kernel
// over it with stride s and zero padding p: position (oy, ox) covers image rows oy·s − p + ki and
// columns ox·s − p + kj. Conv2d reads the big image (its input) at every position; ConvTranspose2d
// writes its output (the big image) from every position of its input grid — the same geometry.
#pragma once

#include <cstddef>

namespace genlab::nn {

struct ConvGeom {
  std::size_t C = 0, H = 0, W = 0;  // the big image
  std::size_t k = 0, s = 1, p = 0;  // kernel side, stride, padding
  std::size_t OH = 0, OW = 0;       // the grid of kernel positions
  std::size_t image() const { return C * H * W; }
  std::size_t grid() const { return OH * OW; }
  std::size_t patch() const { return C * k * k; }  // one row of the im2col matrix
};

// The geometry of a k×k, stride-s, padding-p kernel over a (C, H, W) image:
// OH = (H + 2p − k) / s + 1. Throws std::invalid_argument (naming the numbers) when a size is 0,
// the padded image is smaller than the kernel, or p ≥ k (positions that see only padding).
ConvGeom conv_geom(std::size_t C, std::size_t H, std::size_t W, std::size_t k, std::size_t s, std::size_t p);
// The side of ConvTranspose2d's output for an input side n: (n − 1)·s − 2p + k; throws when ≤ 0.
std::size_t conv_transpose_side(std::size_t n, std::size_t k, std::size_t s, std::size_t p);

// x (B, C·H·W) → cols (B·OH·OW, C·k·k): row (b, oy, ox), column (c, ki, kj); zeros where the
// kernel overhangs the image.
void im2col(const ConvGeom& g, const float* x, std::size_t B, float* cols);
// The adjoint of im2col: x (B, C·H·W) += the sum of every cols entry that im2col would have read
// from each pixel. The caller zeroes x for a plain col2im.
void col2im_acc(const ConvGeom& g, const float* cols, std::size_t B, float* x);

// planes (B, C·P) ↔ rows (B·P, C): channel-first per example ↔ one row per pixel.
void planes_to_rows(const float* planes, std::size_t B, std::size_t P, std::size_t C, float* rows);
void rows_to_planes(const float* rows, std::size_t B, std::size_t P, std::size_t C, float* planes);

// The naive references, kept beside the layers forever (tests compare against them):
// direct sums over the kernel, no im2col, no GEMM.
// Conv2d: x (B, C·H·W), W (OC, C, k, k), b (OC) → y (B, OC·OH·OW)
void conv2d_ref(const ConvGeom& g, std::size_t OC, const float* x, const float* W, const float* b, std::size_t B,
                float* y);
// ConvTranspose2d: g is the geometry of its output (OC, OH', OW') and g.OH × g.OW its input grid;
// x (B, IC·OH·OW), W (IC, OC, k, k), b (OC) → y (B, OC·H·W) with OC = g.C
void conv_transpose2d_ref(const ConvGeom& g, std::size_t IC, const float* x, const float* W, const float* b,
                          std::size_t B, float* y);

}  // namespace genlab::nn
