#include "genlab/nn/sequential.hpp"

#include <stdexcept>

namespace genlab::nn {

void Sequential::add(std::unique_ptr<Layer> layer) {
  if (!layers_.empty() && layers_.back()->out_dim() != layer->in_dim())
    throw std::invalid_argument("Sequential: layer " + std::to_string(layers_.size()) + " expects width " +
                                std::to_string(layer->in_dim()) + " but receives " +
                                std::to_string(layers_.back()->out_dim()));
  // A ReLU / LeakyReLU right after a Linear runs inside that Linear's product (kernels::Epilogue):
  // one pass over y fewer forward, same bits.
  auto* act = dynamic_cast<Activation*>(layer.get());
  auto* lin = layers_.empty() ? nullptr : dynamic_cast<Linear*>(layers_.back().get());
  if (act != nullptr && lin != nullptr && act->rectifier()) {
    lin->fuse_rectifier(act->slope());
    act->set_input_rectified();
  }
  layers_.push_back(std::move(layer));
}

void Sequential::declare(ParamStore& store, const std::string& prefix) {
  for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->declare(store, prefix + std::to_string(i) + ".");
}

void Sequential::bind(ParamStore& store) {
  for (auto& l : layers_) l->bind(store);
}

void Sequential::init(ParamStore& store, Rng& rng) {
  for (auto& l : layers_) l->init(store, rng);
}

const Tensor2& Sequential::forward(const Tensor2& x) {
  const Tensor2* h = &x;
  for (auto& l : layers_) h = &l->forward(*h);
  return *h;
}

const Tensor2& Sequential::backward(const Tensor2& dy, bool need_dx) {
  const Tensor2* d = &dy;
  for (std::size_t i = layers_.size(); i-- > 0;) d = &layers_[i]->backward(*d, need_dx || i > 0);
  return *d;
}

void Sequential::set_frozen(bool frozen) {
  for (auto& l : layers_) l->set_frozen(frozen);
}

void Sequential::set_rng(Rng* rng) {
  for (auto& l : layers_) l->set_rng(rng);
}

std::size_t Sequential::in_dim() const { return layers_.empty() ? 0 : layers_.front()->in_dim(); }
std::size_t Sequential::out_dim() const { return layers_.empty() ? 0 : layers_.back()->out_dim(); }

Sequential build_mlp(const MlpSpec& spec) {
  if (spec.in == 0 || spec.out == 0) throw std::invalid_argument("MLP: input and output widths must be ≥ 1");
  Sequential net;
  std::size_t width = spec.in;
  for (std::size_t h : spec.hidden) {
    if (h == 0) throw std::invalid_argument("MLP: hidden widths must be ≥ 1");
    const Init init = spec.init == Init::TorchDefault ? Init::TorchDefault
                      : (spec.act == Act::Tanh || spec.act == Act::Sigmoid) ? Init::Xavier
                                                                               : spec.init;
    net.add(std::make_unique<Linear>(width, h, init));
    if (spec.act != Act::None)
      net.add(std::make_unique<Activation>(spec.act, h, spec.act == Act::ELU ? 1.0f : spec.alpha));
    if (spec.dropout > 0.0f) net.add(std::make_unique<Dropout>(h, spec.dropout));
    width = h;
  }
  net.add(std::make_unique<Linear>(width, spec.out, spec.init == Init::TorchDefault ? Init::TorchDefault : Init::Xavier));
  if (spec.out_act != Act::None)
    net.add(std::make_unique<Activation>(spec.out_act, spec.out, spec.out_act == Act::ELU ? 1.0f : spec.alpha));
  return net;
}

}  // namespace genlab::nn
