// Image classifier with softmax cross-entropy: GenLab trains one per image data set and uses it to
// judge generated images (class histogram, classifier score). An MLP by default; with two
// conv_channels, the convolutional down-network of conv_nets (Conv 4/2/1 → Conv 4/2/1 → Linear),
// the second, differently built judge of the native benches.
#pragma once

#include <cstdint>
#include <memory>

#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"

namespace genlab::models {

struct ClassifierSpec {
  std::size_t in = 0, classes = 10;
  std::vector<std::size_t> hidden = {128};
  std::vector<std::size_t> conv_channels;  // empty: MLP; two: a conv net on side×side images
  std::size_t side = 0;
  nn::Act act = nn::Act::ReLU;
  optim::OptimConfig opt;
};

class Classifier {
 public:
  Classifier(const ClassifierSpec& spec, Rng& init_rng);
  // One optimizer step on x (B, in) with labels (B); returns the mean cross-entropy.
  float train_step(const Tensor2& x, const std::uint8_t* labels);
  // x (B, in) → class probabilities (B, classes)
  void predict_proba(const Tensor2& x, Tensor2& probs);
  const ClassifierSpec& spec() const { return spec_; }
  ParamStore& params() { return store_; }

 private:
  ClassifierSpec spec_;
  nn::Sequential net_;
  ParamStore store_;
  std::unique_ptr<optim::Optimizer> opt_;
  Tensor2 dlogits_;
};

}  // namespace genlab::models
