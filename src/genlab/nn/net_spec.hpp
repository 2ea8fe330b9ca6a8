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

enum class LayerKind { Linear, Activation, Dropout };
std::string layer_kind_name(LayerKind k);  // "linear", "activation", "dropout"

struct LayerSpec {
  LayerKind kind = LayerKind::Linear;
  std::size_t in = 0, out = 0;  // features per example (equal for activations and dropout)
  Init init = Init::He;         // Linear
  Act act = Act::None;          // Activation
  float alpha = 0.0f;           // Activation: LeakyReLU slope, ELU α
  float rate = 0.0f;            // Dropout
};

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

// The tensors of one layer (Linear: W (out, in), b (out)); none for the others.
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
