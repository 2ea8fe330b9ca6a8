// GEMM against gemm_ref over the edge families that break packed kernels: sizes below / at /
// above the micro-tile, k = 1, prime k, k above the depth block, zero sizes, strided operands,
// all four transpose combinations and β ∈ {0, 1, ½}.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/simd.hpp"
#include "genlab/kernels/vec.hpp"
#include "support/testutil.hpp"

namespace k = genlab::kernels;
using genlab::Rng;
using k::Trans;

namespace {

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

void check_case(Rng& rng, Trans ta, Trans tb, std::size_t M, std::size_t N, std::size_t K, float beta,
                std::size_t pad) {
  // op(A) is M×K: stored M×K (N) or K×M (T); leading dimensions padded by `pad` columns.
  const std::size_t ar = ta == Trans::N ? M : K, ac = ta == Trans::N ? K : M;
  const std::size_t br = tb == Trans::N ? K : N, bc = tb == Trans::N ? N : K;
  const std::size_t lda = ac + pad, ldb = bc + pad, ldc = N + pad;
  std::vector<float> A(ar * lda + 1), B(br * ldb + 1), C(M * ldc + 1);
  for (auto& v : A) v = rng.uniform(-1.0f, 1.0f);
  for (auto& v : B) v = rng.uniform(-1.0f, 1.0f);
  for (auto& v : C) v = rng.uniform(-1.0f, 1.0f);
  std::vector<float> C_ref = C;
  if (beta == 0.0f) {
    // β = 0 must not read C: poison it with NaN (the padding too, which must stay untouched).
    for (std::size_t i = 0; i < M; ++i)
      for (std::size_t j = 0; j < N; ++j) C[i * ldc + j] = std::numeric_limits<float>::quiet_NaN();
  }
  k::gemm(ta, tb, M, N, K, A.data(), lda, B.data(), ldb, beta, C.data(), ldc);
  k::gemm_ref(ta, tb, M, N, K, A.data(), lda, B.data(), ldb, beta, C_ref.data(), ldc);
  INFO("ta=" << (ta == Trans::T) << " tb=" << (tb == Trans::T) << " M=" << M << " N=" << N << " K=" << K
             << " beta=" << beta << " pad=" << pad);
  const double tol = 2e-6 * static_cast<double>(K + 1);
  genlab::test::check_all_close(C.data(), C_ref.data(), C.size(), tol, 1e-5, "C");
}

}  // namespace

TEST_CASE("gemm matches gemm_ref on the edge families") {
  Rng rng(99u);
  const std::size_t mr = k::gemm_mr(), nr = k::gemm_nr();
  const std::size_t ms[] = {1, mr - 1, mr, mr + 1, 2 * mr + 3};
  const std::size_t ns[] = {1, 2, 3, 4, 5, nr - 1, nr, nr + 1, 3 * nr + 5};  // ≤ 4: x·Wᵀ's dot path
  const std::size_t ks[] = {1, 2, 8, 9, 13, 256, 300};  // ≤ 8: the row-by-row path
  for (Trans ta : {Trans::N, Trans::T})
    for (Trans tb : {Trans::N, Trans::T})
      for (std::size_t M : ms)
        for (std::size_t N : ns)
          for (std::size_t K : ks) check_case(rng, ta, tb, M, N, K, (M + N + K) % 3 == 0 ? 0.0f : 1.0f, 0);
}

TEST_CASE("gemm handles β = ½, strided operands and blocks larger than MC and NC") {
  Rng rng(7u);
  // The block sizes of this build (MC follows MR: 128 with 4-row tiles, 192 with 12-row ones),
  // so every build crosses its own blocks, partial tiles included.
  const std::size_t mc = k::gemm_mc(), nc = k::gemm_nc(), kc = k::gemm_kc(), mr = k::gemm_mr();
  REQUIRE(mc % mr == 0);
  for (Trans ta : {Trans::N, Trans::T})
    for (Trans tb : {Trans::N, Trans::T}) {
      check_case(rng, ta, tb, 7, 9, 5, 0.5f, 3);
      check_case(rng, ta, tb, mc + 2, nc + 6, 17, 0.0f, 1);    // one row and column block more
      check_case(rng, ta, tb, mc, nc, 9, 1.0f, 0);             // exactly one block each
      check_case(rng, ta, tb, 2 * mc + mr + 1, 11, 3 * kc + 8, 0.5f, 2);  // three row blocks, four depth blocks
    }
}

