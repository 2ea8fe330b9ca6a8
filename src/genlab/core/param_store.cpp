#include "genlab/core/param_store.hpp"

#include <cmath>
#include <stdexcept>

#include "genlab/kernels/vec.hpp"

namespace genlab {

std::size_t ParamStore::declare(const std::string& name, std::vector<std::size_t> shape) {
  if (finalized_) throw std::logic_error("ParamStore: declare('" + name + "') after finalize()");
  if (shape.empty() || shape.size() > 2)
    throw std::invalid_argument("ParamStore: '" + name + "' must be 1-D or 2-D");
  for (const Entry& e : entries_)
    if (e.name == name) throw std::invalid_argument("ParamStore: duplicate parameter name '" + name + "'");
  Entry e;
  e.name = name;
  e.shape = std::move(shape);
  e.size = 1;
  for (std::size_t d : e.shape) e.size *= d;
  e.offset = total_;
  // Keep every tensor 16-float aligned so SIMD loads inside one tensor start on a line boundary.
  total_ += (e.size + 15) / 16 * 16;
  entries_.push_back(std::move(e));
  return entries_.size() - 1;
}

void ParamStore::finalize() {
  if (finalized_) throw std::logic_error("ParamStore: finalize() called twice");
  values_ = xt::zeros<float>({total_});
  grads_ = xt::zeros<float>({total_});
  finalized_ = true;
}

std::size_t ParamStore::find(const std::string& name) const {
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].name == name) return i;
  throw std::out_of_range("ParamStore: no parameter named '" + name + "'");
}

void ParamStore::zero_grad() { kernels::fill(grads_.data(), total_, 0.0f); }

double ParamStore::grad_norm() const { return std::sqrt(kernels::sum_sq(grads_.data(), total_)); }

}  // namespace genlab
