#include "genlab/optim/adam.hpp"

#include <cmath>

#include "genlab/kernels/vec.hpp"

namespace genlab::optim {

void Adam::update(ParamStore& store) {
  ensure(m_, store.size());
  ensure(v_, store.size());
  const auto t = static_cast<double>(t_);
  kernels::AdamParams p{};
  p.lr = cfg_.lr;
  p.beta1 = cfg_.beta1;
  p.beta2 = cfg_.beta2;
  p.eps = cfg_.eps < 0.0f ? 1e-8f : cfg_.eps;
  // Bias corrections in double: 1 − β₂ᵗ loses most of its digits in float for small t.
  p.bc1 = static_cast<float>(1.0 - std::pow(static_cast<double>(cfg_.beta1), t));
  p.bc2 = static_cast<float>(1.0 - std::pow(static_cast<double>(cfg_.beta2), t));
  p.weight_decay = cfg_.weight_decay;
  p.decoupled = cfg_.decoupled;
  kernels::adam_update(store.values().data(), store.grads().data(), m_.data(), v_.data(), store.size(), p);
}

}  // namespace genlab::optim
