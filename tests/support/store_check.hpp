// A whole model's gradients against central differences of its loss value, parameter by parameter.
#pragma once

#include <functional>
#include <string>

#include "genlab/core/param_store.hpp"
#include "support/testutil.hpp"

namespace genlab::test {

// Compares the store's gradients (from one call of `loss` on zeroed gradients) with central
// differences of the loss value over every parameter.
inline void check_store(ParamStore& store, const std::function<double()>& loss, const std::string& what) {
  store.zero_grad();
  loss();
  const Tensor1 analytic = store.grads();
  Tensor1 numeric(store.values().shape());
  numeric_grad(store.values().data(), store.size(), 1e-2f, loss, numeric.data());
  for (std::size_t id = 0; id < store.count(); ++id) {
    const auto& e = store.entry(id);
    check_all_close(analytic.data() + e.offset, numeric.data() + e.offset, e.size, 2e-3, 2e-2, what + " d" + e.name);
  }
}

}  // namespace genlab::test
