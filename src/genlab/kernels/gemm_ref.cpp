// The naive reference GEMM: a triple loop with a double accumulator. Kept forever; never optimised.
#include "genlab/kernels/gemm.hpp"

namespace genlab::kernels {

void gemm_ref(Trans ta, Trans tb, std::size_t M, std::size_t N, std::size_t K, const float* A,
              std::size_t lda, const float* B, std::size_t ldb, float beta, float* C, std::size_t ldc,
              const Epilogue& ep) {
  for (std::size_t i = 0; i < M; ++i) {
    for (std::size_t j = 0; j < N; ++j) {
      double s = 0.0;
      for (std::size_t k = 0; k < K; ++k) {
        const float a = ta == Trans::N ? A[i * lda + k] : A[k * lda + i];
        const float b = tb == Trans::N ? B[k * ldb + j] : B[j * ldb + k];
        s += static_cast<double>(a) * b;
      }
      float& c = C[i * ldc + j];
      c = beta == 0.0f ? static_cast<float>(s) : static_cast<float>(beta * c + s);
      if (ep.bias != nullptr) c += ep.bias[j];
      if (ep.rectify && !(c > 0.0f)) c = ep.slope == 0.0f ? 0.0f : ep.slope * c;
    }
  }
}

}  // namespace genlab::kernels
