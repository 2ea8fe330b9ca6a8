// Sequential: layers run in order forward and in reverse backward. An MLP is built from a spec.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genlab/nn/activation.hpp"
#include "genlab/nn/dropout.hpp"
#include "genlab/nn/layer.hpp"
#include "genlab/nn/linear.hpp"

namespace genlab::nn {

struct MlpSpec {
  std::size_t in = 0;
  std::vector<std::size_t> hidden;  // widths of the hidden layers (may be empty)
  std::size_t out = 0;
  Act act = Act::ReLU;              // after every hidden Linear
  Act out_act = Act::None;          // after the last Linear
  float alpha = 0.2f;               // LeakyReLU slope (ELU always uses α = 1)
  Init init = Init::He;             // hidden layers; the output layer uses Xavier unless TorchDefault
  float dropout = 0.0f;             // > 0: a Dropout layer after every hidden activation (off until
                                    // its owner hands it an RNG)
};

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

// Builds the layers of an MLP (declare/bind/init are still the caller's, so several networks can
// share one ParamStore). Throws std::invalid_argument on zero widths.
Sequential build_mlp(const MlpSpec& spec);

}  // namespace genlab::nn
