// The one xsimd include gate. Kernels use `Batch` (xsimd::batch<float> of the best arch the build
// targets: AVX2+FMA natively with -march=x86-64-v3, SSE4.1→wasm SIMD128 under Emscripten) and fall
// back to their scalar tails only when GENLAB_SIMD is 0.
#pragma once

#include <cstddef>

#if defined(GENLAB_USE_XSIMD)
#include <xsimd/xsimd.hpp>
#define GENLAB_SIMD 1
#else
#define GENLAB_SIMD 0
#endif

namespace genlab::kernels {

#if GENLAB_SIMD
using Batch = xsimd::batch<float>;
constexpr std::size_t kLanes = Batch::size;
#else
constexpr std::size_t kLanes = 1;
#endif

// Human-readable name of the SIMD path compiled in, e.g. "avx2/8", "sse4.1/4", "scalar/1".
const char* simd_name();

}  // namespace genlab::kernels
