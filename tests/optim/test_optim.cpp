// Optimizers: single steps against numbers worked out by hand, gradient accumulation, clipping,
// and a small regression that each optimizer must fit.
#include <cmath>

#include <doctest/doctest.h>

#include "genlab/nn/losses.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using optim::Kind;
using optim::OptimConfig;

namespace {

// A store with one scalar parameter w = 1.
struct Scalar {
  ParamStore store;
  Scalar() {
    store.declare("w", {1});
    store.finalize();
    store.value(0)[0] = 1.0f;
  }
  float step(optim::Optimizer& opt, float g) {
    store.grad(0)[0] = g;
    opt.step(store);
    return store.value(0)[0];
  }
};

OptimConfig cfg(Kind k, float lr) {
  OptimConfig c;
  c.kind = k;
  c.lr = lr;
  return c;
}

}  // namespace

TEST_CASE("SGD, momentum, Nesterov and weight decay: hand-computed steps") {
  {  // v = 0.5 → w = 1 − 0.1·0.5; then v = 0.9·0.5 + 0.5 = 0.95 → w = 0.95 − 0.095
    Scalar s;
    auto c = cfg(Kind::SGD, 0.1f);
    c.momentum = 0.9f;
    auto opt = optim::make_optimizer(c);
    CHECK(s.step(*opt, 0.5f) == doctest::Approx(0.95f));
    CHECK(s.step(*opt, 0.5f) == doctest::Approx(0.855f));
  }
  {  // Nesterov: d = g + μ·v = 0.5 + 0.45 → w = 1 − 0.095
    Scalar s;
    auto c = cfg(Kind::SGD, 0.1f);
    c.momentum = 0.9f;
    c.nesterov = true;
    auto opt = optim::make_optimizer(c);
    CHECK(s.step(*opt, 0.5f) == doctest::Approx(0.905f));
  }
  {  // L2: g' = 0.5 + 0.1·1 → w = 1 − 0.06
    Scalar s;
    auto c = cfg(Kind::SGD, 0.1f);
    c.weight_decay = 0.1f;
    auto opt = optim::make_optimizer(c);
    CHECK(s.step(*opt, 0.5f) == doctest::Approx(0.94f));
  }
}

TEST_CASE("RMSprop (Keras semantics): hand-computed steps") {
  // s = 0.1·0.25 = 0.025, w = 1 − 0.01·0.5/√(0.025 + 1e-7) = 0.968377287;
  // s = 0.9·0.025 + 0.1·1, w −= 0.01·(−1)/√(s + 1e-7) → 0.996948704
  Scalar s;
  auto opt = optim::make_optimizer(cfg(Kind::RMSprop, 0.01f));
  CHECK(s.step(*opt, 0.5f) == doctest::Approx(0.968377287f).epsilon(1e-6));
  CHECK(s.step(*opt, -1.0f) == doctest::Approx(0.996948704f).epsilon(1e-6));
  // With momentum the increments accumulate: m₂ = 0.5·inc₁ + inc₂.
  Scalar s2;
  auto c = cfg(Kind::RMSprop, 0.01f);
  c.momentum = 0.5f;
  auto opt2 = optim::make_optimizer(c);
  const float inc1 = 1.0f - 0.968377287f;
  const float inc2 = 0.968377287f - 0.996948704f;
  CHECK(s2.step(*opt2, 0.5f) == doctest::Approx(1.0f - inc1).epsilon(1e-6));
  CHECK(s2.step(*opt2, -1.0f) == doctest::Approx(1.0f - inc1 - (0.5f * inc1 + inc2)).epsilon(1e-6));
}

TEST_CASE("Adam with bias correction and AdamW: hand-computed steps") {
  // Step 1 always moves by lr·sign(g) (m̂/√v̂ = ±1). Step 2, g = −1: m = −0.055, v = 0.00124975,
  // m̂ = m/0.19, v̂ = v/0.001999 → w = 0.99 + 0.01·0.2894737/0.7906879 = 0.993661035.
  Scalar s;
  auto opt = optim::make_optimizer(cfg(Kind::Adam, 0.01f));
  CHECK(s.step(*opt, 0.5f) == doctest::Approx(0.99f).epsilon(1e-6));
  CHECK(s.step(*opt, -1.0f) == doctest::Approx(0.993661035f).epsilon(1e-6));
  CHECK(opt->steps() == 2);
  // AdamW: w ← w·(1 − lr·λ) first, then the Adam step: 1·(1 − 0.01·0.5) − 0.01.
  Scalar s2;
  auto c = cfg(Kind::Adam, 0.01f);
  c.weight_decay = 0.5f;
  c.decoupled = true;
  auto opt2 = optim::make_optimizer(c);
  CHECK(s2.step(*opt2, 0.5f) == doctest::Approx(0.985f).epsilon(1e-6));
  opt2->reset();
  CHECK(opt2->steps() == 0);
}

