// Untrained buffers (ParamStore::declare_buffer) stay out of training: every optimizer, with every
// option that touches the whole store (momentum, weight decay, clipping), updates the trained
// values and leaves the buffers bit for bit as they were.
#include <cstring>
#include <string>

#include <doctest/doctest.h>

#include "genlab/core/param_store.hpp"
#include "genlab/optim/optimizer.hpp"

using namespace genlab;

TEST_CASE("optimizers update trained values and never touch the store's buffers") {
  optim::OptimConfig sgd, momentum, rms, adam, adamw;
  sgd.kind = optim::Kind::SGD;
  sgd.lr = 0.1f;
  momentum = sgd;
  momentum.momentum = 0.9f;
  momentum.nesterov = true;
  momentum.weight_decay = 0.01f;
  rms.kind = optim::Kind::RMSprop;
  rms.momentum = 0.5f;
  adam.kind = optim::Kind::Adam;
  adam.clip_norm = 0.5f;
  adamw = adam;
  adamw.weight_decay = 0.1f;
  adamw.decoupled = true;
  int n = 0;
  for (const optim::OptimConfig& cfg : {sgd, momentum, rms, adam, adamw}) {
    INFO("optimizer " << n++);
    ParamStore s;
    const auto W = s.declare("l.W", {3, 5});
    const auto mean = s.declare_buffer("bn.mean", {5});
    const auto var = s.declare_buffer("bn.var", {5});
    s.declare("l.b", {3});
    s.finalize();
    for (std::size_t i = 0; i < s.size(); ++i) {
      s.values()(i) = 0.1f * static_cast<float>(i % 7) - 0.3f;
      s.grads()(i) = 0.05f * static_cast<float>(i % 5) - 0.1f + 0.01f;
    }
    for (std::size_t i = 0; i < 5; ++i) {
      s.value(mean)[i] = 1.5f + static_cast<float>(i);
      s.value(var)[i] = 0.25f * static_cast<float>(i + 1);
    }
    const Tensor1 buffers = s.buffers();
    const float w0 = s.value(W)[0];
    auto opt = optim::make_optimizer(cfg);
    for (int step = 0; step < 3; ++step) opt->step(s);
    CHECK(opt->steps() == 3);
    CHECK(s.value(W)[0] != w0);  // the step did something
    REQUIRE(s.buffers().size() == buffers.size());
    CHECK(std::memcmp(s.buffers().data(), buffers.data(), buffers.size() * sizeof(float)) == 0);
    for (Tensor1* state : opt->state()) CHECK(state->size() == s.size());  // laid out like values, not buffers
  }
}
