// Gradient checks of a layer or network against central differences, dlib-style: f = Σ y ⊙ r for a
// fixed random r, so backward(r) must return ∂f/∂x and add ∂f/∂θ into pre-filled parameter
// gradients. Shared by the layer suites (tests/nn).
#pragma once

#include <algorithm>
#include <cmath>
#include <string>

#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/kernels/vec.hpp"
#include "genlab/nn/sequential.hpp"
#include "support/gradcheck.hpp"
#include "support/testutil.hpp"

namespace genlab::test {

// The network's own output buffers (y, dx) are poisoned with NaN before every evaluation, so a
// layer that reads or accumulates into its stale output fails, and each element is judged at the
// best step of an ε sweep.
template <class Net>
void gradcheck(Net& net, ParamStore& store, Tensor2 x, Rng& rng, const std::string& what, double atol = 2e-3,
               double rtol = 1e-2) {
  const Tensor2& y = net.forward(x);
  const Tensor2 r = random_tensor(rng, rows(y), cols(y));
  const Tensor2* dx_buf = nullptr;  // known after the first backward
  GradCheck gc;
  gc.atol = atol;
  gc.rtol = rtol;
  gc.poison = [&] {
    if (y.data() != x.data()) poison_owned(y);  // a layer passing x through owns no y
    if (dx_buf != nullptr && dx_buf->data() != r.data()) poison_owned(*dx_buf);
  };
  auto f = [&]() { return dot(net.forward(x), r); };

  // Pre-fill gradients with a constant: backward must add to them, not overwrite.
  const float prefill = 0.25f;
  kernels::fill(store.grads().data(), store.size(), prefill);
  gc.poison_outputs();
  net.forward(x);
  const Tensor2& dx_ref = net.backward(r);
  dx_buf = &dx_ref;
  const Tensor2 dx = dx_ref;
  Tensor1 analytic = store.grads() - prefill;
  // The analytic pass ran on a poisoned y: it must have written every element.
  CHECK_MESSAGE(std::none_of(dx.begin(), dx.end(), [](float v) { return std::isnan(v); }), what << " dx holds poison");

  check_against_differences(dx.data(), x.data(), x.size(), f, gc, what + " dx");
  for (std::size_t id = 0; id < store.count(); ++id) {
    const auto& e = store.entry(id);
    if (!e.trainable) continue;
    check_against_differences(analytic.data() + e.offset, store.value(id), e.size, f, gc, what + " d" + e.name);
  }
}

// Declares a network's parameters under `prefix` in `store`, then binds and initialises them.
inline void make_ready(nn::Sequential& net, ParamStore& store, Rng& rng, const std::string& prefix = "n.") {
  net.declare(store, prefix);
  store.finalize();
  net.bind(store);
  net.init(store, rng);
}

}  // namespace genlab::test
