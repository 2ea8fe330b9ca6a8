// The one xsimd include gate. Two batch types:
//   Batch      element-wise kernels and reductions: at most 8 lanes (fma3+avx2 natively, SSE4.1 →
//              wasm SIMD128 under Emscripten). Why capped: a reduction sums its lanes in an order
//              that depends on the width, so a wider Batch would change the bits of every seeded
//              run between an AVX2 and an AVX-512 build.
//   GemmBatch  the GEMM micro-kernel: the widest registers the build targets (AVX-512 with
//              -march=x86-64-v4). Width cannot change its bits: every element of C is one FMA
//              chain over k in order, whatever the number of lanes (a test checks this).
// Kernels fall back to their scalar tails only when GENLAB_SIMD is 0.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>

#if defined(GENLAB_USE_XSIMD)
#include <xsimd/xsimd.hpp>
#define GENLAB_SIMD 1
#else
#define GENLAB_SIMD 0
#endif

namespace genlab::kernels {

#if GENLAB_SIMD
using GemmBatch = xsimd::batch<float>;
using Batch = std::conditional_t<(GemmBatch::size > 8), xsimd::make_sized_batch_t<float, 8>, GemmBatch>;
static_assert(!std::is_void<Batch>::value, "an 8-lane arch exists wherever a wider one does");
constexpr std::size_t kLanes = Batch::size;
constexpr std::size_t kGemmLanes = GemmBatch::size;
#else
constexpr std::size_t kLanes = 1;
constexpr std::size_t kGemmLanes = 1;
#endif

// a·b + c rounded as one lane of xsimd::fma rounds it: fused where the target has FMA (natively),
// two roundings where it has not (wasm). Scalar tails use it so that an element's bits do not
// depend on whether a vector or a tail computed it.
inline float fmadd(float a, float b, float c) {
#if defined(__FMA__)
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}

// Human-readable name of the SIMD paths compiled in, e.g. "fma3+avx2/8", "avx512bw/16 (gemm) +
// fma3+avx2/8", "wasm-simd128/4", "scalar/1".
const char* simd_name();

}  // namespace genlab::kernels
