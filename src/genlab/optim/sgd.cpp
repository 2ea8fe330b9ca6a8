#include "genlab/optim/sgd.hpp"

#include "genlab/kernels/vec.hpp"

namespace genlab::optim {

void Sgd::update(ParamStore& store) {
  ensure(v_, store.size());
  const kernels::SgdParams p{cfg_.lr, cfg_.momentum, cfg_.weight_decay, cfg_.nesterov};
  float *w = store.values().data(), *v = v_.data();
  const float* g = store.grads().data();
  auto part = [&](std::size_t i, std::size_t j) { kernels::sgd_update(w + i, g + i, v + i, j - i, p); };
  kernels::split_range(store.size(), kSplitUpdate, kSplitAlign, part);
}

}  // namespace genlab::optim
