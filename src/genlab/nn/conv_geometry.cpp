#include "genlab/nn/conv_geometry.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "genlab/kernels/parallel.hpp"

namespace genlab::nn {

ConvGeom conv_geom(std::size_t C, std::size_t H, std::size_t W, std::size_t k, std::size_t s, std::size_t p) {
  const auto fail = [&](const std::string& why) {
    throw std::invalid_argument("convolution: " + why + " (image " + std::to_string(C) + "×" + std::to_string(H) +
                                "×" + std::to_string(W) + ", kernel " + std::to_string(k) + ", stride " +
                                std::to_string(s) + ", padding " + std::to_string(p) + ")");
  };
  if (C == 0 || H == 0 || W == 0 || k == 0 || s == 0) fail("sizes, kernel and stride must be ≥ 1");
  if (p >= k) fail("padding must be smaller than the kernel");
  if (H + 2 * p < k || W + 2 * p < k) fail("the kernel is larger than the padded image");
  ConvGeom g;
  g.C = C;
  g.H = H;
  g.W = W;
  g.k = k;
  g.s = s;
  g.p = p;
  g.OH = (H + 2 * p - k) / s + 1;
  g.OW = (W + 2 * p - k) / s + 1;
  return g;
}

std::size_t conv_transpose_side(std::size_t n, std::size_t k, std::size_t s, std::size_t p) {
  if (n == 0 || k == 0 || s == 0 || (n - 1) * s + k <= 2 * p)
    throw std::invalid_argument("transposed convolution: input side " + std::to_string(n) + ", kernel " +
                                std::to_string(k) + ", stride " + std::to_string(s) + ", padding " +
                                std::to_string(p) + " leave no output");
  return (n - 1) * s + k - 2 * p;
}

// Both directions walk the same way: for each row (b, oy, ox) and each (c, ki), the k columns kj
// map to image columns ox·s − p + kj, of which [kj0, kj1) fall inside the image.
namespace {
// kGather: cols ← image (im2col, Img = const float, Col = float); else image += cols (col2im).
// kK: the kernel side when it is 4 (the presets' convolutions), so a kernel row that lies wholly
// inside the image moves as one fixed-size block; 0 for any other side. Pure copies and one add per
// pixel per entry in the same order either way: the bits do not depend on kK.
template <bool kGather, std::ptrdiff_t kK, class Img, class Col>
void walk(const ConvGeom& g, Img* image, Col* cols, std::size_t B) {
  const std::ptrdiff_t H = static_cast<std::ptrdiff_t>(g.H), W = static_cast<std::ptrdiff_t>(g.W);
  const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(g.k), s = static_cast<std::ptrdiff_t>(g.s),
                       p = static_cast<std::ptrdiff_t>(g.p);
  Col* row = cols;
  for (std::size_t b = 0; b < B; ++b) {
    Img* img = image + b * g.image();
    for (std::ptrdiff_t oy = 0; oy < static_cast<std::ptrdiff_t>(g.OH); ++oy)
      for (std::ptrdiff_t ox = 0; ox < static_cast<std::ptrdiff_t>(g.OW); ++ox, row += g.patch()) {
        const std::ptrdiff_t x0 = ox * s - p;
        const std::ptrdiff_t kj0 = std::max<std::ptrdiff_t>(0, -x0), kj1 = std::min(k, W - x0);
        Col* out = row;
        for (std::size_t c = 0; c < g.C; ++c) {
          Img* plane = img + c * g.H * g.W;
          for (std::ptrdiff_t ki = 0; ki < k; ++ki, out += k) {
            const std::ptrdiff_t y = oy * s - p + ki;
            if (y < 0 || y >= H || kj0 >= kj1) {
              if constexpr (kGather) std::fill(out, out + k, 0.0f);
              continue;
            }
            Img* line = plane + y * W;  // image column of kj: x0 + kj
            if constexpr (kK != 0) {
              if (kj0 == 0 && kj1 == k) {  // the whole row of the kernel inside: kK values
                float t[kK];  // through a local array: one vector load and store
                std::memcpy(t, line + x0, sizeof t);
                if constexpr (kGather) {
                  std::memcpy(out, t, sizeof t);
                } else {
                  for (std::ptrdiff_t kj = 0; kj < kK; ++kj) t[kj] += out[kj];  // each pixel its own sum
                  std::memcpy(line + x0, t, sizeof t);
                }
                continue;
              }
            }
            if constexpr (kGather) {
              std::fill(out, out + kj0, 0.0f);
              for (std::ptrdiff_t kj = kj0; kj < kj1; ++kj) out[kj] = line[x0 + kj];
              std::fill(out + kj1, out + k, 0.0f);
            } else {
              for (std::ptrdiff_t kj = kj0; kj < kj1; ++kj) line[x0 + kj] += out[kj];
            }
          }
        }
      }
  }
}
}  // namespace

// Threaded build: the moves below run over the batch in two halves of whole images when a call
// moves at least this many values (below it, waking the helper costs more than it saves). Every
// value is a copy, or one image's own sum in one order, whoever moves it: the bits do not change.
namespace {
constexpr std::size_t kSplitValues = std::size_t{1} << 15;

// f(b0, b1) over the images [0, B): in two halves when the call moves `values` ≥ kSplitValues.
template <class F>
void over_images(std::size_t B, std::size_t values, F&& f) {
  if (values < kSplitValues) return f(std::size_t{0}, B);
  kernels::split_range(B, 2, 1, f);
}
}  // namespace

void im2col(const ConvGeom& g, const float* x, std::size_t B, float* cols) {
  over_images(B, B * g.grid() * g.patch(), [&](std::size_t b0, std::size_t b1) {
    const float* xb = x + b0 * g.image();
    float* cb = cols + b0 * g.grid() * g.patch();
    if (g.k == 4) walk<true, 4>(g, xb, cb, b1 - b0);
    else walk<true, 0>(g, xb, cb, b1 - b0);
  });
}

void col2im_acc(const ConvGeom& g, const float* cols, std::size_t B, float* x) {
  over_images(B, B * g.grid() * g.patch(), [&](std::size_t b0, std::size_t b1) {
    float* xb = x + b0 * g.image();
    const float* cb = cols + b0 * g.grid() * g.patch();
    if (g.k == 4) walk<false, 4>(g, xb, cb, b1 - b0);
    else walk<false, 0>(g, xb, cb, b1 - b0);
  });
}

void planes_to_rows(const float* planes, std::size_t B, std::size_t P, std::size_t C, float* rows) {
  over_images(B, B * C * P, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      const float* src = planes + b * C * P;
      float* dst = rows + b * P * C;
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t i = 0; i < P; ++i) dst[i * C + c] = src[c * P + i];
    }
  });
}

