// Compact weights for checkpoints: a weight tensor stored as signed bytes q and one scale per row
// (the first dimension: a Linear's output unit, a convolution's first channel axis), with
// value = q · scale[row]. A GenLab .safetensors file that holds such tensors says so in its
// metadata, "genlab.quant": "int8-rows"; the scales of tensor "<name>" are the F32 tensor
// "<name>.scale" of shape [rows]. Layout and rules: io/README.md.
//
// Rows rather than one scale per tensor: a row's largest weight sets its step, so a unit with small
// weights (a border pixel's, say) keeps its precision. Symmetric rounding to 2^(bits−1)−1 levels a
// side keeps zero exact; the bytes then gzip to about bits − 0.5 bits per weight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "genlab/io/safetensors.hpp"

namespace genlab::io {

constexpr const char* kQuantKey = "genlab.quant";
constexpr const char* kQuantRows = "int8-rows";
constexpr const char* kScaleSuffix = ".scale";

struct RowQuantized {
  std::vector<std::int8_t> q;  // rows × cols, row-major
  std::vector<float> scale;    // rows
};

// w: rows × cols, row-major; bits in [2, 8]. Every |q| ≤ 2^(bits−1) − 1 and |q·scale − w| ≤ scale/2.
RowQuantized quantize_rows(const float* w, std::size_t rows, std::size_t cols, int bits);

// Replaces each quantized tensor of a "genlab.quant" file by its F32 values and drops the scale
// tensors; a file without the key is left as it is. Throws SafetensorsError for an unknown
// scheme, an I8 tensor without its scales, scales of the wrong shape or not positive and finite,
// and scales of no quantized tensor.
void dequantize(SafeTensors& f);

}  // namespace genlab::io
