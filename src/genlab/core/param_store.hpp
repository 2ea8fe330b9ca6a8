// ParamStore: the one owner of a network's parameters, gradients and untrained buffers.
// All trained values live in one contiguous buffer and all gradients in another of the same layout,
// so zero_grad is one fill and every optimizer is one loop over values() and grads(). Buffers that
// are not trained (running statistics) live in a third array: optimizers never see them, model
// files save them. Layers declare named tensors (rank 1–4) while a model is built; finalize()
// allocates once; layers then keep raw pointers into the arrays.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "genlab/core/tensor.hpp"

namespace genlab {

class ParamStore {
 public:
  static constexpr std::size_t kMaxRank = 4;

  struct Entry {
    std::string name;
    std::size_t offset = 0;           // into values()/grads(), or into buffers() when !trainable
    std::vector<std::size_t> shape;   // 1–4 dimensions, row-major
    std::size_t size = 0;             // product of the shape
    bool trainable = true;
  };

  // A 2-D view of a tensor: a 1-D tensor is seen as 1 × n, a rank-k tensor as shape[0] × the rest.
  static auto view(float* p, const Entry& e) {
    const std::size_t r = e.shape.size() == 1 ? 1 : e.shape[0];
    const std::size_t c = e.shape.size() == 1 ? e.size : e.size / (e.shape[0] == 0 ? 1 : e.shape[0]);
    return xt::adapt(p, e.size, xt::no_ownership(), Shape2{r, c});
  }

  // Registers a trained tensor; returns its id. Only before finalize().
  std::size_t declare(const std::string& name, std::vector<std::size_t> shape);
  // Registers a tensor that is saved with the model but not trained (e.g. running statistics).
  std::size_t declare_buffer(const std::string& name, std::vector<std::size_t> shape);
  // Allocates values, gradients and buffers (zeroed). Pointers are stable afterwards.
  void finalize();
  bool finalized() const { return finalized_; }

  // Floats of the trained arrays (each tensor padded to a multiple of 16 for aligned SIMD starts):
  // the length of values(), grads() and every optimizer state buffer.
  std::size_t size() const { return total_; }
  // Trained parameters, without padding: what a model "has" (the architecture spec's count).
  std::size_t parameter_count() const;
  std::size_t count() const { return entries_.size(); }
  const Entry& entry(std::size_t id) const { return entries_.at(id); }
  // Id of a tensor by name; throws std::out_of_range naming it when absent.
  std::size_t find(const std::string& name) const;

  // Values of a trained tensor or a buffer.
  float* value(std::size_t id);
  const float* value(std::size_t id) const;
  // Gradient of a trained tensor (std::logic_error for a buffer).
  float* grad(std::size_t id);
  const float* grad(std::size_t id) const;

  // Named 2-D views over the shared arrays.
  auto value_view(std::size_t id) { return view(value(id), entry(id)); }
  auto grad_view(std::size_t id) { return view(grad(id), entry(id)); }

  Tensor1& values() { return values_; }
  const Tensor1& values() const { return values_; }
  Tensor1& grads() { return grads_; }
  const Tensor1& grads() const { return grads_; }
  Tensor1& buffers() { return buffers_; }
  const Tensor1& buffers() const { return buffers_; }

  void zero_grad();
  // Global L2 norm of all gradients (accumulated in double).
  double grad_norm() const;
  // True when every value and buffer is a finite number.
  bool all_finite() const;

 private:
  std::size_t add(const std::string& name, std::vector<std::size_t> shape, bool trainable);

  std::vector<Entry> entries_;
  std::size_t total_ = 0, buffer_total_ = 0;
  bool finalized_ = false;
  Tensor1 values_, grads_, buffers_;
};

}  // namespace genlab
