#include "genlab/nn/dropout.hpp"

#include <algorithm>
#include <stdexcept>

namespace genlab::nn {

Dropout::Dropout(std::size_t dim, float rate) : dim_(dim), rate_(rate) {
  if (!(rate >= 0.0f && rate < 1.0f)) throw std::invalid_argument("Dropout: rate must be in [0, 1)");
}

// x (B, d) → y (B, d)
const Tensor2& Dropout::forward(const Tensor2& x) {
  if (cols(x) != dim_) throw std::invalid_argument("Dropout: input width mismatch");
  ensure_shape(y_, rows(x), dim_);
  masked_ = rng_ != nullptr && rate_ > 0.0f;
  if (!masked_) {
    std::copy(x.begin(), x.end(), y_.begin());
    return y_;
  }
  ensure_shape(mask_, rows(x), dim_);
  const float keep = 1.0f / (1.0f - rate_);
  float* m = mask_.data();
  float* y = y_.data();
  const float* xs = x.data();
  for (std::size_t i = 0; i < x.size(); ++i) {
    m[i] = rng_->uniform() < rate_ ? 0.0f : keep;
    y[i] = xs[i] * m[i];
  }
  return y_;
}

// dy (B, d) → dx (B, d): the same mask, so the gradient flows only through the kept units.
const Tensor2& Dropout::backward(const Tensor2& dy, bool /*need_dx*/) {
  if (dy.shape() != y_.shape()) throw std::logic_error("Dropout: backward without a matching forward");
  ensure_shape(dx_, rows(dy), dim_);
  if (!masked_) {
    std::copy(dy.begin(), dy.end(), dx_.begin());
    return dx_;
  }
  const float* m = mask_.data();
  const float* d = dy.data();
  float* out = dx_.data();
  for (std::size_t i = 0; i < dy.size(); ++i) out[i] = d[i] * m[i];
  return dx_;
}

}  // namespace genlab::nn