// The order of operations gemm promises, element by element: one multiply-add chain over k in
// order (fused exactly where the target's vector FMA is), restarted per depth block of KC and added
// to C; the shallow path (K ≤ 8) starts its chain from β·C instead. Nothing in it depends on the
// vector width, which is why an AVX-512 build trains bit for bit like an AVX2 one.
static float chain_model(Trans ta, Trans tb, std::size_t K, const float* A, std::size_t lda, const float* B,
                  std::size_t ldb, std::size_t i, std::size_t j, float beta, float c) {
  auto a = [&](std::size_t kk) { return ta == Trans::N ? A[i * lda + kk] : A[kk * lda + i]; };
  auto b = [&](std::size_t kk) { return tb == Trans::N ? B[kk * ldb + j] : B[j * ldb + kk]; };
  if (K <= 8) {
    float acc = beta == 0.0f ? 0.0f : beta * c;
    for (std::size_t kk = 0; kk < K; ++kk) acc = k::fmadd(a(kk), b(kk), acc);
    return acc;
  }
  for (std::size_t k0 = 0; k0 < K; k0 += k::gemm_kc()) {
    float s = 0.0f;
    for (std::size_t kk = k0; kk < std::min(K, k0 + k::gemm_kc()); ++kk) s = k::fmadd(a(kk), b(kk), s);
    const float bk = k0 == 0 ? beta : 1.0f;
    c = bk == 0.0f ? s : bk == 1.0f ? c + s : k::fmadd(bk, c, s);
  }
  return c;
}

TEST_CASE("gemm computes each element as the in-order multiply-add chain, bit for bit") {
  Rng rng(11u);
  const std::size_t nr = k::gemm_nr();
  for (Trans ta : {Trans::N, Trans::T})
    for (Trans tb : {Trans::N, Trans::T})
      for (std::size_t M : {std::size_t{1}, std::size_t{7}, std::size_t{13}})
        for (std::size_t N : {std::size_t{5}, std::size_t{9}, std::size_t{17}, nr + 3, 2 * nr + 8})
          for (std::size_t K : {std::size_t{2}, std::size_t{8}, std::size_t{9}, std::size_t{300}})
            for (float beta : {0.0f, 1.0f, 0.3f}) {  // 0.3: β·C rounds (½ would be exact)
              const std::size_t ar = ta == Trans::N ? M : K, ac = ta == Trans::N ? K : M;
              const std::size_t br = tb == Trans::N ? K : N, bc = tb == Trans::N ? N : K;
              std::vector<float> A(ar * ac), B(br * bc), C(M * N);
              for (auto& v : A) v = rng.uniform(-1.0f, 1.0f);
              for (auto& v : B) v = rng.uniform(-1.0f, 1.0f);
              for (auto& v : C) v = rng.uniform(-1.0f, 1.0f);
              const std::vector<float> C0 = C;
              k::gemm(ta, tb, M, N, K, A.data(), ac, B.data(), bc, beta, C.data(), N);
              std::size_t differ = 0;
              for (std::size_t i = 0; i < M; ++i)
                for (std::size_t j = 0; j < N; ++j)
                  differ += C[i * N + j] != chain_model(ta, tb, K, A.data(), ac, B.data(), bc, i, j, beta, C0[i * N + j]);
              INFO("ta=" << (ta == Trans::T) << " tb=" << (tb == Trans::T) << " M=" << M << " N=" << N
                         << " K=" << K << " beta=" << beta);
              CHECK(differ == 0);
            }
}

