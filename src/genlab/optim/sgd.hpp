// SGD with momentum (PyTorch semantics: v = μv + g, step lr·v), Nesterov, and L2 weight decay.
#pragma once

#include "genlab/optim/optimizer.hpp"

namespace genlab::optim {

class Sgd final : public Optimizer {
 public:
  using Optimizer::Optimizer;
  void reset() override { v_ = Tensor1(); t_ = 0; }
  std::vector<Tensor1*> state() override { return {&v_}; }

 private:
  void update(ParamStore& store) override;
  Tensor1 v_;
};

}  // namespace genlab::optim
