// Fork-join (kernels/parallel.hpp) and the GEMM split it drives. Built twice for WebAssembly:
// test_threads over the single-threaded core and test_threads_mt over the threaded one
// (genlab_core_mt, run under node with a real helper thread); natively once, single-threaded.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/core/rng.hpp"
#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/parallel.hpp"
#include "genlab/kernels/vec.hpp"
#include "genlab/optim/optimizer.hpp"

namespace k = genlab::kernels;
using k::Trans;

TEST_CASE("kernel_threads reports the build") {
#if defined(GENLAB_THREADS)
  CHECK(k::kernel_threads() == 2);
  CHECK(k::max_kernel_threads() == 2);
#else
  CHECK(k::kernel_threads() == 1);
  CHECK(k::max_kernel_threads() == 1);
#endif
}

TEST_CASE("set_kernel_threads lowers the count within [1, the build's], and splits follow it") {
  const int max = k::max_kernel_threads();
  std::atomic<int> calls{0};
  auto count = [&](std::size_t, std::size_t) { ++calls; };
  CHECK(k::set_kernel_threads(1) == 1);
  CHECK(k::kernel_threads() == 1);
  k::split_range(1000, 64, 16, count);
  CHECK(calls.load() == 1);  // one thread: the whole range on the caller
  CHECK(k::set_kernel_threads(0) == 1);
  CHECK(k::set_kernel_threads(-3) == 1);
  CHECK(k::set_kernel_threads(8) == max);
  CHECK(k::kernel_threads() == max);
  calls = 0;
  k::split_range(1000, 64, 16, count);
  CHECK(calls.load() == max);
  CHECK(k::set_kernel_threads(2) == max);  // as the build has it, for the cases after this one
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
  // Also panels that do not divide evenly: the last column panel 17 wide, the last row panel 12 tall.
  // Shallow and narrow ones split by rows from a lower size: the row-by-row path (K ≤ 8), the dot
  // products of an output layer (N ≤ 4, x·Wᵀ), and a 2-column weight gradient; 300 rows: uneven.
  for (const Shape s : {Shape{128, 400, 784}, Shape{512, 20, 300}, Shape{256, 128, 128}, Shape{64, 33, 600},
                        Shape{20, 20, 3000}, Shape{256, 128, 8}, Shape{512, 128, 2}, Shape{256, 2, 128},
                        Shape{128, 2, 256}, Shape{300, 3, 77}})
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

TEST_CASE("share_chunks runs every chunk once, on either thread, and the helper takes part") {
  const auto caller = std::this_thread::get_id();
  std::size_t by_helper = 0;
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{64}}) {
    for (int round = 0; round < 200; ++round) {
      std::vector<std::atomic<int>> runs(n);
      std::vector<std::atomic<bool>> elsewhere(n);
      auto chunk = [&](std::size_t c) {
        volatile double x = 0;  // a few microseconds each: long enough for the helper to join in
        for (int i = 0; i < 2000; ++i) x = x + 1.0;
        runs[c].fetch_add(1);
        elsewhere[c] = std::this_thread::get_id() != caller;
      };
      k::share_chunks(n, chunk);
      for (std::size_t c = 0; c < n; ++c) {
        INFO("n=" << n << " chunk " << c << " round " << round);
        REQUIRE(runs[c].load() == 1);
        by_helper += elsewhere[c] ? 1 : 0;
      }
    }
  }
#if defined(GENLAB_THREADS)
  CHECK(by_helper > 0);
#else
  CHECK(by_helper == 0);
#endif
}

// The helper sleeps after ~200 µs without work, and waking it takes tens of microseconds: work the
// caller finishes first must not wait for it. Each call below comes 2 ms after the last, with two
// tiny chunks: the caller runs both and withdraws the helper's part (a caller that always waited
// would count none).
TEST_CASE("share_chunks does not wait for a helper that took nothing") {
  const std::size_t before = k::shares_withdrawn();
  std::atomic<int> ran{0};
  for (int round = 0; round < 30; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    auto tiny = [&](std::size_t) { ++ran; };
    k::share_chunks(2, tiny);
  }
  CHECK(ran.load() == 60);
#if defined(GENLAB_THREADS)
  CHECK(k::shares_withdrawn() - before >= 10);
#else
  CHECK(k::shares_withdrawn() == before);
  CHECK(before == 0);
#endif
}