TEST_CASE("clipping by global norm") {
  ParamStore store;
  store.declare("a", {1});
  store.declare("b", {1});
  store.finalize();
  store.grad(0)[0] = 3.0f;
  store.grad(1)[0] = 4.0f;
  CHECK(optim::clip_grad_norm(store, 1.0f) == doctest::Approx(5.0f));
  CHECK(store.grad_norm() == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(store.grad(0)[0] / store.grad(1)[0] == doctest::Approx(0.75f));
  store.grad(0)[0] = 0.3f;
  store.grad(1)[0] = 0.4f;
  optim::clip_grad_norm(store, 1.0f);  // under the limit: untouched
  CHECK(store.grad(0)[0] == 0.3f);
}

TEST_CASE("bad optimizer settings are rejected by name") {
  CHECK_THROWS_AS(optim::make_optimizer(cfg(Kind::Adam, 0.0f)), std::invalid_argument);
  CHECK_THROWS_AS(optim::parse_kind("adagrad"), std::invalid_argument);
  CHECK(optim::parse_kind("rmsprop") == Kind::RMSprop);
}

namespace {

struct Net {
  nn::Sequential net;
  ParamStore store;
  explicit Net(std::uint64_t seed) {
    nn::MlpSpec spec;
    spec.in = 3;
    spec.hidden = {6};
    spec.out = 2;
    spec.act = nn::Act::Tanh;
    net = nn::build_mlp(spec);
    net.declare(store, "n.");
    store.finalize();
    net.bind(store);
    Rng rng(seed);
    net.init(store, rng);
  }
  // Adds the gradient of (1/total)·Σ (net(x) − t)² into the store.
  void accumulate(const Tensor2& x, const Tensor2& t, std::size_t total) {
    Tensor2 dy;
    const Tensor2& y = net.forward(x);
    nn::mse(y, t, dy, 1.0f / static_cast<float>(total));
    net.backward(dy);
  }
};

}  // namespace

TEST_CASE("two accumulated half-batches equal one full batch") {
  Rng rng(5u);
  const Tensor2 x = test::random_tensor(rng, 8, 3), t = test::random_tensor(rng, 8, 2);
  const Tensor2 x1 = xt::view(x, xt::range(0, 4), xt::all()), x2 = xt::view(x, xt::range(4, 8), xt::all());
  const Tensor2 t1 = xt::view(t, xt::range(0, 4), xt::all()), t2 = xt::view(t, xt::range(4, 8), xt::all());
  Net full(1u), halves(1u);
  full.accumulate(x, t, 8);
  halves.accumulate(x1, t1, 8);
  halves.accumulate(x2, t2, 8);
  test::check_all_close(halves.store.grads().data(), full.store.grads().data(), full.store.size(), 1e-6, 1e-5,
                        "accumulated grads");
  auto o1 = optim::make_optimizer(cfg(Kind::Adam, 0.01f)), o2 = optim::make_optimizer(cfg(Kind::Adam, 0.01f));
  o1->step(full.store);
  o2->step(halves.store);
  test::check_all_close(halves.store.values().data(), full.store.values().data(), full.store.size(), 1e-6, 1e-5,
                        "params after one step");
}

TEST_CASE("every optimizer fits a small linear regression") {
  // y = 3·x₀ − 2·x₁ + 0.5, fitted by a single Linear layer with MSE.
  Rng rng(6u);
  Tensor2 x = test::random_tensor(rng, 64, 2), t({64, 1});
  for (std::size_t i = 0; i < 64; ++i) t(i, 0) = 3.0f * x(i, 0) - 2.0f * x(i, 1) + 0.5f;
  struct Case { Kind kind; float lr; float momentum; };
  for (const Case& c : {Case{Kind::SGD, 0.1f, 0.9f}, Case{Kind::RMSprop, 0.005f, 0.0f}, Case{Kind::Adam, 0.05f, 0.0f}}) {
    nn::MlpSpec spec;
    spec.in = 2;
    spec.out = 1;
    nn::Sequential net = nn::build_mlp(spec);
    ParamStore store;
    net.declare(store, "");
    store.finalize();
    net.bind(store);
    Rng init(1u);
    net.init(store, init);
    auto oc = cfg(c.kind, c.lr);
    oc.momentum = c.momentum;
    auto opt = optim::make_optimizer(oc);
    Tensor2 dy;
    float loss = 0.0f;
    for (int step = 0; step < 3000; ++step) {
      store.zero_grad();
      loss = nn::mse(net.forward(x), t, dy, 1.0f / 64.0f);
      net.backward(dy);
      opt->step(store);
    }
    INFO(optim::kind_name(c.kind) << ": final loss " << loss);
    CHECK(loss < 1e-4f);
    CHECK(store.value(0)[0] == doctest::Approx(3.0f).epsilon(0.01));
    CHECK(store.value(0)[1] == doctest::Approx(-2.0f).epsilon(0.01));
    CHECK(store.value(1)[0] == doctest::Approx(0.5f).epsilon(0.01));
  }
}
