// Optimizers: each one SIMD loop over a whole ParamStore (kernels::*_update), state buffers laid out
// like the store's values. step() optionally clips gradients by global norm first, updates, and
// leaves the gradients untouched (the trainer zeroes them).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genlab/core/param_store.hpp"
#include "genlab/kernels/parallel.hpp"

namespace genlab::optim {

// The threaded build updates stores of at least kSplitUpdate values in two halves at once
// (kernels::split_range; each value is updated alone, so the bits do not change). Below it, waking the
// helper costs more than half the update. kSplitAlign: a multiple of every SIMD width.
constexpr std::size_t kSplitUpdate = std::size_t{1} << 15;
constexpr std::size_t kSplitAlign = 16;

enum class Kind { SGD, RMSprop, Adam };
Kind parse_kind(const std::string& name);  // "sgd", "rmsprop", "adam"
std::string kind_name(Kind k);

struct OptimConfig {
  Kind kind = Kind::Adam;
  float lr = 1e-3f;
  float momentum = 0.0f;      // SGD and RMSprop
  bool nesterov = false;      // SGD
  float rho = 0.9f;           // RMSprop (Keras default)
  float eps = -1.0f;          // < 0: the kind's default (Adam 1e-8, RMSprop 1e-7 as in Keras)
  float beta1 = 0.9f, beta2 = 0.999f;  // Adam
  float weight_decay = 0.0f;  // L2 added to the gradient; decoupled (AdamW) when `decoupled`
  bool decoupled = false;
  float clip_norm = 0.0f;     // > 0: rescale gradients whose global L2 norm exceeds it
};

class Optimizer {
 public:
  explicit Optimizer(const OptimConfig& cfg) : cfg_(cfg) {}
  virtual ~Optimizer() = default;

  // One update of every value in the store from its gradient. Returns the gradient norm before
  // clipping when clipping is on, and 0 otherwise.
  float step(ParamStore& store);
  // Forgets all state (moments, step count).
  virtual void reset() = 0;
  // State tensors (for checkpoints), each the size of the store.
  virtual std::vector<Tensor1*> state() = 0;

  const OptimConfig& config() const { return cfg_; }
  OptimConfig& config() { return cfg_; }  // e.g. a learning-rate change between steps
  long long steps() const { return t_; }
  void set_steps(long long t) { t_ = t; }

 protected:
  virtual void update(ParamStore& store) = 0;
  void ensure(Tensor1& buf, std::size_t n);
  OptimConfig cfg_;
  long long t_ = 0;
};

std::unique_ptr<Optimizer> make_optimizer(const OptimConfig& cfg);

// Rescales all gradients so their global L2 norm is at most max_norm; returns the norm before.
float clip_grad_norm(ParamStore& store, float max_norm);

}  // namespace genlab::optim
