#include "genlab/models/classifier.hpp"

#include <stdexcept>

#include "genlab/models/conv_nets.hpp"
#include "genlab/nn/losses.hpp"

namespace genlab::models {

Classifier::Classifier(const ClassifierSpec& spec, Rng& init_rng) : spec_(spec) {
  if (spec.conv_channels.empty()) {
    nn::MlpSpec m;
    m.in = spec.in;
    m.hidden = spec.hidden;
    m.out = spec.classes;
    m.act = spec.act;
    net_ = nn::build_mlp(m);
  } else {
    if (spec.side * spec.side != spec.in)
      throw std::invalid_argument("classifier: a conv classifier needs side² = in (" + std::to_string(spec.side) +
                                  "² ≠ " + std::to_string(spec.in) + ")");
    ConvNetSpec c;
    c.side = spec.side;
    c.channels = spec.conv_channels;
    c.flat = spec.classes;
    c.act = spec.act;
    net_ = nn::build_net(conv_down_spec("clf", c));
  }
  net_.declare(store_, "clf.");
  store_.finalize();
  net_.bind(store_);
  net_.init(store_, init_rng);
  opt_ = optim::make_optimizer(spec.opt);
}

float Classifier::train_step(const Tensor2& x, const std::uint8_t* labels) {
  store_.zero_grad();
  const Tensor2& logits = net_.forward(x);
  const float loss = nn::softmax_cross_entropy(logits, labels, dlogits_, 1.0f / static_cast<float>(rows(x)));
  net_.backward(dlogits_, false);
  opt_->step(store_);
  return loss;
}

void Classifier::predict_proba(const Tensor2& x, Tensor2& probs) { nn::softmax(net_.forward(x), probs); }

}  // namespace genlab::models
