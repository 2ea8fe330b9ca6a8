// Naive scalar twins of the row primitives: the reference the kernel tests compare against.
// Plain loops, double accumulators, textbook formulas. Kept forever; never optimised.
#include <algorithm>
#include <cmath>

#include "genlab/kernels/vec.hpp"

namespace genlab::kernels::ref {

void fill(float* x, std::size_t n, float v) {
  for (std::size_t i = 0; i < n; ++i) x[i] = v;
}

float dot(const float* a, const float* b, std::size_t n) {
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
  return static_cast<float>(s);
}

float sum(const float* x, std::size_t n) {
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += x[i];
  return static_cast<float>(s);
}

float sum_sq(const float* x, std::size_t n) { return dot(x, x, n); }

void axpy(float a, const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += a * x[i];
}

void scale(float a, float* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) x[i] *= a;
}

void add_bias_rows(float* y, const float* b, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) y[r * cols + c] += b[c];
}

void col_sum_acc(const float* dy, std::size_t rows, std::size_t cols, float* db) {
  for (std::size_t c = 0; c < cols; ++c) {
    double s = 0.0;
    for (std::size_t r = 0; r < rows; ++r) s += dy[r * cols + c];
    db[c] += static_cast<float>(s);
  }
}

void relu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void relu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

void leaky_relu(const float* x, float* y, std::size_t n, float alpha) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
}

void leaky_relu_backward(const float* x, const float* dy, float* dx, std::size_t n, float alpha) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : alpha * dy[i];
}

void tanh_fwd(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(std::tanh(static_cast<double>(x[i])));
}

void tanh_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

void sigmoid(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(x[i]))));
}

void sigmoid_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

void elu(const float* x, float* y, std::size_t n, float alpha) {
  for (std::size_t i = 0; i < n; ++i)
    y[i] = x[i] > 0.0f ? x[i] : static_cast<float>(alpha * std::expm1(static_cast<double>(x[i])));
}

void elu_backward(const float* x, const float* y, const float* dy, float* dx, std::size_t n, float alpha) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : dy[i] * (y[i] + alpha);
}

void sgd_update(float* w, const float* g, float* v, std::size_t n, const SgdParams& p) {
  for (std::size_t i = 0; i < n; ++i) {
    const float gg = g[i] + p.weight_decay * w[i];
    float d = gg;
    if (p.momentum != 0.0f) {
      v[i] = p.momentum * v[i] + gg;
      d = p.nesterov ? gg + p.momentum * v[i] : v[i];
    }
    w[i] -= p.lr * d;
  }
}

void rmsprop_update(float* w, const float* g, float* sq, float* mom, std::size_t n, const RmspropParams& p) {
  for (std::size_t i = 0; i < n; ++i) {
    const float gg = g[i] + p.weight_decay * w[i];
    sq[i] = p.rho * sq[i] + (1.0f - p.rho) * gg * gg;
    const float inc = p.lr * gg / std::sqrt(sq[i] + p.eps);
    if (p.momentum != 0.0f) {
      mom[i] = p.momentum * mom[i] + inc;
      w[i] -= mom[i];
    } else {
      w[i] -= inc;
    }
  }
}

void adam_update(float* w, const float* g, float* m, float* v, std::size_t n, const AdamParams& p) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p.decoupled) w[i] -= p.lr * p.weight_decay * w[i];
    const float gg = p.decoupled ? g[i] : g[i] + p.weight_decay * w[i];
    m[i] = p.beta1 * m[i] + (1.0f - p.beta1) * gg;
    v[i] = p.beta2 * v[i] + (1.0f - p.beta2) * gg * gg;
    const float m_hat = m[i] / p.bc1;
    const float v_hat = v[i] / p.bc2;
    w[i] -= p.lr * m_hat / (std::sqrt(v_hat) + p.eps);
  }
}

void bytes_to_unit(const std::uint8_t* v, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(v[i]) / 255.0f;
}

double bce_logits(const float* z, const float* t, float* dz, std::size_t n, float scale) {
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double zi = z[i];
    const double p = 1.0 / (1.0 + std::exp(-zi));
    s += std::max(zi, 0.0) - zi * t[i] + std::log1p(std::exp(-std::fabs(zi)));
    dz[i] = static_cast<float>(scale * (p - t[i]));
  }
  return s;
}

}  // namespace genlab::kernels::ref
