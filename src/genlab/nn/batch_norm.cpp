#include "genlab/nn/batch_norm.hpp"

#include <cmath>
#include <stdexcept>

namespace genlab::nn {

BatchNorm::BatchNorm(std::size_t C, std::size_t P, float eps, float momentum)
    : C_(C), P_(P), eps_(eps), momentum_(momentum), inv_std_(std::array<std::size_t, 1>{C}) {
  if (C == 0 || P == 0) throw std::invalid_argument("BatchNorm: channels and values per channel must be ≥ 1");
  if (!(eps > 0.0f)) throw std::invalid_argument("BatchNorm: ε must be > 0");
  if (!(momentum > 0.0f && momentum <= 1.0f)) throw std::invalid_argument("BatchNorm: momentum must be in (0, 1]");
}

void BatchNorm::declare(ParamStore& store, const std::string& prefix) {
  g_id_ = store.declare(prefix + "W", {C_});
  b_id_ = store.declare(prefix + "b", {C_});
  mean_id_ = store.declare_buffer(prefix + "mean", {C_});
  var_id_ = store.declare_buffer(prefix + "var", {C_});
}

void BatchNorm::bind(ParamStore& store) {
  g_ = store.value(g_id_);
  b_ = store.value(b_id_);
  dg_ = store.grad(g_id_);
  db_ = store.grad(b_id_);
  mean_ = store.value(mean_id_);
  var_ = store.value(var_id_);
}

void BatchNorm::init(ParamStore& store, Rng& /*rng*/) {
  for (std::size_t c = 0; c < C_; ++c) {
    store.value(g_id_)[c] = 1.0f;
    store.value(b_id_)[c] = 0.0f;
    store.value(mean_id_)[c] = 0.0f;
    store.value(var_id_)[c] = 1.0f;
  }
}

// x (B, C·P) → y (B, C·P) = γ·x̂ + β, x̂ = (x − μ)/√(σ² + ε) per channel
const Tensor2& BatchNorm::forward(const Tensor2& x) {
  if (cols(x) != in_dim())
    throw std::invalid_argument("BatchNorm: input has " + std::to_string(cols(x)) + " values per example, expected " +
                                std::to_string(in_dim()));
  const std::size_t B = rows(x), N = B * P_;
  if (training_ && N < 2) throw std::invalid_argument("BatchNorm: training needs at least 2 values per channel");
  ensure_shape(xhat_, B, in_dim());
  ensure_shape(y_, B, in_dim());
  for (std::size_t c = 0; c < C_; ++c) {
    float mu = mean_[c], inv = 1.0f / std::sqrt(var_[c] + eps_);
    if (training_) {
      // Two passes in double: the variance of a channel with a large mean stays exact enough.
      double s = 0.0;
      for (std::size_t n = 0; n < B; ++n) {
        const float* row = x.data() + n * in_dim() + c * P_;
        for (std::size_t i = 0; i < P_; ++i) s += row[i];
      }
      const double m = s / static_cast<double>(N);
      double ss = 0.0;
      for (std::size_t n = 0; n < B; ++n) {
        const float* row = x.data() + n * in_dim() + c * P_;
        for (std::size_t i = 0; i < P_; ++i) ss += (row[i] - m) * (row[i] - m);
      }
      const double v = ss / static_cast<double>(N);
      mu = static_cast<float>(m);
      inv = static_cast<float>(1.0 / std::sqrt(v + eps_));
      const float k = momentum_;
      mean_[c] = (1.0f - k) * mean_[c] + k * mu;
      var_[c] = (1.0f - k) * var_[c] + k * static_cast<float>(v * static_cast<double>(N) / static_cast<double>(N - 1));
    }
    inv_std_[c] = inv;
    for (std::size_t n = 0; n < B; ++n) {
      const float* row = x.data() + n * in_dim() + c * P_;
      float* xh = xhat_.data() + n * in_dim() + c * P_;
      float* y = y_.data() + n * in_dim() + c * P_;
      for (std::size_t i = 0; i < P_; ++i) {
        xh[i] = (row[i] - mu) * inv;
        y[i] = g_[c] * xh[i] + b_[c];
      }
    }
  }
  forward_trained_ = training_;
  B_ = B;
  return y_;
}

// dy (B, C·P) → dx (B, C·P). With batch statistics μ and σ² depend on x:
// dx = γ·inv/N · (N·dy − Σdy − x̂·Σ(dy·x̂)); with running statistics dx = γ·inv·dy.
// dγ += Σ dy·x̂;  dβ += Σ dy  (unless frozen)
const Tensor2& BatchNorm::backward(const Tensor2& dy, bool need_dx) {
  const std::size_t B = rows(dy), N = B * P_;
  if (B_ == 0 || B != B_ || cols(dy) != out_dim()) throw std::logic_error("BatchNorm: backward without a matching forward");
  if (need_dx) ensure_shape(dx_, B, in_dim());
  for (std::size_t c = 0; c < C_; ++c) {
    double sdy = 0.0, sdyx = 0.0;
    for (std::size_t n = 0; n < B; ++n) {
      const float* d = dy.data() + n * in_dim() + c * P_;
      const float* xh = xhat_.data() + n * in_dim() + c * P_;
      for (std::size_t i = 0; i < P_; ++i) {
        sdy += d[i];
        sdyx += static_cast<double>(d[i]) * xh[i];
      }
    }
    if (!frozen_) {
      dg_[c] += static_cast<float>(sdyx);
      db_[c] += static_cast<float>(sdy);
    }
    if (!need_dx) continue;
    const float scale = g_[c] * inv_std_[c];
    const float mean_dy = forward_trained_ ? static_cast<float>(sdy / static_cast<double>(N)) : 0.0f;
    const float mean_dyx = forward_trained_ ? static_cast<float>(sdyx / static_cast<double>(N)) : 0.0f;
    for (std::size_t n = 0; n < B; ++n) {
      const float* d = dy.data() + n * in_dim() + c * P_;
      const float* xh = xhat_.data() + n * in_dim() + c * P_;
      float* dx = dx_.data() + n * in_dim() + c * P_;
      for (std::size_t i = 0; i < P_; ++i) dx[i] = scale * (d[i] - mean_dy - xh[i] * mean_dyx);
    }
  }
  return dx_;
}

}  // namespace genlab::nn