TEST_CASE("the epilogue adds the bias and rectifies, with the bits of the separate passes") {
  // Every path: dot products (x·Wᵀ with N ≤ 4), depth ≤ 8, packed with one depth block and with
  // two (the epilogue belongs to the last only), partial tiles; bias alone, + ReLU, + LeakyReLU.
  Rng rng(12u);
  const std::size_t mr = k::gemm_mr(), nr = k::gemm_nr(), kc = k::gemm_kc();
  const std::size_t ms[] = {1, mr + 1, 2 * mr + 3};
  const std::size_t ns[] = {2, 4, nr + 3, 3 * nr + 5};
  const std::size_t ks[] = {3, 8, 37, kc + 21};
  std::size_t negative = 0, total = 0;
  struct Shape { std::size_t M, N, K; };
  std::vector<Shape> shapes;
  for (std::size_t M : ms)
    for (std::size_t N : ns)
      for (std::size_t K : ks) shapes.push_back({M, N, K});
  shapes.push_back({5, k::gemm_nc() + 77, 37});  // wider than one NC column block: the bias offset moves
  shapes.push_back({k::gemm_mc() + 3, 2 * nr + 1, 11});  // taller than one MC row block: the epilogue runs per block
  for (Trans tb : {Trans::N, Trans::T})
    for (const Shape& sh : shapes)
      for (int e = 0; e < 3; ++e)
        for (float beta : {0.0f, 1.0f}) {
          const std::size_t M = sh.M, N = sh.N, K = sh.K;
          const std::size_t ldb = tb == Trans::N ? N : K;
          std::vector<float> A(M * K), B(K * N), bias(N), C(M * N);
          for (auto& v : A) v = rng.uniform(-1.0f, 1.0f);
          for (auto& v : B) v = rng.uniform(-1.0f, 1.0f);
          for (auto& v : bias) v = rng.uniform(-1.0f, 1.0f);
          for (auto& v : C) v = rng.uniform(-1.0f, 1.0f);
          k::Epilogue ep;
          ep.bias = bias.data();
          ep.rectify = e > 0;
          ep.slope = e == 2 ? 0.2f : 0.0f;
          std::vector<float> fused = C, separate = C, ref = C;
          k::gemm(Trans::N, tb, M, N, K, A.data(), K, B.data(), ldb, beta, fused.data(), N, ep);
          k::gemm(Trans::N, tb, M, N, K, A.data(), K, B.data(), ldb, beta, separate.data(), N);
          k::add_bias_rows(separate.data(), bias.data(), M, N);
          for (float v : separate) negative += v < 0.0f;
          total += separate.size();
          if (e == 1) k::relu(separate.data(), separate.data(), M * N);
          if (e == 2) k::leaky_relu(separate.data(), separate.data(), M * N, 0.2f);
          k::gemm_ref(Trans::N, tb, M, N, K, A.data(), K, B.data(), ldb, beta, ref.data(), N, ep);
          INFO("tb=" << (tb == Trans::T) << " M=" << M << " N=" << N << " K=" << K << " epilogue " << e
                     << " beta=" << beta);
          std::size_t differ = 0;
          for (std::size_t i = 0; i < fused.size(); ++i) differ += bits(fused[i]) != bits(separate[i]);
          CHECK(differ == 0);
          genlab::test::check_all_close(fused.data(), ref.data(), fused.size(), 2e-6 * double(K + 2), 1e-5,
                                        "C");
        }
  CHECK(negative > total / 4);  // the rectifiers had work to do
}

TEST_CASE("gemm with zero sizes") {
  Rng rng(8u);
  std::vector<float> C(12, 2.0f), A(12, 1.0f), B(12, 1.0f);
  k::gemm(Trans::N, Trans::N, 0, 3, 4, A.data(), 4, B.data(), 3, 0.0f, C.data(), 3);
  k::gemm(Trans::N, Trans::N, 3, 0, 4, A.data(), 4, B.data(), 3, 0.0f, C.data(), 3);
  for (float c : C) CHECK(c == 2.0f);
  k::gemm(Trans::N, Trans::N, 3, 4, 0, A.data(), 1, B.data(), 4, 0.5f, C.data(), 4);  // K = 0: C = βC
  for (float c : C) CHECK(c == 1.0f);
  k::gemm(Trans::N, Trans::N, 3, 4, 0, A.data(), 1, B.data(), 4, 0.0f, C.data(), 4);
  for (float c : C) CHECK(c == 0.0f);
}

TEST_CASE("the named backprop products are the right transposes") {
  Rng rng(9u);
  const std::size_t B = 5, in = 7, out = 3;
  auto x = genlab::test::random_tensor(rng, B, in);
  auto W = genlab::test::random_tensor(rng, out, in);
  auto dy = genlab::test::random_tensor(rng, B, out);
  genlab::Tensor2 y({B, out}), dx({B, in}), dW = genlab::test::random_tensor(rng, out, in);
  genlab::Tensor2 dW0 = dW;
  k::matmul_xWt(x.data(), W.data(), y.data(), B, in, out);
  k::matmul_dyW(dy.data(), W.data(), dx.data(), B, in, out);
  k::matmul_dytx_acc(dy.data(), x.data(), dW.data(), B, in, out);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t o = 0; o < out; ++o) {
      double s = 0;
      for (std::size_t i = 0; i < in; ++i) s += double(x(b, i)) * W(o, i);
      CHECK(y(b, o) == doctest::Approx(s).epsilon(1e-5));
    }
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t i = 0; i < in; ++i) {
      double s = 0;
      for (std::size_t o = 0; o < out; ++o) s += double(dy(b, o)) * W(o, i);
      CHECK(dx(b, i) == doctest::Approx(s).epsilon(1e-5));
    }
  for (std::size_t o = 0; o < out; ++o)
    for (std::size_t i = 0; i < in; ++i) {
      double s = dW0(o, i);
      for (std::size_t b = 0; b < B; ++b) s += double(dy(b, o)) * x(b, i);
      CHECK(dW(o, i) == doctest::Approx(s).epsilon(1e-5));
    }
}