TEST_CASE("share_chunks rethrows a chunk's exception in the caller and stays usable") {
  for (int round = 0; round < 20; ++round) {
    std::atomic<int> ran{0};
    auto bad = [&](std::size_t c) {
      ++ran;
      if (c == 5) throw std::runtime_error("chunk 5 failed");
    };
    CHECK_THROWS_WITH_AS(k::share_chunks(16, bad), "chunk 5 failed", std::runtime_error);
    CHECK(ran.load() >= 1);
  }
  std::atomic<int> ran{0};
  auto ok = [&](std::size_t) { ++ran; };
  k::share_chunks(16, ok);
  CHECK(ran.load() == 16);
}

TEST_CASE("split_range covers [0, n) once, in aligned halves when it splits") {
  for (const std::size_t n : {std::size_t{0}, std::size_t{5}, std::size_t{31}, std::size_t{1000}, std::size_t{70001}}) {
    std::vector<int> hits(n, 0);
    std::atomic<int> calls{0};
    std::size_t upper_start = 0;  // the start of the part that does not begin at 0
    auto mark = [&](std::size_t i, std::size_t j) {
      ++calls;
      if (i != 0) upper_start = i;
      for (std::size_t x = i; x < j; ++x) ++hits[x];  // the two parts touch disjoint elements
    };
    k::split_range(n, 64, 16, mark);
    std::size_t once = 0;
    for (int h : hits) once += h == 1;
    INFO("n=" << n);
    CHECK(once == n);
    const bool split = k::kernel_threads() > 1 && n >= 64;
    CHECK(calls.load() == (split ? 2 : 1));
    CHECK(upper_start % 16 == 0);
    if (split) CHECK(upper_start >= n / 2 - 16);
  }
}

// bᵗ as Adam computes its bias corrections (squaring; std::pow may differ in the last bit)
static double power(float base, long long t) {
  double r = 1.0, b = base;
  for (; t > 0; t >>= 1, b *= b)
    if (t & 1) r *= b;
  return r;
}

// Each optimizer updates a store large enough to be split (threaded build) and must give exactly
// the bits of one unsplit kernel call over the whole store, step after step.
TEST_CASE("optimizers updating in two halves give the bits of one pass") {
  using genlab::optim::Kind;
  for (const Kind kind : {Kind::Adam, Kind::RMSprop, Kind::SGD}) {
    genlab::ParamStore store;
    store.declare("W", {300, 250});  // 75,000 values: above kSplitUpdate
    store.declare("b", {37});
    store.finalize();
    REQUIRE(store.size() >= genlab::optim::kSplitUpdate);
    genlab::Rng rng(11u);
    for (auto& v : store.values()) v = rng.uniform(-1.0f, 1.0f);
    genlab::optim::OptimConfig cfg;
    cfg.kind = kind;
    cfg.lr = 0.01f;
    cfg.momentum = kind == Kind::Adam ? 0.0f : 0.9f;
    cfg.weight_decay = 1e-3f;
    auto opt = genlab::optim::make_optimizer(cfg);
    const std::size_t n = store.size();
    std::vector<float> w(store.values().begin(), store.values().end()), s1(n, 0.0f), s2(n, 0.0f);
    for (long long t = 1; t <= 3; ++t) {
      for (auto& g : store.grads()) g = rng.uniform(-1.0f, 1.0f);
      opt->step(store);
      const float* g = store.grads().data();
      if (kind == Kind::Adam) {
        k::AdamParams p{cfg.lr, cfg.beta1, cfg.beta2, 1e-8f, 0, 0, cfg.weight_decay, false};
        p.bc1 = static_cast<float>(1.0 - power(cfg.beta1, t));
        p.bc2 = static_cast<float>(1.0 - power(cfg.beta2, t));
        k::adam_update(w.data(), g, s1.data(), s2.data(), n, p);
      } else if (kind == Kind::RMSprop) {
        k::rmsprop_update(w.data(), g, s1.data(), s2.data(), n, {cfg.lr, cfg.rho, 1e-7f, cfg.momentum, cfg.weight_decay});
      } else {
        k::sgd_update(w.data(), g, s1.data(), n, {cfg.lr, cfg.momentum, cfg.weight_decay, false});
      }
      std::size_t differ = 0;
      for (std::size_t i = 0; i < n; ++i) differ += w[i] != store.values()[i];
      INFO(genlab::optim::kind_name(kind) << " step " << t);
      CHECK(differ == 0);
    }
  }
}
