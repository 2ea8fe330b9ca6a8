// Packed GEMM in the BLIS/GotoBLAS shape: pack a KC×NC block of op(B) into NR-wide panels and an
// MC×KC block of op(A) into MR-tall panels (zero-padded, transposes resolved while packing), then
// sweep an MR×NR register tile over them. Every element of C is one chain over k in order (per KC
// block) of a multiply then an add (never fused: wasm has no FMA), so neither the tile, the vector
// width nor the target changes the result's bits (simd.hpp). The tiles, MR × (NV vectors):
//   wasm     4 × 2×4: V8 hoists a k step's 4 broadcasts, so 8 accumulators + 2 B vectors + 4
//            broadcasts + 1 product = 15 registers, all that V8 gives wasm SIMD code on x64 (it
//            keeps a 16th as scratch); larger tiles spill. It runs at the speed of native code of
//            the same tile (bench_tile128; docs/journal.md).
//   AVX-512  12 × 1×16: each broadcast of op(A) feeds one multiply, so g++ folds it into the
//            multiply's memory operand ({1to16}); with 2 vectors per row the broadcasts are separate
//            instructions competing with the multiplies and adds for the FP pipes (slower once FMA
//            was split into multiply + add; figures in docs/journal.md).
//   AVX2     4 × 3×8: 12 accumulators + 3 B vectors + 1 broadcast = 16 registers; fewer
//            broadcasts per multiply than 6 × 2×8 (faster with multiply + add: docs/journal.md).
// Two shapes skip packing, where it would cost more than the arithmetic: depth K ≤ 8 (row by row)
// and x·Wᵀ with N ≤ 4 outputs (dot products). The Epilogue (a layer's bias and ReLU/LeakyReLU)
// is applied to C as its values become final: per block of MC rows in the packed path, per chunk
// of rows in the depth ≤ 8 path, per element in the dot-product path.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/parallel.hpp"
#include "genlab/kernels/simd.hpp"
#include "genlab/kernels/vec.hpp"

