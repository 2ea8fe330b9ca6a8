#include "genlab/models/conv_nets.hpp"

#include <stdexcept>

namespace genlab::models {

namespace {

void check(const std::string& name, const ConvNetSpec& s) {
  if (s.side < 4 || s.side % 4 != 0)
    throw std::invalid_argument("convolutional " + name + ": the image side " + std::to_string(s.side) +
                                " is not a multiple of 4 (two stride-2 stages)");
  if (s.channels.size() < 2 || s.channels.size() > 3)
    throw std::invalid_argument("convolutional " + name + ": give two or three channel counts (got " +
                                std::to_string(s.channels.size()) + ")");
  for (std::size_t c : s.channels)
    if (c == 0) throw std::invalid_argument("convolutional " + name + ": a channel count is 0");
  if (s.flat == 0 || s.image_channels == 0)
    throw std::invalid_argument("convolutional " + name + ": the flat width and image channels must be ≥ 1");
}

void add_act(nn::NetSpec& net, nn::Act a, float alpha, float dropout = 0.0f) {
  if (a == nn::Act::None) return;
  nn::LayerSpec l;
  l.kind = nn::LayerKind::Activation;
  l.act = a;
  l.alpha = a == nn::Act::ELU ? 1.0f : alpha;
  l.in = l.out = net.layers.back().out;
  net.layers.push_back(l);
  if (dropout > 0.0f) {
    nn::LayerSpec d;
    d.kind = nn::LayerKind::Dropout;
    d.in = d.out = l.out;
    d.rate = dropout;
    net.layers.push_back(d);
  }
}

// Output layers of the saturating kinds start as Xavier, like the MLPs' (mlp_spec).
nn::Init out_init(nn::Init init) {
  return init == nn::Init::TorchDefault || init == nn::Init::Dcgan ? init : nn::Init::Xavier;
}

}  // namespace

nn::NetSpec conv_up_spec(const std::string& name, const ConvNetSpec& s) {
  check(name, s);
  const std::size_t q = s.side / 4;
  nn::NetSpec net;
  net.name = name;
  nn::LayerSpec fc;
  fc.in = s.flat;
  fc.out = s.channels[0] * q * q;
  fc.init = s.init;
  net.layers.push_back(fc);
  if (s.batch_norm) net.layers.push_back(nn::batch_norm_spec({s.channels[0], q, q}));
  add_act(net, s.act, s.alpha);
  const std::size_t n = s.channels.size();
  if (n == 3) {
    // The third width adds a stride-1 3×3 stage at side/4 before the two that double the side.
    net.layers.push_back(nn::conv_transpose2d_spec({s.channels[0], q, q}, s.channels[1], 3, 1, 1, s.init));
    if (s.batch_norm) net.layers.push_back(nn::batch_norm_spec(net.layers.back().out_img));
    add_act(net, s.act, s.alpha);
  }
  net.layers.push_back(nn::conv_transpose2d_spec({s.channels[n - 2], q, q}, s.channels[n - 1], 4, 2, 1, s.init));
  if (s.batch_norm) net.layers.push_back(nn::batch_norm_spec(net.layers.back().out_img));
  add_act(net, s.act, s.alpha);
  net.layers.push_back(
      nn::conv_transpose2d_spec({s.channels[n - 1], 2 * q, 2 * q}, s.image_channels, 4, 2, 1, out_init(s.init)));
  add_act(net, s.out_act, s.alpha);
  return net;
}

nn::NetSpec conv_down_spec(const std::string& name, const ConvNetSpec& s) {
  check(name, s);
  nn::NetSpec net;
  net.name = name;
  net.layers.push_back(nn::conv2d_spec({s.image_channels, s.side, s.side}, s.channels[0], 4, 2, 1, s.init));
  add_act(net, s.act, s.alpha, s.dropout);
  net.layers.push_back(nn::conv2d_spec(net.layers.front().out_img, s.channels[1], 4, 2, 1, s.init));
  const nn::ImageShape quarter = net.layers.back().out_img;
  if (s.batch_norm) net.layers.push_back(nn::batch_norm_spec(quarter));
  add_act(net, s.act, s.alpha, s.dropout);
  if (s.channels.size() == 3) {
    // The third width adds a stride-1 3×3 stage at side/4 after the two that halve the side.
    net.layers.push_back(nn::conv2d_spec(quarter, s.channels[2], 3, 1, 1, s.init));
    if (s.batch_norm) net.layers.push_back(nn::batch_norm_spec(net.layers.back().out_img));
    add_act(net, s.act, s.alpha, s.dropout);
  }
  nn::LayerSpec fc;
  fc.in = net.layers.back().out;
  fc.out = s.flat;
  fc.init = out_init(s.init);
  net.layers.push_back(fc);
  return net;
}

ConvAutoencoderSpec conv_autoencoder(std::size_t side, const std::vector<std::size_t>& enc_channels,
                                     const std::vector<std::size_t>& dec_channels, std::size_t latent, nn::Act act,
                                     float alpha, nn::Init init, bool batch_norm) {
  ConvAutoencoderSpec a;
  a.enc.side = side;
  a.enc.channels = enc_channels;
  a.enc.flat = 2 * latent;
  a.enc.act = act;
  a.enc.alpha = alpha;
  a.enc.init = init;
  a.enc.batch_norm = batch_norm;
  a.dec = a.enc;
  a.dec.channels = dec_channels;
  a.dec.flat = latent;
  return a;
}

}  // namespace genlab::models