void rows_to_planes(const float* rows, std::size_t B, std::size_t P, std::size_t C, float* planes) {
  over_images(B, B * C * P, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      const float* src = rows + b * P * C;
      float* dst = planes + b * C * P;
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t i = 0; i < P; ++i) dst[c * P + i] = src[i * C + c];
    }
  });
}

void conv2d_ref(const ConvGeom& g, std::size_t OC, const float* x, const float* W, const float* b, std::size_t B,
                float* y) {
  const auto k = static_cast<std::ptrdiff_t>(g.k);
  for (std::size_t n = 0; n < B; ++n)
    for (std::size_t o = 0; o < OC; ++o)
      for (std::size_t oy = 0; oy < g.OH; ++oy)
        for (std::size_t ox = 0; ox < g.OW; ++ox) {
          double sum = b[o];
          for (std::size_t c = 0; c < g.C; ++c)
            for (std::ptrdiff_t ki = 0; ki < k; ++ki)
              for (std::ptrdiff_t kj = 0; kj < k; ++kj) {
                const std::ptrdiff_t iy = static_cast<std::ptrdiff_t>(oy * g.s + ki) - static_cast<std::ptrdiff_t>(g.p);
                const std::ptrdiff_t ix = static_cast<std::ptrdiff_t>(ox * g.s + kj) - static_cast<std::ptrdiff_t>(g.p);
                if (iy < 0 || ix < 0 || iy >= static_cast<std::ptrdiff_t>(g.H) || ix >= static_cast<std::ptrdiff_t>(g.W))
                  continue;
                sum += static_cast<double>(x[((n * g.C + c) * g.H + iy) * g.W + ix]) *
                       W[((o * g.C + c) * g.k + ki) * g.k + kj];
              }
          y[((n * OC + o) * g.OH + oy) * g.OW + ox] = static_cast<float>(sum);
        }
}

void conv_transpose2d_ref(const ConvGeom& g, std::size_t IC, const float* x, const float* W, const float* b,
                          std::size_t B, float* y) {
  const std::size_t OC = g.C;
  std::vector<double> acc(g.image());
  for (std::size_t n = 0; n < B; ++n) {
    for (std::size_t o = 0; o < OC; ++o) std::fill(acc.begin() + o * g.H * g.W, acc.begin() + (o + 1) * g.H * g.W, b[o]);
    for (std::size_t c = 0; c < IC; ++c)
      for (std::size_t iy = 0; iy < g.OH; ++iy)
        for (std::size_t ix = 0; ix < g.OW; ++ix) {
          const double v = x[((n * IC + c) * g.OH + iy) * g.OW + ix];
          for (std::size_t o = 0; o < OC; ++o)
            for (std::size_t ki = 0; ki < g.k; ++ki)
              for (std::size_t kj = 0; kj < g.k; ++kj) {
                const std::ptrdiff_t oy = static_cast<std::ptrdiff_t>(iy * g.s + ki) - static_cast<std::ptrdiff_t>(g.p);
                const std::ptrdiff_t ox = static_cast<std::ptrdiff_t>(ix * g.s + kj) - static_cast<std::ptrdiff_t>(g.p);
                if (oy < 0 || ox < 0 || oy >= static_cast<std::ptrdiff_t>(g.H) || ox >= static_cast<std::ptrdiff_t>(g.W))
                  continue;
                acc[(o * g.H + oy) * g.W + ox] += v * W[((c * OC + o) * g.k + ki) * g.k + kj];
              }
        }
    for (std::size_t i = 0; i < g.image(); ++i) y[n * g.image() + i] = static_cast<float>(acc[i]);
  }
}

}  // namespace genlab::nn
