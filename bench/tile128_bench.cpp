// What native code gets from 128-bit vectors on this CPU: the register tiles of a GEMM
// micro-kernel (the wasm build's 4×8 tile and a 6×8 one), written with SSE intrinsics, each as
// multiply + add (what WebAssembly SIMD128 has) and as FMA (what relaxed SIMD would add), over
// panels that stay in L1. It answers "is the wasm GEMM at the 128-bit limit, and would FMA raise
// that limit here?" — compare its figures with bench_gemm's wasm figures from the same minute.
// x86-64 only (native builds); prints JSON lines. Built with -ffp-contract=off (bench/CMakeLists.txt):
// otherwise g++ fuses the multiply + add tiles into FMA.
//   build/native/bench/bench_tile128
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>

namespace {

constexpr int KC = 256;  // depth per call: A panel (≤ 6 KB) + B panel (8 KB) stay in L1

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Multiply-add of one broadcast a with one B vector into an accumulator, in the two instruction forms.
struct MulAdd {
  static __m128 step(__m128 a, __m128 b, __m128 c) { return _mm_add_ps(c, _mm_mul_ps(a, b)); }
};
struct Fma {
  __attribute__((target("fma"))) static __m128 step(__m128 a, __m128 b, __m128 c) { return _mm_fmadd_ps(a, b, c); }
};

// One row of a tile for one k: broadcast A's value, multiply-add it with both B vectors.
template <class Op>
__attribute__((always_inline, target("avx2,fma"))) inline void row(const float* a, __m128 b0, __m128 b1, __m128& lo,
                                                                    __m128& hi) {
  const __m128 v = _mm_broadcast_ss(a);
  lo = Op::step(v, b0, lo);
  hi = Op::step(v, b1, hi);
}

// C (MR×8) = Ap (MR×KC panel, k-major) · Bp (KC×8 panel), MR = 4 or 6: the accumulators are named
// variables (rows 4 and 5 unused when MR = 4) so that every compiler keeps them in registers.
template <int MR, class Op>
__attribute__((noinline, target("avx2,fma"))) void tile(const float* Ap, const float* Bp, float* C) {
  static_assert(MR == 4 || MR == 6, "tiles of 4 or 6 rows");
  __m128 c00 = _mm_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
         c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int k = 0; k < KC; ++k, Ap += MR, Bp += 8) {
    const __m128 b0 = _mm_load_ps(Bp), b1 = _mm_load_ps(Bp + 4);
    row<Op>(Ap, b0, b1, c00, c01);
    row<Op>(Ap + 1, b0, b1, c10, c11);
    row<Op>(Ap + 2, b0, b1, c20, c21);
    row<Op>(Ap + 3, b0, b1, c30, c31);
    if constexpr (MR == 6) {
      row<Op>(Ap + 4, b0, b1, c40, c41);
      row<Op>(Ap + 5, b0, b1, c50, c51);
    }
  }
  const __m128 out[] = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51};
  for (int i = 0; i < 2 * MR; ++i) _mm_storeu_ps(C + 4 * i, out[i]);
}

void run(const char* name, void (*tile)(const float*, const float*, float*), int MR) {
  std::vector<float> A(static_cast<std::size_t>(MR * KC) + 16), B(8 * KC + 16), C(64);
  float* Ap = reinterpret_cast<float*>((reinterpret_cast<std::uintptr_t>(A.data()) + 63) & ~std::uintptr_t{63});
  float* Bp = reinterpret_cast<float*>((reinterpret_cast<std::uintptr_t>(B.data()) + 63) & ~std::uintptr_t{63});
  for (int i = 0; i < MR * KC; ++i) Ap[i] = 0.001f * static_cast<float>(i % 7);
  for (int i = 0; i < 8 * KC; ++i) Bp[i] = 0.001f * static_cast<float>(i % 5);
  const double flop = 2.0 * MR * 8 * KC;
  std::vector<double> g;
  for (int rep = 0; rep < 6; ++rep) {
    const int calls = 100000;
    const double t0 = now_s();
    for (int i = 0; i < calls; ++i) {
      tile(Ap, Bp, C.data());
      __asm__ volatile("" : : "r"(C.data()) : "memory");  // the result is used: keep every call
    }
    if (rep > 0) g.push_back(flop * calls / (now_s() - t0) / 1e9);  // rep 0 warms up
  }
  std::sort(g.begin(), g.end());
  const double median = g[g.size() / 2];
  std::printf("{\"system\": \"native-sse\", \"tile\": \"%s\", \"unit\": \"GFLOP/s\", \"median\": %.1f, \"min\": %.1f, "
              "\"max\": %.1f}\n",
              name, median, g.front(), g.back());
}

}  // namespace

int main() {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    std::puts("{\"skipped\": \"this CPU has no AVX2/FMA\"}");
    return 0;
  }
  run("4x8 mul+add", tile<4, MulAdd>, 4);
  run("4x8 fma", tile<4, Fma>, 4);
  run("6x8 mul+add", tile<6, MulAdd>, 6);
  run("6x8 fma", tile<6, Fma>, 6);
  return 0;
}
#else
int main() {
  std::puts("{\"skipped\": \"bench_tile128 measures x86-64 SSE tiles\"}");
  return 0;
}
#endif
