// Image classifier with softmax cross-entropy: GenLab trains one per image data set and uses it to
// judge generated images (class histogram, classifier score). Its network is a NetSpec: the
// metrics' judge is an MLP (classifier_mlp), the native benches' second judge a conv net
// (classifier_conv; only it references the conv builder, so the page's module leaves it out).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/nn/net_spec.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"

namespace genlab::models {

// in → hidden widths (act) → classes logits.
nn::NetSpec classifier_mlp(std::size_t in, const std::vector<std::size_t>& hidden, std::size_t classes,
                           nn::Act act = nn::Act::ReLU);
// side×side image → Conv c0 4/2/1 → act → Conv c1 4/2/1 → act → Linear classes (models/conv_nets).
// Throws std::invalid_argument when side is not divisible by 4 or channels are not two.
nn::NetSpec classifier_conv(std::size_t side, const std::vector<std::size_t>& channels, std::size_t classes,
                            nn::Act act = nn::Act::LeakyReLU);

class Classifier {
 public:
  Classifier(const nn::NetSpec& net, const optim::OptimConfig& opt, Rng& init_rng);
  // One optimizer step on x (B, in) with labels (B); returns the mean cross-entropy.
  float train_step(const Tensor2& x, const std::uint8_t* labels);
  // x (B, in) → class probabilities (B, classes)
  void predict_proba(const Tensor2& x, Tensor2& probs);
  std::size_t classes() const { return classes_; }
  ParamStore& params() { return store_; }

 private:
  nn::Sequential net_;
  std::size_t classes_ = 0;
  ParamStore store_;
  std::unique_ptr<optim::Optimizer> opt_;
  Tensor2 dlogits_;
};

}  // namespace genlab::models
