#include "genlab/models/posterior.hpp"

#include "genlab/kernels/vec.hpp"

namespace genlab::models {

void split_posterior(const Tensor2& h, std::size_t L, Tensor2& mu, Tensor2& logvar) {
  const std::size_t B = rows(h);
  ensure_shape(mu, B, L);
  ensure_shape(logvar, B, L);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t l = 0; l < L; ++l) {
      mu(r, l) = h(r, l);
      logvar(r, l) = h(r, L + l);
    }
}

void sample_posterior(const Tensor2& h, const Tensor2& eps, Tensor2& mu, Tensor2& logvar, Tensor2& sd, Tensor2& z) {
  const std::size_t B = rows(h), L = cols(eps);
  for (Tensor2* t : {&mu, &logvar, &sd, &z}) ensure_shape(*t, B, L);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t l = 0; l < L; ++l) {
      const float m = h(r, l), lv = h(r, L + l);
      const float s = kernels::exp1(0.5f * lv);
      mu(r, l) = m;
      logvar(r, l) = lv;
      sd(r, l) = s;
      z(r, l) = m + eps(r, l) * s;
    }
}

void posterior_backward(const Tensor2& dz, const Tensor2& eps, const Tensor2& sd, const Tensor2& dmu_kl,
                        const Tensor2& dlv_kl, float beta, Tensor2& dh) {
  // L from ε: a conditional decoder's dz also holds the one-hot columns after z's, which stop here.
  const std::size_t B = rows(dz), L = cols(eps);
  ensure_shape(dh, B, 2 * L);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t l = 0; l < L; ++l) {
      dh(r, l) = dz(r, l) + beta * dmu_kl(r, l);
      dh(r, L + l) = dz(r, l) * eps(r, l) * 0.5f * sd(r, l) + beta * dlv_kl(r, l);
    }
}

}  // namespace genlab::models
