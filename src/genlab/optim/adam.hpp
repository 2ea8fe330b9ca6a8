// Adam (Kingma & Ba 2015) with bias correction; L2 weight decay, or decoupled decay (AdamW,
// Loshchilov & Hutter 2019) when config().decoupled. Default ε = 1e-8.
#pragma once

#include "genlab/optim/optimizer.hpp"

namespace genlab::optim {

class Adam final : public Optimizer {
 public:
  using Optimizer::Optimizer;
  void reset() override { m_ = Tensor1(); v_ = Tensor1(); t_ = 0; }
  std::vector<Tensor1*> state() override { return {&m_, &v_}; }

 private:
  void update(ParamStore& store) override;
  Tensor1 m_, v_;
};

}  // namespace genlab::optim
