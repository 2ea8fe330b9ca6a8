#include "genlab/optim/rmsprop.hpp"

#include "genlab/kernels/vec.hpp"

namespace genlab::optim {

void Rmsprop::update(ParamStore& store) {
  ensure(sq_, store.size());
  ensure(mom_, store.size());
  const float eps = cfg_.eps < 0.0f ? 1e-7f : cfg_.eps;
  const kernels::RmspropParams p{cfg_.lr, cfg_.rho, eps, cfg_.momentum, cfg_.weight_decay};
  float *w = store.values().data(), *sq = sq_.data(), *mom = mom_.data();
  const float* g = store.grads().data();
  auto part = [&](std::size_t i, std::size_t j) {
    kernels::rmsprop_update(w + i, g + i, sq + i, mom + i, j - i, p);
  };
  kernels::split_range(store.size(), kSplitUpdate, kSplitAlign, part);
}

}  // namespace genlab::optim
