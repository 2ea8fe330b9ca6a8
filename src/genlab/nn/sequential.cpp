#include "genlab/nn/sequential.hpp"

#include <stdexcept>

#include "genlab/nn/batch_norm.hpp"
#include "genlab/nn/conv2d.hpp"
#include "genlab/nn/conv_transpose2d.hpp"

namespace genlab::nn {

void Sequential::add(std::unique_ptr<Layer> layer) {
  if (!layers_.empty() && layers_.back()->out_dim() != layer->in_dim())
    throw std::invalid_argument("Sequential: layer " + std::to_string(layers_.size()) + " expects width " +
                                std::to_string(layer->in_dim()) + " but receives " +
                                std::to_string(layers_.back()->out_dim()));
  // A ReLU / LeakyReLU right after a Linear (or a convolution) runs inside that layer's product
  // (kernels::Epilogue) or bias pass: one pass over y fewer forward, same bits.
  auto* act = dynamic_cast<Activation*>(layer.get());
  if (act != nullptr && act->rectifier() && !layers_.empty() && layers_.back()->fuse_rectifier(act->slope()))
    act->set_input_rectified();
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

// An empty network passes x (and dy) through.
const Tensor2& Sequential::forward(const Tensor2& x) { return layers_.empty() ? x : forward(x, 0, layers_.size()); }

const Tensor2& Sequential::backward(const Tensor2& dy, bool need_dx) {
  return layers_.empty() ? dy : backward(dy, 0, layers_.size(), need_dx);
}

const Tensor2& Sequential::forward(const Tensor2& x, std::size_t first, std::size_t last) {
  if (first >= last || last > layers_.size()) throw std::out_of_range("Sequential: no layers [" + std::to_string(first) + ", " + std::to_string(last) + ")");
  const Tensor2* h = &x;
  for (std::size_t i = first; i < last; ++i) h = &layers_[i]->forward(*h);
  return *h;
}

const Tensor2& Sequential::backward(const Tensor2& dy, std::size_t first, std::size_t last, bool need_dx) {
  if (first >= last || last > layers_.size()) throw std::out_of_range("Sequential: no layers [" + std::to_string(first) + ", " + std::to_string(last) + ")");
  const Tensor2* d = &dy;
  for (std::size_t i = last; i-- > first;) d = &layers_[i]->backward(*d, need_dx || i > first);
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

Sequential build_net(const NetSpec& spec) {
  if (spec.layers.empty()) throw std::invalid_argument("network '" + spec.name + "' has no layers");
  Sequential net;
  for (const LayerSpec& l : spec.layers) {
    switch (l.kind) {
      case LayerKind::Linear: net.add(std::make_unique<Linear>(l.in, l.out, l.init)); break;
      case LayerKind::Activation: net.add(std::make_unique<Activation>(l.act, l.in, l.alpha)); break;
      case LayerKind::Dropout: net.add(std::make_unique<Dropout>(l.in, l.rate)); break;
      case LayerKind::Conv2d:
        net.add(std::make_unique<Conv2d>(l.in_img.c, l.in_img.h, l.in_img.w, l.out_img.c, l.k, l.stride, l.pad, l.init));
        break;
      case LayerKind::BatchNorm: net.add(std::make_unique<BatchNorm>(l.in_img.c, l.in_img.h * l.in_img.w)); break;
      case LayerKind::ConvTranspose2d:
        net.add(std::make_unique<ConvTranspose2d>(l.in_img.c, l.in_img.h, l.in_img.w, l.out_img.c, l.k, l.stride, l.pad,
                                                  l.init));
        break;
    }
  }
  return net;
}

Sequential build_mlp(const MlpSpec& spec) { return build_net(mlp_spec("mlp", spec)); }

}  // namespace genlab::nn
