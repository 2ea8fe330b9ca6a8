// Row primitives: every layer, loss and optimizer in GenLab is built from these and gemm.
// Each is written once over xsimd batches with a scalar tail (vec.cpp); its scalar twin in
// namespace ref (vec_ref.cpp) is the naive reference the tests compare against, kept forever.
// Pointers need no alignment. In-place use (x == y) is allowed wherever both appear.
#pragma once

#include <cstddef>
#include <cstdint>

namespace genlab::kernels {

struct AdamParams {
  float lr, beta1, beta2, eps;
  float bc1, bc2;       // bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ
  float weight_decay;   // L2 folded into the gradient, or AdamW decay when decoupled
  bool decoupled;
};
struct RmspropParams {
  float lr, rho, eps, momentum, weight_decay;
};
struct SgdParams {
  float lr, momentum, weight_decay;
  bool nesterov;
};

#define GENLAB_VEC_API                                                                           \
  void fill(float* x, std::size_t n, float v);                                                   \
  float dot(const float* a, const float* b, std::size_t n);                                      \
  float sum(const float* x, std::size_t n);                                                      \
  float sum_sq(const float* x, std::size_t n);                                                   \
  /* y += a·x */                                                                                 \
  void axpy(float a, const float* x, float* y, std::size_t n);                                   \
  /* x *= a */                                                                                   \
  void scale(float a, float* x, std::size_t n);                                                  \
  /* y (rows, cols) += b (cols) on every row */                                                  \
  void add_bias_rows(float* y, const float* b, std::size_t rows, std::size_t cols);              \
  /* db (cols) += Σ_rows dy (rows, cols) */                                                      \
  void col_sum_acc(const float* dy, std::size_t rows, std::size_t cols, float* db);              \
  void relu(const float* x, float* y, std::size_t n);                                            \
  void relu_backward(const float* x, const float* dy, float* dx, std::size_t n);                 \
  void leaky_relu(const float* x, float* y, std::size_t n, float alpha);                         \
  void leaky_relu_backward(const float* x, const float* dy, float* dx, std::size_t n, float alpha); \
  void tanh_fwd(const float* x, float* y, std::size_t n);                                        \
  /* dx = dy·(1 − y²), from the cached output y */                                               \
  void tanh_backward(const float* y, const float* dy, float* dx, std::size_t n);                 \
  void sigmoid(const float* x, float* y, std::size_t n);                                         \
  /* dx = dy·y·(1 − y), from the cached output y */                                              \
  void sigmoid_backward(const float* y, const float* dy, float* dx, std::size_t n);              \
  void elu(const float* x, float* y, std::size_t n, float alpha);                                \
  /* dx = dy for x > 0, dy·(y + α) otherwise */                                                  \
  void elu_backward(const float* x, const float* y, const float* dy, float* dx, std::size_t n,   \
                    float alpha);                                                                \
  void sgd_update(float* w, const float* g, float* v, std::size_t n, const SgdParams& p);        \
  void rmsprop_update(float* w, const float* g, float* sq, float* mom, std::size_t n,            \
                      const RmspropParams& p);                                                   \
  void adam_update(float* w, const float* g, float* m, float* v, std::size_t n, const AdamParams& p); \
  /* Σ BCE(σ(z), t) from logits; writes dz = scale·(σ(z) − t); returns the unscaled sum */           \
  double bce_logits(const float* z, const float* t, float* dz, std::size_t n, float scale);      \
  /* y = v / 255 for 8-bit intensities v, correctly rounded (the batcher's pixels) */             \
  void bytes_to_unit(const std::uint8_t* v, float* y, std::size_t n);

GENLAB_VEC_API

// e^x for one float from +, −, ×, ÷ and bit operations only, so it gives the same bits natively and
// in WebAssembly (libm's expf differs between glibc and Emscripten's musl): the Taylor construction
// of the BCE and sigmoid kernels, e^x = 1/e^−x for x > 0. Relative error ≤ 3e-7; 0 below −87,
// +inf above 87, NaN stays NaN. Training code calls this, never std::exp.
float exp1(float x);
// log(1 + e^−a) for a ≥ 0 (the softplus tail of BCE), built the same way.
float log1p_exp_neg(float a);

namespace ref {
GENLAB_VEC_API
}  // namespace ref

#undef GENLAB_VEC_API

}  // namespace genlab::kernels
