#include "genlab/models/classifier.hpp"

#include "genlab/models/conv_nets.hpp"
#include "genlab/nn/losses.hpp"

namespace genlab::models {

nn::NetSpec classifier_mlp(std::size_t in, const std::vector<std::size_t>& hidden, std::size_t classes, nn::Act act) {
  nn::MlpSpec m;
  m.in = in;
  m.hidden = hidden;
  m.out = classes;
  m.act = act;
  return nn::mlp_spec("clf", m);
}

nn::NetSpec classifier_conv(std::size_t side, const std::vector<std::size_t>& channels, std::size_t classes,
                            nn::Act act) {
  ConvNetSpec c;
  c.side = side;
  c.channels = channels;
  c.flat = classes;
  c.act = act;
  return conv_down_spec("clf", c);
}

Classifier::Classifier(const nn::NetSpec& net, const optim::OptimConfig& opt, Rng& init_rng) : classes_(net.out()) {
  net_ = nn::build_net(net);
  net_.declare(store_, "clf.");
  store_.finalize();
  net_.bind(store_);
  net_.init(store_, init_rng);
  opt_ = optim::make_optimizer(opt);
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
