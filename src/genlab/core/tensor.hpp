// The one xtensor include gate: everything in GenLab that needs arrays includes this header.
#pragma once

#include <cstddef>

#include <xtensor/xadapt.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

namespace genlab {

using Tensor1 = xt::xtensor<float, 1>;
using Tensor2 = xt::xtensor<float, 2>;
using Shape2 = std::array<std::size_t, 2>;

inline std::size_t rows(const Tensor2& t) { return t.shape()[0]; }
inline std::size_t cols(const Tensor2& t) { return t.shape()[1]; }

// Resizes only when the shape differs, so a buffer reused at a fixed batch size never reallocates.
inline void ensure_shape(Tensor2& t, std::size_t r, std::size_t c) {
  if (t.shape()[0] != r || t.shape()[1] != c) t.resize({r, c});
}

}  // namespace genlab