namespace genlab::kernels {
namespace {

#if GENLAB_SIMD
using Wide = GemmBatch;
constexpr std::size_t kW = kGemmLanes;
constexpr std::size_t MR = kW >= 16 ? 12 : 4;
constexpr std::size_t NV = kW >= 16 ? 1 : kW >= 8 ? 3 : 2;  // vectors per row of the tile
constexpr std::size_t NR = NV * kW;
using Buffer = std::vector<float, xsimd::aligned_allocator<float, 64>>;
#else
constexpr std::size_t MR = 4;
constexpr std::size_t NR = 8;
using Buffer = std::vector<float>;
#endif
constexpr std::size_t kSmallN = 4;  // x·Wᵀ with N ≤ this many columns takes the dot-product path
constexpr std::size_t kSmallK = 8;  // products this shallow take the row-by-row path
// Threaded build: products of at least this many multiply-adds are split between two threads
// (enough work per half at wasm speed to outweigh waking the helper).
constexpr std::size_t kParallelMacs = std::size_t{1} << 20;
// …and shallow or narrow ones (K ≤ kSmallK, or fewer than 4·NR columns: a first layer fed noise or
// 2-D points, an output layer and its weight gradient) from this many, split by rows. Each costs
// ~25 µs in a 2-D GAN's step at wasm speed: left on one thread they were ~9 % of ring-gan's step.
constexpr std::size_t kParallelMacsThin = std::size_t{1} << 16;
// Threaded build: the panels such a product is cut into, shared by the two threads. Halves: 4 and 8
// were no faster beside a repainting page and slower alone (more packing; docs/journal.md).
constexpr std::size_t kChunks = 2;
constexpr std::size_t KC = 256;   // depth of a block: one A panel (4 KB) + one B panel fit in L1
constexpr std::size_t MC = MR >= 12 ? 16 * MR : 32 * MR;  // rows of op(A) packed at once: MC×KC floats = 128–192 KB (L2)
constexpr std::size_t NC = 1024 / NR * NR;  // columns of op(B) packed at once: KC×NC floats ≈ 1 MB

// Packing buffers grow to the largest problem seen, then are reused: no allocation in steady state.
Buffer& a_pack() { static thread_local Buffer b; return b; }
Buffer& b_pack() { static thread_local Buffer b; return b; }

// The epilogue on column j's final value: + bias, then the rectifier, in the order (and with the
// roundings) of the separate passes add_bias_rows and relu / leaky_relu. `!(c > 0)` also sends NaN
// to the negative branch, as their select does.
inline float finish(float c, const Epilogue& ep, std::size_t j) {
  if (ep.bias != nullptr) c += ep.bias[j];
  if (ep.rectify && !(c > 0.0f)) c = ep.slope == 0.0f ? 0.0f : c * ep.slope;
  return c;
}

bool active(const Epilogue& ep) { return ep.bias != nullptr || ep.rectify; }

// The epilogue over the m×n block of C at C, whose first column is column j0 of the product. kBias:
// add the bias; kRect: 0 none, 1 ReLU, 2 LeakyReLU. The choice is made once per block, outside
// the loops.
template <bool kBias, int kRect>
void epilogue_block(float* C, std::size_t ldc, std::size_t m, std::size_t n, const Epilogue& ep, std::size_t j0) {
  [[maybe_unused]] const float* bias = kBias ? ep.bias + j0 : nullptr;  // read by the SIMD loop only
  for (std::size_t r = 0; r < m; ++r) {
    float* c = C + r * ldc;
    std::size_t j = 0;
#if GENLAB_SIMD
    using V = GemmBatch;
    const V zero(0.0f), slope(ep.slope);
    for (; j + kGemmLanes <= n; j += kGemmLanes) {
      V v = V::load_unaligned(c + j);
      if constexpr (kBias) v = v + V::load_unaligned(bias + j);
      if constexpr (kRect == 1) v = xsimd::select(v > zero, v, zero);
      if constexpr (kRect == 2) v = xsimd::select(v > zero, v, v * slope);
      v.store_unaligned(c + j);
    }
#endif
    for (; j < n; ++j) c[j] = finish(c[j], ep, j0 + j);
  }
}

// The epilogue over a block of C whose stores are final. The packed path calls it once per block
// of MC rows (a second pass over C, mostly still in cache) rather than inside the micro-kernel:
// there V8 loses registers to it and the whole product ran slower (docs/journal.md), and per
// 8-column panel the loop overhead cost more than the separate passes it replaces.
void apply_epilogue(float* C, std::size_t ldc, std::size_t m, std::size_t n, const Epilogue& ep, std::size_t j0) {
  const int rect = !ep.rectify ? 0 : ep.slope == 0.0f ? 1 : 2;
  if (ep.bias != nullptr) {
    if (rect == 0) return epilogue_block<true, 0>(C, ldc, m, n, ep, j0);
    if (rect == 1) return epilogue_block<true, 1>(C, ldc, m, n, ep, j0);
    return epilogue_block<true, 2>(C, ldc, m, n, ep, j0);
  }
  if (rect == 1) return epilogue_block<false, 1>(C, ldc, m, n, ep, j0);
  if (rect == 2) return epilogue_block<false, 2>(C, ldc, m, n, ep, j0);
}

#if GENLAB_SIMD
// c + a·b as a multiply then an add, two roundings, in every build: WebAssembly has no fused
// multiply-add, so fusing natively would change the bits (simd.hpp). -ffp-contract=off keeps g++
// from fusing the two.
inline Wide madd_w(const Wide& a, const Wide& b, const Wide& c) { return a * b + c; }

// Packing moves 4×4 blocks with 4-lane vectors (SSE natively, SIMD128 in wasm) whatever the
// kernel's width: a transpose in registers instead of 16 scalar loads and strided stores.
using B4 = xsimd::make_sized_batch_t<float, 4>;
constexpr bool kPack4 = !std::is_void<B4>::value;

// Rows r0…r3 (4 floats each, at stride ld) → columns, stored at dst, dst + ds, dst + 2ds, dst + 3ds.
inline void transpose4(const float* src, std::size_t ld, float* dst, std::size_t ds) {
  const B4 r0 = B4::load_unaligned(src), r1 = B4::load_unaligned(src + ld);
  const B4 r2 = B4::load_unaligned(src + 2 * ld), r3 = B4::load_unaligned(src + 3 * ld);
  const B4 t0 = xsimd::zip_lo(r0, r2), t1 = xsimd::zip_hi(r0, r2);  // r0₀ r2₀ r0₁ r2₁ | r0₂ r2₂ r0₃ r2₃
  const B4 t2 = xsimd::zip_lo(r1, r3), t3 = xsimd::zip_hi(r1, r3);
  xsimd::zip_lo(t0, t2).store_unaligned(dst);                     // r0₀ r1₀ r2₀ r3₀
  xsimd::zip_hi(t0, t2).store_unaligned(dst + ds);
  xsimd::zip_lo(t1, t3).store_unaligned(dst + 2 * ds);
  xsimd::zip_hi(t1, t3).store_unaligned(dst + 3 * ds);
}
#endif

// op(A)[i0 : i0+mc, k0 : k0+kc] → panels of MR rows, k-major inside a panel: Ap[p][k][r].
void pack_A(Trans ta, const float* A, std::size_t lda, std::size_t i0, std::size_t mc, std::size_t k0,
            std::size_t kc, float* Ap) {
  for (std::size_t p = 0; p < mc; p += MR, Ap += MR * kc) {
    const std::size_t rows = std::min(MR, mc - p);
    std::size_t r_done = 0;  // rows already packed in full by the vector paths
#if GENLAB_SIMD
    if (kPack4 && kc >= 4) {
      const std::size_t k4 = kc / 4 * 4;
      for (; r_done + 4 <= rows; r_done += 4) {
        if (ta == Trans::N) {  // 4 rows, contiguous in k: transpose 4×4 blocks
          const float* src = A + (i0 + p + r_done) * lda + k0;
          for (std::size_t k = 0; k < k4; k += 4) transpose4(src + k, lda, Ap + k * MR + r_done, MR);
          for (std::size_t r = r_done; r < r_done + 4; ++r)
            for (std::size_t k = k4; k < kc; ++k) Ap[k * MR + r] = A[(i0 + p + r) * lda + k0 + k];
        } else {  // op(A) = Aᵀ: the values of one k are already contiguous
          for (std::size_t k = 0; k < kc; ++k)
            B4::load_unaligned(A + (k0 + k) * lda + i0 + p + r_done).store_unaligned(Ap + k * MR + r_done);
        }
      }
    }
#endif
    if (ta == Trans::N) {
      for (std::size_t r = r_done; r < rows; ++r) {
        const float* src = A + (i0 + p + r) * lda + k0;
        for (std::size_t k = 0; k < kc; ++k) Ap[k * MR + r] = src[k];
      }
    } else {
      for (std::size_t k = 0; k < kc; ++k) {
        const float* src = A + (k0 + k) * lda + i0 + p;
        for (std::size_t r = r_done; r < rows; ++r) Ap[k * MR + r] = src[r];
      }
    }
    for (std::size_t r = rows; r < MR; ++r)
      for (std::size_t k = 0; k < kc; ++k) Ap[k * MR + r] = 0.0f;
  }
}

// op(B)[k0 : k0+kc, j0 : j0+nc] → panels of NR columns, k-major inside a panel: Bp[q][k][c].
void pack_B(Trans tb, const float* B, std::size_t ldb, std::size_t k0, std::size_t kc, std::size_t j0,
            std::size_t nc, float* Bp) {
  for (std::size_t q = 0; q < nc; q += NR, Bp += NR * kc) {
    const std::size_t cols = std::min(NR, nc - q);
    if (tb == Trans::N) {
      for (std::size_t k = 0; k < kc; ++k) {
        const float* src = B + (k0 + k) * ldb + j0 + q;
        float* dst = Bp + k * NR;
#if GENLAB_SIMD
        if (cols == NR) {
          for (std::size_t v = 0; v < NV; ++v) Wide::load_unaligned(src + v * kW).store_aligned(dst + v * kW);
          continue;
        }
#endif
        for (std::size_t c = 0; c < cols; ++c) dst[c] = src[c];
        for (std::size_t c = cols; c < NR; ++c) dst[c] = 0.0f;
      }
    } else {
      std::size_t k_done = 0;
#if GENLAB_SIMD
      if (kPack4 && cols == NR) {  // NR rows of B, contiguous in k: transpose 4×4 blocks
        for (; k_done + 4 <= kc; k_done += 4)
          for (std::size_t c = 0; c < NR; c += 4)
            transpose4(B + (j0 + q + c) * ldb + k0 + k_done, ldb, Bp + k_done * NR + c, NR);
      }
#endif
      for (std::size_t c = 0; c < cols; ++c) {
        const float* src = B + (j0 + q + c) * ldb + k0;
        for (std::size_t k = k_done; k < kc; ++k) Bp[k * NR + c] = src[k];
      }
      for (std::size_t c = cols; c < NR; ++c)
        for (std::size_t k = 0; k < kc; ++k) Bp[k * NR + c] = 0.0f;
    }
  }
}

// Writes an MR×NR tile held in `tile` into C (only the mr×nr part that exists), C = β·C + tile.
void store_partial(const float* tile, float* C, std::size_t ldc, float beta, std::size_t mr, std::size_t nr) {
  for (std::size_t r = 0; r < mr; ++r)
    for (std::size_t j = 0; j < nr; ++j) {
      float& c = C[r * ldc + j];
      c = beta == 0.0f ? tile[r * NR + j] : beta == 1.0f ? c + tile[r * NR + j] : fmadd(beta, c, tile[r * NR + j]);
    }
}

#if GENLAB_SIMD
// One row of a full tile into C: c = β·c + acc.
inline void store_row(const Wide* acc, float* c, float beta) {
  for (std::size_t v = 0; v < NV; ++v, c += kW) {
    if (beta == 0.0f)
      acc[v].store_unaligned(c);
    else if (beta == 1.0f)
      (Wide::load_unaligned(c) + acc[v]).store_unaligned(c);
    else
      madd_w(Wide(beta), Wide::load_unaligned(c), acc[v]).store_unaligned(c);
  }
}

// C[0:mr, 0:nr] = β·C + Ap (MR×kc panel) · Bp (kc×NR panel). The loops have constant trip counts:
// the compiler unrolls them and keeps acc[][] in registers.
void gemm_ukernel(std::size_t kc, const float* Ap, const float* Bp, float* C, std::size_t ldc, float beta,
                  std::size_t mr, std::size_t nr) {
  Wide acc[MR][NV];
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < NV; ++v) acc[r][v] = Wide(0.0f);
  for (std::size_t k = 0; k < kc; ++k, Ap += MR, Bp += NR) {
    Wide b[NV];
    for (std::size_t v = 0; v < NV; ++v) b[v] = Wide::load_aligned(Bp + v * kW);
    for (std::size_t r = 0; r < MR; ++r) {
      const Wide a(Ap[r]);
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] = madd_w(a, b[v], acc[r][v]);
    }
  }
  if (mr == MR && nr == NR) {
    for (std::size_t r = 0; r < MR; ++r) store_row(acc[r], C + r * ldc, beta);
    return;
  }
  alignas(64) float tile[MR * NR];
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < NV; ++v) acc[r][v].store_aligned(tile + r * NR + v * kW);
  store_partial(tile, C, ldc, beta, mr, nr);
}
#else
void gemm_ukernel(std::size_t kc, const float* Ap, const float* Bp, float* C, std::size_t ldc, float beta,
                       std::size_t mr, std::size_t nr) {
  float tile[MR * NR] = {};
  for (std::size_t k = 0; k < kc; ++k, Ap += MR, Bp += NR)
    for (std::size_t r = 0; r < MR; ++r)
      for (std::size_t j = 0; j < NR; ++j) tile[r * NR + j] += Ap[r] * Bp[j];
  store_partial(tile, C, ldc, beta, mr, nr);
}
#endif

