// NetSpec: a network described as data — its layers in order, each with its kind, widths,
// activation and initialisation. Sequential networks are built from it (build_net), and everything
// that needs to know a network without running it reads it instead: the parameter count, the
// model file's tensor names, the page's model graph, exporters.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "genlab/nn/activation.hpp"
#include "genlab/nn/linear.hpp"

namespace genlab::nn {

enum class LayerKind { Linear, Activation, Dropout, Conv2d, ConvTranspose2d, BatchNorm };
// "linear", "activation", "dropout", "conv2d", "conv_transpose2d", "batch_norm"
std::string layer_kind_name(LayerKind k);

// Images inside a network are channel-first per example, (C, H, W) flattened, as in PyTorch.
struct ImageShape {
  std::size_t c = 0, h = 0, w = 0;
  std::size_t size() const { return c * h * w; }
};

struct LayerSpec {
  LayerKind kind = LayerKind::Linear;
  std::size_t in = 0, out = 0;  // features per example (equal for activations and dropout)
  Init init = Init::He;         // Linear, convolutions
  Act act = Act::None;          // Activation
  float alpha = 0.0f;           // Activation: LeakyReLU slope, ELU α
  float rate = 0.0f;            // Dropout
  // Convolutions: input and output images (in = in_img.size(), out = out_img.size()), k×k kernel,
  // stride, zero padding. BatchNorm: in_img = out_img, normalised per channel over h·w and the batch.
  ImageShape in_img, out_img;
  std::size_t k = 0, stride = 1, pad = 0;
};

// A convolution's LayerSpec, its output image worked out (throws std::invalid_argument on a
// geometry that does not fit, naming the numbers).
LayerSpec conv2d_spec(ImageShape in, std::size_t out_channels, std::size_t k, std::size_t stride, std::size_t pad,
                      Init init = Init::He);
LayerSpec conv_transpose2d_spec(ImageShape in, std::size_t out_channels, std::size_t k, std::size_t stride,
                                std::size_t pad, Init init = Init::He);
// Batch normalisation per channel of `shape` (a Linear's output as {width, 1, 1}).
LayerSpec batch_norm_spec(ImageShape shape);

// A tensor a layer owns: its name within the network ("0.W") and shape.
struct ParamSpec {
  std::string name;
  std::vector<std::size_t> shape;
  bool trainable = true;
  std::size_t size() const;
};

struct NetSpec {
  std::string name;              // parameter prefix in the store: "enc", "dec", "G", "D"
  std::vector<LayerSpec> layers;

  std::size_t in() const { return layers.empty() ? 0 : layers.front().in; }
  std::size_t out() const { return layers.empty() ? 0 : layers.back().out; }
  // Every tensor, named "<name>.<layer index>.<W|b>" as the layers declare them.
  std::vector<ParamSpec> params() const;
  // Trained parameters of the network.
  std::size_t parameter_count() const;
};

// The tensors of one layer (Linear: W (out, in), b (out); Conv2d: W (OC, IC, k, k), b (OC);
// ConvTranspose2d: W (IC, OC, k, k), b (OC), as PyTorch lays them out; BatchNorm: W = γ (C), b = β
// (C) and the untrained buffers mean (C), var (C)); none for the others.
std::vector<ParamSpec> layer_params(const LayerSpec& l);

// The usual MLP: Linear → act (→ dropout) per hidden width, then Linear (→ out_act).
struct MlpSpec {
  std::size_t in = 0;
  std::vector<std::size_t> hidden;  // widths of the hidden layers (may be empty)
  std::size_t out = 0;
  Act act = Act::ReLU;              // after every hidden Linear
  Act out_act = Act::None;          // after the last Linear
  float alpha = 0.2f;               // LeakyReLU slope (ELU always uses α = 1)
  Init init = Init::He;             // hidden layers; the output layer uses Xavier unless TorchDefault
  float dropout = 0.0f;             // > 0: a Dropout layer after every hidden activation
};
// Throws std::invalid_argument on zero widths.
NetSpec mlp_spec(const std::string& name, const MlpSpec& m);

}  // namespace genlab::nn
