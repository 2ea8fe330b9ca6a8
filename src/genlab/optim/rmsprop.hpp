// RMSprop with Keras semantics (the article GenLab started from trains with Keras' RMSprop):
// s = ρs + (1−ρ)g²;  inc = lr·g/√(s + ε);  with momentum m = μm + inc, w −= m, else w −= inc.
// Defaults ρ = 0.9, ε = 1e-7 as in Keras.
#pragma once

#include "genlab/optim/optimizer.hpp"

namespace genlab::optim {

class Rmsprop final : public Optimizer {
 public:
  using Optimizer::Optimizer;
  void reset() override { sq_ = Tensor1(); mom_ = Tensor1(); t_ = 0; }
  std::vector<Tensor1*> state() override { return {&sq_, &mom_}; }

 private:
  void update(ParamStore& store) override;
  Tensor1 sq_, mom_;
};

}  // namespace genlab::optim