// C = β·C + op(A)·B for a depth K ≤ kSmallK (a first layer fed 2-D points or GAN noise), B stored
// K×N: each row of C in one pass, as K vector multiply-adds per vector of C, with B's few rows in
// L1. Packing both operands would cost more than this arithmetic.
template <std::size_t K>
void gemm_small_k(Trans ta, std::size_t M, std::size_t N, const float* A, std::size_t lda, const float* B,
                  std::size_t ldb, float beta, float* C, std::size_t ldc, const Epilogue& ep) {
  // With an epilogue, rows go in chunks of ~2,048 floats (in L1), each finished as it completes.
  const std::size_t chunk = active(ep) ? std::max<std::size_t>(1, 2048 / N) : M;
  for (std::size_t i0 = 0; i0 < M; i0 += chunk) {
    const std::size_t i1 = std::min(M, i0 + chunk);
    for (std::size_t i = i0; i < i1; ++i) {
      float a[K];
      for (std::size_t k = 0; k < K; ++k) a[k] = ta == Trans::N ? A[i * lda + k] : A[k * lda + i];
      float* c = C + i * ldc;
      std::size_t j = 0;
#if GENLAB_SIMD
      Wide av[K];
      for (std::size_t k = 0; k < K; ++k) av[k] = Wide(a[k]);
      auto row = [&](Wide acc, std::size_t j0) {
        for (std::size_t k = 0; k < K; ++k) acc = madd_w(av[k], Wide::load_unaligned(B + k * ldb + j0), acc);
        return acc;
      };
      if (beta == 0.0f)
        for (; j + kW <= N; j += kW) row(Wide(0.0f), j).store_unaligned(c + j);
      else
        for (; j + kW <= N; j += kW) row(Wide(beta) * Wide::load_unaligned(c + j), j).store_unaligned(c + j);
#endif
      for (; j < N; ++j) {
        float acc = beta == 0.0f ? 0.0f : beta * c[j];
        for (std::size_t k = 0; k < K; ++k) acc = fmadd(a[k], B[k * ldb + j], acc);
        c[j] = acc;
      }
    }
    if (active(ep)) apply_epilogue(C + i0 * ldc, ldc, i1 - i0, N, ep, 0);
  }
}

