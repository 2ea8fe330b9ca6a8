#include "genlab/optim/sgd.hpp"

#include "genlab/kernels/vec.hpp"

namespace genlab::optim {

void Sgd::update(ParamStore& store) {
  ensure(v_, store.size());
  const kernels::SgdParams p{cfg_.lr, cfg_.momentum, cfg_.weight_decay, cfg_.nesterov};
  kernels::sgd_update(store.values().data(), store.grads().data(), v_.data(), store.size(), p);
}

}  // namespace genlab::optim
