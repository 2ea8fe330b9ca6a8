#include "genlab/optim/optimizer.hpp"

#include <stdexcept>

#include "genlab/kernels/vec.hpp"
#include "genlab/optim/adam.hpp"
#include "genlab/optim/rmsprop.hpp"
#include "genlab/optim/sgd.hpp"

namespace genlab::optim {

Kind parse_kind(const std::string& name) {
  if (name == "sgd") return Kind::SGD;
  if (name == "rmsprop") return Kind::RMSprop;
  if (name == "adam") return Kind::Adam;
  throw std::invalid_argument("unknown optimizer '" + name + "' (expected sgd, rmsprop or adam)");
}

std::string kind_name(Kind k) {
  switch (k) {
    case Kind::SGD: return "sgd";
    case Kind::RMSprop: return "rmsprop";
    case Kind::Adam: break;
  }
  return "adam";
}

float Optimizer::step(ParamStore& store) {
  if (!store.finalized()) throw std::logic_error("Optimizer: the ParamStore is not finalized");
  float norm = 0.0f;
  if (cfg_.clip_norm > 0.0f) norm = clip_grad_norm(store, cfg_.clip_norm);
  ++t_;
  update(store);
  return norm;
}

void Optimizer::ensure(Tensor1& buf, std::size_t n) {
  if (buf.size() != n) buf = xt::zeros<float>({n});
}

float clip_grad_norm(ParamStore& store, float max_norm) {
  const auto norm = static_cast<float>(store.grad_norm());
  if (norm > max_norm) kernels::scale(max_norm / (norm + 1e-6f), store.grads().data(), store.size());
  return norm;
}

std::unique_ptr<Optimizer> make_optimizer(const OptimConfig& cfg) {
  if (!(cfg.lr > 0.0f)) throw std::invalid_argument("optimizer: lr must be > 0");
  switch (cfg.kind) {
    case Kind::SGD: return std::make_unique<Sgd>(cfg);
    case Kind::RMSprop: return std::make_unique<Rmsprop>(cfg);
    case Kind::Adam: break;
  }
  return std::make_unique<Adam>(cfg);
}

}  // namespace genlab::optim