// The depth as a template argument: the k loops unroll and op(A)'s K values stay in registers.
void gemm_small_k(Trans ta, std::size_t M, std::size_t N, std::size_t K, const float* A, std::size_t lda,
                  const float* B, std::size_t ldb, float beta, float* C, std::size_t ldc, const Epilogue& ep) {
  switch (K) {
    case 1: return gemm_small_k<1>(ta, M, N, A, lda, B, ldb, beta, C, ldc, ep);
    case 2: return gemm_small_k<2>(ta, M, N, A, lda, B, ldb, beta, C, ldc, ep);
    case 3: return gemm_small_k<3>(ta, M, N, A, lda, B, ldb, beta, C, ldc, ep);
    case 4: return gemm_small_k<4>(ta, M, N, A, lda, B, ldb, beta, C, ldc, ep);
    case 5: return gemm_small_k<5>(ta, M, N, A, lda, B, ldb, beta, C, ldc, ep);
    case 6: return gemm_small_k<6>(ta, M, N, A, lda, B, ldb, beta, C, ldc, ep);
    case 7: return gemm_small_k<7>(ta, M, N, A, lda, B, ldb, beta, C, ldc, ep);
    default: return gemm_small_k<kSmallK>(ta, M, N, A, lda, B, ldb, beta, C, ldc, ep);
  }
}

