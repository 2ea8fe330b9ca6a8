#include "genlab/optim/rmsprop.hpp"

#include "genlab/kernels/vec.hpp"

namespace genlab::optim {

void Rmsprop::update(ParamStore& store) {
  ensure(sq_, store.size());
  ensure(mom_, store.size());
  const float eps = cfg_.eps < 0.0f ? 1e-7f : cfg_.eps;
  const kernels::RmspropParams p{cfg_.lr, cfg_.rho, eps, cfg_.momentum, cfg_.weight_decay};
  kernels::rmsprop_update(store.values().data(), store.grads().data(), sq_.data(), mom_.data(), store.size(), p);
}

}  // namespace genlab::optim
