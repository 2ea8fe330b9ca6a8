// Sequential: layers run in order forward and in reverse backward, built from a NetSpec.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genlab/nn/activation.hpp"
#include "genlab/nn/dropout.hpp"
#include "genlab/nn/layer.hpp"
#include "genlab/nn/linear.hpp"
#include "genlab/nn/net_spec.hpp"

namespace genlab::nn {


class Sequential {
 public:
  Sequential() = default;
  Sequential(const Sequential&) = delete;
  Sequential& operator=(const Sequential&) = delete;
  Sequential(Sequential&&) = default;
  Sequential& operator=(Sequential&&) = default;

  void add(std::unique_ptr<Layer> layer);
  // Declares every layer's parameters under "<prefix><index>." in the store.
  void declare(ParamStore& store, const std::string& prefix);
  void bind(ParamStore& store);
  void init(ParamStore& store, Rng& rng);

  // x (B, in) → y (B, out)
  const Tensor2& forward(const Tensor2& x);
  // dy (B, out) → dx (B, in); parameter gradients accumulate into the store
  const Tensor2& backward(const Tensor2& dy, bool need_dx = true);
  // Layers [first, last) only: x is layer `first`'s input, dy the gradient at layer `last − 1`'s
  // output (a discriminator's hidden features and its head, run as two parts of one network).
  const Tensor2& forward(const Tensor2& x, std::size_t first, std::size_t last);
  const Tensor2& backward(const Tensor2& dy, std::size_t first, std::size_t last, bool need_dx);
  // Freezes (or thaws) every layer: backward then computes input gradients only.
  void set_frozen(bool frozen);
  // Hands every layer the RNG for training-time randomness (nullptr: evaluation).
  void set_rng(Rng* rng);

  std::size_t in_dim() const;
  std::size_t out_dim() const;
  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t i) { return *layers_.at(i); }

 private:
  std::vector<std::unique_ptr<Layer>> layers_;
};

// Training mode for one scope: the network's layers draw their training-time randomness (dropout
// masks) from `rng` and batch normalisation uses batch statistics; on leaving, evaluation again
// (every other use of a network — views, metrics, samples — sees all units and running statistics).
class TrainingScope {
 public:
  TrainingScope(Sequential& net, Rng& rng) : net_(net) { net_.set_rng(&rng); }
  ~TrainingScope() { net_.set_rng(nullptr); }
  TrainingScope(const TrainingScope&) = delete;
  TrainingScope& operator=(const TrainingScope&) = delete;

 private:
  Sequential& net_;
};

// Freezes a network for one scope (thawed again even when something throws): its backward passes
// compute input gradients only, as when one network's loss runs through another.
class FrozenScope {
 public:
  explicit FrozenScope(Sequential& net) : net_(net) { net_.set_frozen(true); }
  ~FrozenScope() { net_.set_frozen(false); }
  FrozenScope(const FrozenScope&) = delete;
  FrozenScope& operator=(const FrozenScope&) = delete;

 private:
  Sequential& net_;
};

// Builds the layers a NetSpec lists (declare/bind/init are still the caller's, so several networks
// can share one ParamStore). Throws std::invalid_argument on widths that do not chain.
Sequential build_net(const NetSpec& spec);
// build_net(mlp_spec(…)): the layers of an MLP.
Sequential build_mlp(const MlpSpec& spec);

}  // namespace genlab::nn
