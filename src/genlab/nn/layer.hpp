// The layer contract, written once:
//  * forward(x) maps x (B, in) to y (B, out) in a buffer the layer owns, and caches exactly what
//    backward needs. Layers may keep a pointer to x instead of copying it, so x must stay
//    unchanged until backward on the same batch.
//  * backward(dy) runs after forward on the same batch. It ADDS parameter gradients into the
//    ParamStore (+=) and returns dx (B, in) in a buffer the layer owns. Nothing but the trainer
//    zeroes gradients: accumulation is what lets a GAN sum D's real and fake passes before a step.
//  * Buffers are sized on the first batch of a given size; a steady batch size never allocates.
#pragma once

#include <cstddef>
#include <string>

#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/core/tensor.hpp"

namespace genlab::nn {

class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string kind() const = 0;
  virtual std::size_t in_dim() const = 0;
  virtual std::size_t out_dim() const = 0;

  // Parameterised layers register their tensors (before the store is finalized) …
  virtual void declare(ParamStore& /*store*/, const std::string& /*prefix*/) {}
  // … pick up their pointers once it is, …
  virtual void bind(ParamStore& /*store*/) {}
  // … and draw initial values from the RNG.
  virtual void init(ParamStore& /*store*/, Rng& /*rng*/) {}

  // x (B, in) → y (B, out)
  virtual const Tensor2& forward(const Tensor2& x) = 0;
  // dy (B, out) → dx (B, in); need_dx = false lets a first layer skip its input gradient.
  virtual const Tensor2& backward(const Tensor2& dy, bool need_dx = true) = 0;

  // A frozen layer still returns dx but adds nothing to its parameter gradients: a GAN's G step
  // backpropagates through D only for D's input gradient, and D's dW would be wasted work.
  virtual void set_frozen(bool /*frozen*/) {}

  // Layers that can rectify their own output as they write it (y = v > 0 ? v : slope·v, in the
  // product's epilogue or the bias pass) take over the ReLU / LeakyReLU that follows them and
  // return true; Sequential::add then makes that activation pass y through.
  virtual bool fuse_rectifier(float /*slope*/) { return false; }

  // Layers that draw randomness while training (dropout) take it from this RNG; nullptr (the
  // default) means evaluation: such layers are then deterministic.
  virtual void set_rng(Rng* /*rng*/) {}
};

}  // namespace genlab::nn
