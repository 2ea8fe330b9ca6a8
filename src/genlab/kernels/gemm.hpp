// Single-precision GEMM: C = β·C + op(A)·op(B), all matrices row-major with leading dimensions.
// op(A) is M×K, op(B) is K×N. Transposes are absorbed by the packing routines, never materialised.
// gemm() is packing + a register-blocked micro-kernel (gemm.cpp); gemm_ref() is the naive triple
// loop kept beside it forever as the reference the tests compare against.
#pragma once

#include <cstddef>

namespace genlab::kernels {

enum class Trans { N, T };

// What gemm applies to each element of C once its sum is final:
// C = act(β·C + op(A)·op(B) + 1·biasᵀ), act(v) = v > 0 ? v : slope·v when `rectify` (ReLU for
// slope 0, LeakyReLU otherwise). A layer's bias and activation then cost one pass over blocks of C
// still in cache instead of two passes over all of it; the bits are those of the separate passes
// (add_bias_rows, relu / leaky_relu) after the product.
struct Epilogue {
  const float* bias = nullptr;  // N values, one per column of C; nullptr: none
  bool rectify = false;
  float slope = 0.0f;
};

void gemm(Trans ta, Trans tb, std::size_t M, std::size_t N, std::size_t K, const float* A,
          std::size_t lda, const float* B, std::size_t ldb, float beta, float* C, std::size_t ldc,
          const Epilogue& ep = {});

void gemm_ref(Trans ta, Trans tb, std::size_t M, std::size_t N, std::size_t K, const float* A,
              std::size_t lda, const float* B, std::size_t ldb, float beta, float* C, std::size_t ldc,
              const Epilogue& ep = {});

// The three products backprop needs, named after the math (row-major, dense):
// y (B, out) = x (B, in) · Wᵀ, W (out, in) — then + b and the activation when `ep` says so
inline void matmul_xWt(const float* x, const float* W, float* y, std::size_t B, std::size_t in, std::size_t out,
                       const Epilogue& ep = {}) {
  gemm(Trans::N, Trans::T, B, out, in, x, in, W, in, 0.0f, y, out, ep);
}
// dx (B, in) = dy (B, out) · W (out, in)
inline void matmul_dyW(const float* dy, const float* W, float* dx, std::size_t B, std::size_t in, std::size_t out) {
  gemm(Trans::N, Trans::N, B, in, out, dy, out, W, in, 0.0f, dx, in);
}
// dW (out, in) += dyᵀ · x, dy (B, out), x (B, in)
inline void matmul_dytx_acc(const float* dy, const float* x, float* dW, std::size_t B, std::size_t in, std::size_t out) {
  gemm(Trans::T, Trans::N, out, in, B, dy, out, x, in, 1.0f, dW, in);
}

// Tile of the micro-kernel (rows × columns of C it keeps in registers) and depth of a block, for
// tests and benches.
std::size_t gemm_mr();
std::size_t gemm_nr();
std::size_t gemm_kc();
std::size_t gemm_mc();  // rows of op(A) packed per block (depends on MR: differs per build)
std::size_t gemm_nc();  // columns of op(B) packed per block

}  // namespace genlab::kernels
