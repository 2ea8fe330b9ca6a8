#include "genlab/optim/adam.hpp"

#include "genlab/kernels/vec.hpp"

namespace genlab::optim {
namespace {

// bᵗ by repeated squaring: multiplications only, so the same bits natively and in wasm (libm's pow
// may differ in the last bit between glibc and musl); at most 2·log₂ t roundings.
double pow_int(double b, long long t) {
  double r = 1.0;
  while (t > 0) {
    if (t & 1) r *= b;
    b *= b;
    t >>= 1;
  }
  return r;
}

}  // namespace

void Adam::update(ParamStore& store) {
  ensure(m_, store.size());
  ensure(v_, store.size());
  kernels::AdamParams p{};
  p.lr = cfg_.lr;
  p.beta1 = cfg_.beta1;
  p.beta2 = cfg_.beta2;
  p.eps = cfg_.eps < 0.0f ? 1e-8f : cfg_.eps;
  // Bias corrections in double: 1 − β₂ᵗ loses most of its digits in float for small t.
  p.bc1 = static_cast<float>(1.0 - pow_int(static_cast<double>(cfg_.beta1), t_));
  p.bc2 = static_cast<float>(1.0 - pow_int(static_cast<double>(cfg_.beta2), t_));
  p.weight_decay = cfg_.weight_decay;
  p.decoupled = cfg_.decoupled;
  float *w = store.values().data(), *m = m_.data(), *v = v_.data();
  const float* g = store.grads().data();
  auto part = [&](std::size_t i, std::size_t j) { kernels::adam_update(w + i, g + i, m + i, v + i, j - i, p); };
  kernels::split_range(store.size(), kSplitUpdate, kSplitAlign, part);
}

}  // namespace genlab::optim