Buffer& bt_scratch() { static thread_local Buffer b; return b; }

// The product on the calling thread alone.
void gemm_st(Trans ta, Trans tb, std::size_t M, std::size_t N, std::size_t K, const float* A, std::size_t lda,
             const float* B, std::size_t ldb, float beta, float* C, std::size_t ldc, const Epilogue& ep) {
  if (M == 0 || N == 0) return;
  if (K == 0) {  // op(A)·op(B) is the zero matrix: only β·C (and the epilogue) remains
    for (std::size_t i = 0; i < M; ++i)
      for (std::size_t j = 0; j < N; ++j)
        C[i * ldc + j] = finish(beta == 0.0f ? 0.0f : beta * C[i * ldc + j], ep, j);
    return;
  }
  if (N <= kSmallN && ta == Trans::N && tb == Trans::T) {
    // x·Wᵀ for an output layer of 1–4 units (a GAN's D, a 2-D generator): one dot product per
    // element. The packed path would pad N up to NR and spend up to NR/N times the arithmetic.
    for (std::size_t i = 0; i < M; ++i)
      for (std::size_t j = 0; j < N; ++j) {
        const float v = dot(A + i * lda, B + j * ldb, K);
        float& c = C[i * ldc + j];
        c = finish(beta == 0.0f ? v : beta * c + v, ep, j);
      }
    return;
  }
  if (K <= kSmallK) {
    static_assert(kSmallK == 8, "gemm_small_k's switch covers depths 1…8");
    if (tb == Trans::N) return gemm_small_k(ta, M, N, K, A, lda, B, ldb, beta, C, ldc, ep);
    Buffer& Bt = bt_scratch();  // B stored N×K: K×N is a few hundred floats, transpose it once
    if (Bt.size() < K * N) Bt.resize(K * N);
    for (std::size_t j = 0; j < N; ++j)
      for (std::size_t k = 0; k < K; ++k) Bt[k * N + j] = B[j * ldb + k];
    return gemm_small_k(ta, M, N, K, A, lda, Bt.data(), N, beta, C, ldc, ep);
  }
  Buffer& Ab = a_pack();
  Buffer& Bb = b_pack();
  const std::size_t a_need = (std::min(MC, M) + MR - 1) / MR * MR * std::min(KC, K);
  const std::size_t b_need = (std::min(NC, N) + NR - 1) / NR * NR * std::min(KC, K);
  if (Ab.size() < a_need) Ab.resize(a_need);
  if (Bb.size() < b_need) Bb.resize(b_need);

  for (std::size_t jc = 0; jc < N; jc += NC) {          // L3: a block of columns of C
    const std::size_t nc = std::min(NC, N - jc);
    for (std::size_t pc = 0; pc < K; pc += KC) {        // depth blocks; the first applies β
      const std::size_t kc = std::min(KC, K - pc);
      const float beta_k = pc == 0 ? beta : 1.0f;
      const bool finishing = pc + kc == K && active(ep);  // this block's stores are final
      pack_B(tb, B, ldb, pc, kc, jc, nc, Bb.data());
      for (std::size_t ic = 0; ic < M; ic += MC) {      // L2: a block of rows of C
        const std::size_t mc = std::min(MC, M - ic);
        pack_A(ta, A, lda, ic, mc, pc, kc, Ab.data());
        for (std::size_t jr = 0; jr < nc; jr += NR) {   // L1: one B panel stays hot while…
          const std::size_t nr = std::min(NR, nc - jr);
          for (std::size_t ir = 0; ir < mc; ir += MR) { // …A panels stream past it
            const std::size_t mr = std::min(MR, mc - ir);
            gemm_ukernel(kc, Ab.data() + ir * kc, Bb.data() + jr * kc, C + (ic + ir) * ldc + jc + jr, ldc,
                         beta_k, mr, nr);
          }
        }
        if (finishing) apply_epilogue(C + ic * ldc + jc, ldc, mc, nc, ep, jc);
      }
    }
  }
}

}  // namespace

