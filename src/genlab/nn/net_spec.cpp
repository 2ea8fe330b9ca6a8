#include "genlab/nn/net_spec.hpp"

#include "genlab/nn/conv_geometry.hpp"

#include <stdexcept>

namespace genlab::nn {

std::string layer_kind_name(LayerKind k) {
  switch (k) {
    case LayerKind::Linear: return "linear";
    case LayerKind::Activation: return "activation";
    case LayerKind::Dropout: return "dropout";
    case LayerKind::Conv2d: return "conv2d";
    case LayerKind::ConvTranspose2d: return "conv_transpose2d";
    case LayerKind::BatchNorm: break;
  }
  return "batch_norm";
}

LayerSpec batch_norm_spec(ImageShape shape) {
  if (shape.size() == 0) throw std::invalid_argument("batch normalisation: the shape must not be empty");
  LayerSpec l;
  l.kind = LayerKind::BatchNorm;
  l.in_img = l.out_img = shape;
  l.in = l.out = shape.size();
  return l;
}

LayerSpec conv2d_spec(ImageShape in, std::size_t out_channels, std::size_t k, std::size_t stride, std::size_t pad,
                      Init init) {
  if (out_channels == 0) throw std::invalid_argument("convolution: output channels must be ≥ 1");
  const ConvGeom g = conv_geom(in.c, in.h, in.w, k, stride, pad);
  LayerSpec l;
  l.kind = LayerKind::Conv2d;
  l.in_img = in;
  l.out_img = {out_channels, g.OH, g.OW};
  l.k = k;
  l.stride = stride;
  l.pad = pad;
  l.init = init;
  l.in = in.size();
  l.out = l.out_img.size();
  return l;
}

LayerSpec conv_transpose2d_spec(ImageShape in, std::size_t out_channels, std::size_t k, std::size_t stride,
                                std::size_t pad, Init init) {
  if (in.c == 0 || out_channels == 0) throw std::invalid_argument("transposed convolution: channels must be ≥ 1");
  if (pad >= k) throw std::invalid_argument("transposed convolution: padding must be smaller than the kernel");
  LayerSpec l;
  l.kind = LayerKind::ConvTranspose2d;
  l.in_img = in;
  l.out_img = {out_channels, conv_transpose_side(in.h, k, stride, pad), conv_transpose_side(in.w, k, stride, pad)};
  l.k = k;
  l.stride = stride;
  l.pad = pad;
  l.init = init;
  l.in = in.size();
  l.out = l.out_img.size();
  return l;
}

std::size_t ParamSpec::size() const {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

std::vector<ParamSpec> layer_params(const LayerSpec& l) {
  switch (l.kind) {
    case LayerKind::Linear: return {{"W", {l.out, l.in}, true}, {"b", {l.out}, true}};
    case LayerKind::Conv2d: return {{"W", {l.out_img.c, l.in_img.c, l.k, l.k}, true}, {"b", {l.out_img.c}, true}};
    case LayerKind::ConvTranspose2d:
      return {{"W", {l.in_img.c, l.out_img.c, l.k, l.k}, true}, {"b", {l.out_img.c}, true}};
    case LayerKind::BatchNorm:
      return {{"W", {l.in_img.c}, true}, {"b", {l.in_img.c}, true}, {"mean", {l.in_img.c}, false},
              {"var", {l.in_img.c}, false}};
    case LayerKind::Activation:
    case LayerKind::Dropout: break;
  }
  return {};
}

std::vector<ParamSpec> NetSpec::params() const {
  std::vector<ParamSpec> out;
  for (std::size_t i = 0; i < layers.size(); ++i)
    for (ParamSpec p : layer_params(layers[i])) {
      p.name = name + "." + std::to_string(i) + "." + p.name;
      out.push_back(std::move(p));
    }
  return out;
}

std::size_t NetSpec::parameter_count() const {
  std::size_t n = 0;
  for (const ParamSpec& p : params())
    if (p.trainable) n += p.size();
  return n;
}

NetSpec mlp_spec(const std::string& name, const MlpSpec& m) {
  if (m.in == 0 || m.out == 0) throw std::invalid_argument("MLP: input and output widths must be ≥ 1");
  NetSpec net;
  net.name = name;
  const auto act_layer = [](Act a, std::size_t w, float alpha) {
    LayerSpec l;
    l.kind = LayerKind::Activation;
    l.in = l.out = w;
    l.act = a;
    l.alpha = a == Act::ELU ? 1.0f : alpha;
    return l;
  };
  std::size_t width = m.in;
  for (std::size_t h : m.hidden) {
    if (h == 0) throw std::invalid_argument("MLP: hidden widths must be ≥ 1");
    LayerSpec lin;
    lin.in = width;
    lin.out = h;
    // He init suits the ReLU family; saturating activations get Xavier; TorchDefault is kept as
    // asked (like-for-like comparisons with torch.nn.Linear).
    lin.init = m.init == Init::TorchDefault ? Init::TorchDefault
               : (m.act == Act::Tanh || m.act == Act::Sigmoid) ? Init::Xavier
                                                               : m.init;
    net.layers.push_back(lin);
    if (m.act != Act::None) net.layers.push_back(act_layer(m.act, h, m.alpha));
    if (m.dropout > 0.0f) {
      LayerSpec d;
      d.kind = LayerKind::Dropout;
      d.in = d.out = h;
      d.rate = m.dropout;
      net.layers.push_back(d);
    }
    width = h;
  }
  LayerSpec last;
  last.in = width;
  last.out = m.out;
  last.init = m.init == Init::TorchDefault ? Init::TorchDefault : Init::Xavier;
  net.layers.push_back(last);
  if (m.out_act != Act::None) net.layers.push_back(act_layer(m.out_act, m.out, m.alpha));
  return net;
}

}  // namespace genlab::nn
