// ParamStore: the one owner of a network's parameters and gradients.
// All values live in one contiguous buffer and all gradients in another of the same layout, so
// zero_grad is one fill and every optimizer is one loop. Layers declare named tensors while a model
// is built; finalize() allocates once; layers then keep raw pointers into the buffers.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "genlab/core/tensor.hpp"

namespace genlab {

class ParamStore {
 public:
  struct Entry {
    std::string name;
    std::size_t offset = 0;
    std::vector<std::size_t> shape;
    std::size_t size = 0;
  };

  static auto view(float* p, const Entry& e) {
    const std::size_t r = e.shape.size() == 2 ? e.shape[0] : 1;
    const std::size_t c = e.shape.size() == 2 ? e.shape[1] : e.size;
    return xt::adapt(p, e.size, xt::no_ownership(), Shape2{r, c});
  }

  // Registers a tensor; returns its id. Only before finalize().
  std::size_t declare(const std::string& name, std::vector<std::size_t> shape);
  // Allocates values and gradients (zeroed). Pointers from value()/grad() are stable afterwards.
  void finalize();
  bool finalized() const { return finalized_; }

  std::size_t size() const { return total_; }
  std::size_t count() const { return entries_.size(); }
  const Entry& entry(std::size_t id) const { return entries_.at(id); }
  // Id of a tensor by name; throws std::out_of_range naming it when absent.
  std::size_t find(const std::string& name) const;

  float* value(std::size_t id) { return values_.data() + entry(id).offset; }
  const float* value(std::size_t id) const { return values_.data() + entry(id).offset; }
  float* grad(std::size_t id) { return grads_.data() + entry(id).offset; }
  const float* grad(std::size_t id) const { return grads_.data() + entry(id).offset; }

  // Named 2-D views (a 1-D tensor is seen as 1 × n) over the shared buffers.
  auto value_view(std::size_t id) { return view(value(id), entry(id)); }
  auto grad_view(std::size_t id) { return view(grad(id), entry(id)); }

  Tensor1& values() { return values_; }
  const Tensor1& values() const { return values_; }
  Tensor1& grads() { return grads_; }
  const Tensor1& grads() const { return grads_; }

  void zero_grad();
  // Global L2 norm of all gradients (accumulated in double).
  double grad_norm() const;

 private:
  std::vector<Entry> entries_;
  std::size_t total_ = 0;
  bool finalized_ = false;
  Tensor1 values_;
  Tensor1 grads_;
};

}  // namespace genlab
