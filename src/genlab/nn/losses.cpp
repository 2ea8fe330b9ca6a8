#include "genlab/nn/losses.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "genlab/core/rng.hpp"
#include "genlab/kernels/vec.hpp"

namespace genlab::nn {
namespace {

void check_same(const Tensor2& a, const Tensor2& b, const char* what) {
  if (a.shape() != b.shape()) throw std::invalid_argument(std::string(what) + ": shape mismatch");
}

constexpr double kLog2Pi = 1.83787706640934548356;

}  // namespace

float bce_with_logits(const Tensor2& z, const Tensor2& t, Tensor2& dz, float scale) {
  check_same(z, t, "bce_with_logits");
  ensure_shape(dz, rows(z), cols(z));
  // The stable form lives in kernels::bce_logits: log(σ(z)) would underflow to −inf for z ≪ 0.
  const double s = kernels::bce_logits(z.data(), t.data(), dz.data(), z.size(), scale);
  return static_cast<float>(s * scale);
}

float mse(const Tensor2& y, const Tensor2& t, Tensor2& dy, float scale) {
  check_same(y, t, "mse");
  ensure_shape(dy, rows(y), cols(y));
  double s = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const float d = y.data()[i] - t.data()[i];
    s += static_cast<double>(d) * d;
    dy.data()[i] = scale * 2.0f * d;
  }
  return static_cast<float>(s * scale);
}

float gaussian_kl(const Tensor2& mu, const Tensor2& logvar, Tensor2& dmu, Tensor2& dlogvar, float scale) {
  check_same(mu, logvar, "gaussian_kl");
  ensure_shape(dmu, rows(mu), cols(mu));
  ensure_shape(dlogvar, rows(mu), cols(mu));
  double s = 0.0;
  for (std::size_t i = 0; i < mu.size(); ++i) {
    const float m = mu.data()[i], lv = logvar.data()[i];
    const float v = kernels::exp1(lv);
    s += -0.5 * (1.0 + static_cast<double>(lv) - static_cast<double>(m) * m - v);
    dmu.data()[i] = scale * m;
    dlogvar.data()[i] = scale * 0.5f * (v - 1.0f);
  }
  return static_cast<float>(s * scale);
}

float gaussian_nll(const Tensor2& y, const Tensor2& logvar, const Tensor2& t, Tensor2& dy, Tensor2& dlogvar,
                   float scale) {
  check_same(y, t, "gaussian_nll");
  check_same(y, logvar, "gaussian_nll");
  ensure_shape(dy, rows(y), cols(y));
  ensure_shape(dlogvar, rows(y), cols(y));
  double s = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const float lv = logvar.data()[i];
    const float d = y.data()[i] - t.data()[i];
    const float inv_var = kernels::exp1(-lv);
    const float r = d * d * inv_var;
    s += 0.5 * (kLog2Pi + static_cast<double>(lv) + static_cast<double>(r));
    dy.data()[i] = scale * d * inv_var;
    dlogvar.data()[i] = scale * 0.5f * (1.0f - r);
  }
  return static_cast<float>(s * scale);
}

void softmax(const Tensor2& z, Tensor2& p) {
  ensure_shape(p, rows(z), cols(z));
  const std::size_t K = cols(z);
  for (std::size_t r = 0; r < rows(z); ++r) {
    const float* zr = z.data() + r * K;
    float* pr = p.data() + r * K;
    // Subtract the row max so exp never overflows; the ratio is unchanged.
    float m = zr[0];
    for (std::size_t k = 1; k < K; ++k) m = std::fmax(m, zr[k]);
    double s = 0.0;
    for (std::size_t k = 0; k < K; ++k) s += pr[k] = kernels::exp1(zr[k] - m);
    const auto inv = static_cast<float>(1.0 / s);
    for (std::size_t k = 0; k < K; ++k) pr[k] *= inv;
  }
}

float softmax_cross_entropy(const Tensor2& z, const std::uint8_t* labels, Tensor2& dz, float scale) {
  const std::size_t K = cols(z);
  ensure_shape(dz, rows(z), K);
  double s = 0.0;
  for (std::size_t r = 0; r < rows(z); ++r) {
    const std::size_t y = labels[r];
    if (y >= K)
      throw std::invalid_argument("softmax_cross_entropy: label " + std::to_string(y) + " is not below the " +
                                  std::to_string(K) + " classes");
    const float* zr = z.data() + r * K;
    float* dr = dz.data() + r * K;
    float m = zr[0];
    for (std::size_t k = 1; k < K; ++k) m = std::fmax(m, zr[k]);
    double sum = 0.0;
    for (std::size_t k = 0; k < K; ++k) sum += dr[k] = kernels::exp1(zr[k] - m);
    // ℓ = log Σ e^{z−m} − (z_y − m): exact even when p_y underflows to 0 in float.
    s += detail::portable_log(sum) - static_cast<double>(zr[y] - m);
    const auto inv = static_cast<float>(1.0 / sum);
    for (std::size_t k = 0; k < K; ++k) dr[k] = scale * (dr[k] * inv - (k == y ? 1.0f : 0.0f));
  }
  return static_cast<float>(s * scale);
}

}  // namespace genlab::nn
