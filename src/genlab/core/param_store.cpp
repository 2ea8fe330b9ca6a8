#include "genlab/core/param_store.hpp"

#include <cmath>
#include <stdexcept>

#include "genlab/kernels/vec.hpp"

namespace genlab {

std::size_t ParamStore::add(const std::string& name, std::vector<std::size_t> shape, bool trainable) {
  if (finalized_) throw std::logic_error("ParamStore: declare('" + name + "') after finalize()");
  if (shape.empty() || shape.size() > kMaxRank)
    throw std::invalid_argument("ParamStore: '" + name + "' must have 1 to 4 dimensions");
  for (const Entry& e : entries_)
    if (e.name == name) throw std::invalid_argument("ParamStore: duplicate parameter name '" + name + "'");
  Entry e;
  e.name = name;
  e.shape = std::move(shape);
  e.size = 1;
  for (std::size_t d : e.shape) e.size *= d;
  e.trainable = trainable;
  // Keep every tensor 16-float aligned so SIMD loads inside one tensor start on a line boundary.
  std::size_t& total = trainable ? total_ : buffer_total_;
  e.offset = total;
  total += (e.size + 15) / 16 * 16;
  entries_.push_back(std::move(e));
  return entries_.size() - 1;
}

std::size_t ParamStore::declare(const std::string& name, std::vector<std::size_t> shape) {
  return add(name, std::move(shape), true);
}

std::size_t ParamStore::declare_buffer(const std::string& name, std::vector<std::size_t> shape) {
  return add(name, std::move(shape), false);
}

void ParamStore::finalize() {
  if (finalized_) throw std::logic_error("ParamStore: finalize() called twice");
  values_ = xt::zeros<float>({total_});
  grads_ = xt::zeros<float>({total_});
  buffers_ = xt::zeros<float>({buffer_total_});
  finalized_ = true;
}

std::size_t ParamStore::parameter_count() const {
  std::size_t n = 0;
  for (const Entry& e : entries_)
    if (e.trainable) n += e.size;
  return n;
}

std::size_t ParamStore::find(const std::string& name) const {
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].name == name) return i;
  throw std::out_of_range("ParamStore: no parameter named '" + name + "'");
}

float* ParamStore::value(std::size_t id) {
  const Entry& e = entry(id);
  return (e.trainable ? values_.data() : buffers_.data()) + e.offset;
}
const float* ParamStore::value(std::size_t id) const {
  const Entry& e = entry(id);
  return (e.trainable ? values_.data() : buffers_.data()) + e.offset;
}
float* ParamStore::grad(std::size_t id) {
  const Entry& e = entry(id);
  if (!e.trainable) throw std::logic_error("ParamStore: '" + e.name + "' is a buffer: it has no gradient");
  return grads_.data() + e.offset;
}
const float* ParamStore::grad(std::size_t id) const {
  const Entry& e = entry(id);
  if (!e.trainable) throw std::logic_error("ParamStore: '" + e.name + "' is a buffer: it has no gradient");
  return grads_.data() + e.offset;
}

void ParamStore::zero_grad() { kernels::fill(grads_.data(), total_, 0.0f); }

double ParamStore::grad_norm() const { return std::sqrt(kernels::sum_sq(grads_.data(), total_)); }

bool ParamStore::all_finite() const {
  for (float v : values_)
    if (!std::isfinite(v)) return false;
  for (float v : buffers_)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace genlab