std::size_t gemm_mr() { return MR; }
std::size_t gemm_nr() { return NR; }
std::size_t gemm_kc() { return KC; }
std::size_t gemm_mc() { return MC; }
std::size_t gemm_nc() { return NC; }


void gemm(Trans ta, Trans tb, std::size_t M, std::size_t N, std::size_t K, const float* A, std::size_t lda,
          const float* B, std::size_t ldb, float beta, float* C, std::size_t ldc, const Epilogue& ep) {
  // Threaded build: a large product is cut into kChunks panels of C (columns when C is wide
  // enough, else rows) that the caller and the helper thread claim one at a time (share_chunks: a
  // helper that starts late, its core busy with the page, leaves more to the caller instead of
  // holding it up). Each element is still computed by exactly one thread in the same order, so the
  // bits do not change. Each panel packs the operand it shares itself (op(A) for column panels):
  // K·M extra moves per panel against K·M·N/kChunks multiply-adds, cheaper than synchronising on
  // one shared packed block.
  const bool thin = K <= kSmallK || N < 4 * NR;  // split by rows only, from the lower threshold
  if (kernel_threads() > 1 && M * N * K >= (thin ? kParallelMacsThin : kParallelMacs)) {
    const bool by_columns = !thin;
    if (by_columns || M >= 4 * MR) {
      const std::size_t unit = by_columns ? NR : MR, extent = by_columns ? N : M;
      // Whole tiles per panel, the last one taking the rest: no panel is narrower than a tile,
      // which also keeps column panels off the dot-product path (N ≤ kSmallN) and its other bits.
      const std::size_t width = std::max(unit, extent / kChunks / unit * unit);
      const std::size_t panels = std::min(kChunks, extent / width);
      auto panel = [&](std::size_t c) {
        const std::size_t p0 = c * width, n = (c + 1 == panels ? extent : p0 + width) - p0;
        if (by_columns) {
          Epilogue ep1 = ep;  // this panel's columns start at p0
          if (ep.bias != nullptr) ep1.bias = ep.bias + p0;
          const float* B1 = tb == Trans::N ? B + p0 : B + p0 * ldb;
          gemm_st(ta, tb, M, n, K, A, lda, B1, ldb, beta, C + p0, ldc, ep1);
        } else {
          const float* A1 = ta == Trans::N ? A + p0 * lda : A + p0;
          gemm_st(ta, tb, n, N, K, A1, lda, B, ldb, beta, C + p0 * ldc, ldc, ep);
        }
      };
      return share_chunks(panels, panel);
    }
  }
  gemm_st(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc, ep);
}

}  // namespace genlab::kernels
