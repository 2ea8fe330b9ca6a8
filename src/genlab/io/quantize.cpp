#include "genlab/io/quantize.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace genlab::io {

RowQuantized quantize_rows(const float* w, std::size_t rows, std::size_t cols, int bits) {
  if (bits < 2 || bits > 8) throw std::invalid_argument("quantize_rows: bits must be in [2, 8]");
  const float levels = static_cast<float>((1 << (bits - 1)) - 1);
  RowQuantized out;
  out.q.resize(rows * cols);
  out.scale.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x = w + r * cols;
    float big = 0.0f;
    for (std::size_t c = 0; c < cols; ++c) big = std::max(big, std::fabs(x[c]));
    // A row of zeros keeps scale 1 (the reader wants a positive scale); its q are all 0.
    const float s = big > 0.0f ? big / levels : 1.0f;
    out.scale[r] = s;
    for (std::size_t c = 0; c < cols; ++c) {
      const float v = std::nearbyint(x[c] / s);
      out.q[r * cols + c] = static_cast<std::int8_t>(std::max(-levels, std::min(levels, v)));
    }
  }
  return out;
}

void dequantize(SafeTensors& f) {
  const std::string* scheme = f.meta(kQuantKey);
  if (!scheme) return;
  if (*scheme != kQuantRows)
    throw SafetensorsError("the file's genlab.quant is '" + *scheme + "'; this GenLab reads '" + kQuantRows + "'");
  const std::string suffix = kScaleSuffix;
  auto is_scale = [&](const std::string& n) {
    return n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  for (const SafeTensorIn& t : f.tensors)
    if (is_scale(t.name)) {
      const SafeTensorIn* base = f.find(t.name.substr(0, t.name.size() - suffix.size()));
      if (!base || base->dtype != Dtype::I8)
        throw SafetensorsError("tensor '" + t.name + "' scales no quantized (I8) tensor");
    }
  for (SafeTensorIn& t : f.tensors) {
    if (t.dtype == Dtype::I8) {
      const SafeTensorIn* s = f.find(t.name + suffix);
      if (!s) throw SafetensorsError("quantized tensor '" + t.name + "' has no '" + t.name + suffix + "'");
      if (s->dtype != Dtype::F32 || s->shape.size() != 1 || t.shape.empty() || s->shape[0] != t.shape[0])
        throw SafetensorsError("'" + t.name + suffix + "' must be F32 with one scale per row of '" + t.name + "'");
      const std::size_t rows = t.shape[0], cols = rows ? t.values.size() / rows : 0;
      for (std::size_t r = 0; r < rows; ++r) {
        const float sc = s->values[r];  // finite: the reader refuses anything else
        if (!(sc > 0.0f)) throw SafetensorsError("'" + t.name + suffix + "' holds a scale that is not positive");
        for (std::size_t c = 0; c < cols; ++c) {
          float& v = t.values[r * cols + c];
          v *= sc;
          if (!std::isfinite(v)) throw SafetensorsError("quantized tensor '" + t.name + "' overflows when scaled");
        }
      }
      t.dtype = Dtype::F32;
    }
  }
  std::vector<SafeTensorIn> kept;  // the values, without their scales
  for (SafeTensorIn& t : f.tensors)
    if (!is_scale(t.name)) kept.push_back(std::move(t));
  f.tensors = std::move(kept);
}

}  // namespace genlab::io
