// The one xsimd include gate, and the rules that make training give the same bits on every build
// (AVX2 and AVX-512 natively, SIMD128 in WebAssembly):
//   * no fused multiply-add anywhere: wasm has none, so every a·b + c is a multiply then an add,
//     two roundings (fmadd below, and -ffp-contract=off keeps the compilers from fusing them);
//   * reductions keep kSumParts partial sums, element i going to partial i mod kSumParts, folded
//     in one fixed order (sum_parts): the association never depends on the lane count;
//   * no libm or xsimd transcendental in training code: exp/expm1/log/tanh are built from + − × ÷
//     and exact bit operations (vec.cpp), which round identically everywhere.
// Two batch types:
//   Batch      element-wise kernels and reductions: at most 8 lanes (fma3+avx2 natively, SSE4.1 →
//              wasm SIMD128 under Emscripten). Element-wise kernels compute each element alone, so
//              their width does not change bits; the cap only bounds register use.
//   GemmBatch  the GEMM micro-kernel: the widest registers the build targets (AVX-512 with
//              -march=x86-64-v4). Width cannot change its bits: every element of C is one
//              multiply-add chain over k in order, whatever the number of lanes (a test checks this).
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

// Partial sums of every reduction (dot, sum, sum_sq, the BCE sum): a multiple of every Batch
// width (4 in wasm, 8 natively), so the association of a sum is the same on every build.
constexpr std::size_t kSumParts = 16;
#if GENLAB_SIMD
static_assert(kSumParts % kLanes == 0, "partial sums fill whole batches");
#endif

// a·b + c as a multiply then an add (two roundings) on every target, as every vector kernel
// computes it: WebAssembly has no fused multiply-add, so a fused one natively would change the bits.
// (The name is historical; it never fuses. -ffp-contract=off keeps the compiler from fusing it.)
inline float fmadd(float a, float b, float c) { return a * b + c; }

// The kSumParts partial sums p[0…15] folded into one, in one fixed order on every build:
// p[j] += p[j + w] for w = 8, 4, 2, 1.
inline float sum_parts(float* p) {
  for (std::size_t w = kSumParts / 2; w >= 1; w /= 2)
    for (std::size_t j = 0; j < w; ++j) p[j] += p[j + w];
  return p[0];
}

// Human-readable name of the SIMD paths compiled in, e.g. "fma3+avx2/8", "avx512bw/16 (gemm) +
// fma3+avx2/8", "wasm-simd128/4", "scalar/1".
const char* simd_name();

}  // namespace genlab::kernels
