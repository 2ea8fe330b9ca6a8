// Fork-join (kernels/parallel.hpp) and the GEMM split it drives. Built twice for WebAssembly:
// test_threads over the single-threaded core and test_threads_mt over the threaded one
// (genlab_core_mt, run under node with a real helper thread); natively once, single-threaded.
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/core/rng.hpp"
#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/parallel.hpp"

namespace k = genlab::kernels;
using k::Trans;

TEST_CASE("kernel_threads reports the build") {
#if defined(GENLAB_THREADS)
  CHECK(k::kernel_threads() == 2);
#else
  CHECK(k::kernel_threads() == 1);
#endif
}

TEST_CASE("run_pair runs both parts, every time") {
  std::vector<int> a(1000, 0), b(1000, 0);
  for (int round = 1; round <= 50; ++round) {
    auto fill_a = [&] { for (auto& v : a) v += 1; };
    auto fill_b = [&] { for (auto& v : b) v += 2; };
    k::run_pair(fill_a, fill_b);
    CHECK(a.front() == round);
    CHECK(a.back() == round);
    CHECK(b.back() == 2 * round);
  }
}

TEST_CASE("run_pair rethrows in the caller, from either part, and stays usable") {
  int ran = 0;
  auto ok = [&] { ++ran; };
  auto bad = [] { throw std::runtime_error("boom"); };
  CHECK_THROWS_WITH_AS(k::run_pair(bad, ok), "boom", std::runtime_error);
  CHECK_THROWS_WITH_AS(k::run_pair(ok, bad), "boom", std::runtime_error);
  CHECK(ran == 2);
  k::run_pair(ok, ok);
  CHECK(ran == 4);
}

// A product large enough to be split (column halves when C is wide, row halves when it is narrow)
// must give exactly the bits of the same product computed one row at a time, far below the
// splitting threshold: each element is one in-order chain whichever thread computes it.
TEST_CASE("split products equal row-by-row products bit for bit") {
  // With and without an epilogue (bias + LeakyReLU): a column half must add its own columns' bias.
  genlab::Rng rng(5u);
  struct Shape { std::size_t M, N, K; };
  for (const Shape s : {Shape{128, 400, 784}, Shape{512, 20, 300}, Shape{256, 128, 128}})
    for (Trans ta : {Trans::N, Trans::T})
      for (Trans tb : {Trans::N, Trans::T})
        for (float beta : {0.0f, 1.0f})
          for (bool with_ep : {false, true}) {
            const std::size_t lda = ta == Trans::N ? s.K : s.M, ldb = tb == Trans::N ? s.N : s.K;
            std::vector<float> A(s.M * s.K), B(s.K * s.N), C(s.M * s.N), bias(s.N);
            for (auto& v : A) v = rng.uniform(-1.0f, 1.0f);
            for (auto& v : B) v = rng.uniform(-1.0f, 1.0f);
            for (auto& v : C) v = rng.uniform(-1.0f, 1.0f);
            for (auto& v : bias) v = rng.uniform(-1.0f, 1.0f);
            k::Epilogue ep;
            if (with_ep) {
              ep.bias = bias.data();
              ep.rectify = true;
              ep.slope = 0.2f;
            }
            std::vector<float> rows = C;
            k::gemm(ta, tb, s.M, s.N, s.K, A.data(), lda, B.data(), ldb, beta, C.data(), s.N, ep);
            for (std::size_t i = 0; i < s.M; ++i) {
              const float* Ai = ta == Trans::N ? A.data() + i * lda : A.data() + i;
              k::gemm(ta, tb, 1, s.N, s.K, Ai, lda, B.data(), ldb, beta, rows.data() + i * s.N, s.N, ep);
            }
            std::size_t differ = 0;
            for (std::size_t i = 0; i < C.size(); ++i) differ += C[i] != rows[i];
            INFO("M=" << s.M << " N=" << s.N << " K=" << s.K << " ta=" << (ta == Trans::T)
                      << " tb=" << (tb == Trans::T) << " beta=" << beta << " epilogue=" << with_ep);
            CHECK(differ == 0);
          }
}
