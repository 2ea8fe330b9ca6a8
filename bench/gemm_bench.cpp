// GEMM benchmark: GFLOP/s of the packed kernel and of gemm_ref, one JSON line per measurement.
//   native: build/native/bench/bench_gemm [--quick]
//   wasm:   node --no-experimental-fetch --no-liftoff build/wasm/bench/bench_gemm.js [--quick]
// Shapes are M×K·K×N. "form" names which operands are transposed (NT is x·Wᵀ, NN is dy·W,
// TN is dyᵀ·x). Every figure is the median (and min/max) of 5 timed repeats after a warm-up.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "genlab/core/rng.hpp"
#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/simd.hpp"

using namespace genlab;
using kernels::Trans;

namespace {

struct Shape {
  std::size_t M, K, N;
};

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void run(const char* impl, Trans ta, Trans tb, const Shape& s, bool quick) {
  const std::size_t M = s.M, K = s.K, N = s.N;
  std::vector<float> A(M * K), B(K * N), C(M * N);
  Rng rng(1u);
  for (auto& v : A) v = rng.uniform(-1.0f, 1.0f);
  for (auto& v : B) v = rng.uniform(-1.0f, 1.0f);
  const std::size_t lda = ta == Trans::N ? K : M, ldb = tb == Trans::N ? N : K;
  const bool ref = std::strcmp(impl, "gemm_ref") == 0;
  auto call = [&] {
    if (ref)
      kernels::gemm_ref(ta, tb, M, N, K, A.data(), lda, B.data(), ldb, 0.0f, C.data(), N);
    else
      kernels::gemm(ta, tb, M, N, K, A.data(), lda, B.data(), ldb, 0.0f, C.data(), N);
  };
  const double flop = 2.0 * double(M) * double(N) * double(K);
  // Warm up (also lets V8 tier the wasm up) and size the inner loop to ~50 ms (quick: ~10 ms).
  const double target = quick ? 0.01 : 0.05;
  int iters = 1;
  for (;;) {
    const double t0 = now_s();
    for (int i = 0; i < iters; ++i) call();
    const double dt = now_s() - t0;
    if (dt >= target || iters > (1 << 20)) break;
    iters *= 2;
  }
  std::vector<double> gflops;
  for (int rep = 0; rep < 5; ++rep) {
    const double t0 = now_s();
    for (int i = 0; i < iters; ++i) call();
    gflops.push_back(flop * iters / (now_s() - t0) / 1e9);
  }
  std::sort(gflops.begin(), gflops.end());
  const char* form = ta == Trans::N ? (tb == Trans::N ? "NN" : "NT") : (tb == Trans::N ? "TN" : "TT");
  std::printf("{\"system\": \"genlab-%s\", \"impl\": \"%s\", \"simd\": \"%s\", \"workload\": \"gemm-%zux%zux%zu\", "
              "\"form\": \"%s\", \"unit\": \"GFLOP/s\", \"median\": %.2f, \"min\": %.2f, \"max\": %.2f}\n",
#if defined(__EMSCRIPTEN__)
              "wasm-node",
#else
              "native",
#endif
              impl, kernels::simd_name(), M, K, N, form, gflops[2], gflops[0], gflops[4]);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, no_ref = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--no-ref") == 0) no_ref = true;
  }
  const Shape squares[] = {{64, 64, 64}, {128, 128, 128}, {256, 256, 256}, {512, 512, 512}};
  const Shape mlp[] = {{128, 784, 400}, {128, 400, 784}, {256, 2, 128}, {256, 128, 128}};
  for (const Shape& s : squares) {
    run("gemm", Trans::N, Trans::N, s, quick);
    if (!no_ref) run("gemm_ref", Trans::N, Trans::N, s, quick);
  }
  // The MLP shapes in the three forms a training step runs them in.
  for (const Shape& s : mlp)
    for (auto [ta, tb] : {std::pair{Trans::N, Trans::N}, std::pair{Trans::N, Trans::T}, std::pair{Trans::T, Trans::N}}) {
      run("gemm", ta, tb, s, quick);
      if (!no_ref && ta == Trans::N && tb == Trans::N) run("gemm_ref", ta, tb, s, quick);
    }
  return 0;
}
