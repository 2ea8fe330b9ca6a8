// Gradient checks of every layer against central differences, dlib-style: f = Σ y ⊙ r for a fixed
// random r, so backward(r) must return ∂f/∂x and add ∂f/∂θ into pre-filled parameter gradients.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/kernels/vec.hpp"
#include "genlab/nn/activation.hpp"
#include "genlab/nn/linear.hpp"
#include "genlab/nn/sequential.hpp"
#include "support/gradcheck.hpp"
#include "support/layer_check.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::nn;
using genlab::test::check_all_close;

namespace {

constexpr float kH = 1e-2f;
using genlab::test::gradcheck;
using genlab::test::make_ready;

}  // namespace

TEST_CASE("Linear: forward is x·Wᵀ + b and gradients match finite differences") {
  Rng rng(1u);
  for (Init init : {Init::He, Init::Xavier, Init::TorchDefault}) {
    Linear fc(7, 5, init);
    ParamStore store;
    fc.declare(store, "fc.");
    store.finalize();
    fc.bind(store);
    fc.init(store, rng);
    Tensor2 x = genlab::test::random_tensor(rng, 4, 7);
    const Tensor2& y = fc.forward(x);
    const float* W = store.value(fc.W_id());
    const float* b = store.value(fc.b_id());
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t o = 0; o < 5; ++o) {
        double s = b[o];
        for (std::size_t k = 0; k < 7; ++k) s += double(x(i, k)) * W[o * 7 + k];
        CHECK(y(i, o) == doctest::Approx(s).epsilon(1e-5));
      }
    // Give the bias non-zero values so its gradient check is not trivially at 0.
    for (std::size_t o = 0; o < 5; ++o) store.value(fc.b_id())[o] = rng.uniform(-1.0f, 1.0f);
    gradcheck(fc, store, x, rng, "linear");
  }
}

TEST_CASE("Linear init has the advertised scale") {
  Rng rng(2u);
  const std::size_t in = 200, out = 300;
  for (Init init : {Init::He, Init::Xavier, Init::TorchDefault}) {
    Linear fc(in, out, init);
    ParamStore store;
    fc.declare(store, "");
    store.finalize();
    fc.init(store, rng);
    const float* W = store.value(fc.W_id());
    double s2 = 0.0;
    for (std::size_t i = 0; i < in * out; ++i) s2 += double(W[i]) * W[i];
    const double var = s2 / double(in * out);
    const double expected = init == Init::He ? 2.0 / in : init == Init::Xavier ? 2.0 / (in + out) : 1.0 / (3.0 * in);
    CHECK(var == doctest::Approx(expected).epsilon(0.05));
  }
}

TEST_CASE("every activation's gradient matches finite differences") {
  Rng rng(3u);
  for (Act act : {Act::ReLU, Act::LeakyReLU, Act::Tanh, Act::Sigmoid, Act::ELU}) {
    Activation layer(act, 6, act == Act::ELU ? 1.0f : 0.2f);
    ParamStore store;
    store.finalize();
    // Inputs stay ≥ 3h away from the kink at 0 (on purpose, see random_away_from_zero).
    gradcheck(layer, store, genlab::test::random_away_from_zero(rng, 5, 6, 3 * kH, 2.5f), rng, act_name(act));
  }
}

TEST_CASE("activations compute the right values") {
  Tensor2 x = {{-2.0f, -0.5f, 0.0f, 0.5f, 2.0f}};
  auto run = [&](Act a, float alpha) {
    Activation l(a, 5, alpha);
    return Tensor2(l.forward(x));
  };
  const Tensor2 relu = run(Act::ReLU, 0.0f);
  CHECK(relu(0, 0) == 0.0f);
  CHECK(relu(0, 4) == 2.0f);
  const Tensor2 leaky = run(Act::LeakyReLU, 0.2f);
  CHECK(leaky(0, 0) == doctest::Approx(-0.4f));
  const Tensor2 th = run(Act::Tanh, 0.0f);
  CHECK(th(0, 3) == doctest::Approx(std::tanh(0.5)));
  const Tensor2 sg = run(Act::Sigmoid, 0.0f);
  CHECK(sg(0, 2) == doctest::Approx(0.5));
  CHECK(sg(0, 4) == doctest::Approx(1.0 / (1.0 + std::exp(-2.0))));
  const Tensor2 el = run(Act::ELU, 1.0f);
  CHECK(el(0, 0) == doctest::Approx(std::expm1(-2.0)));
  CHECK(el(0, 4) == 2.0f);
  CHECK_THROWS_AS(parse_act("swish"), std::invalid_argument);
  CHECK(parse_act("leaky_relu") == Act::LeakyReLU);
}

TEST_CASE("an MLP from a spec: shapes, names and whole-network gradients") {
  Rng rng(4u);
  // Smooth activations only (ELU with α = 1 is C¹): kinked ones are checked per layer above,
  // with inputs kept away from the kink, which a whole network cannot promise.
  for (Act act : {Act::Tanh, Act::ELU, Act::Sigmoid}) {
    MlpSpec spec;
    spec.in = 5;
    spec.hidden = {8, 6};
    spec.out = 3;
    spec.act = act;
    spec.out_act = Act::Sigmoid;
    spec.alpha = act == Act::ELU ? 1.0f : 0.2f;
    Sequential net = build_mlp(spec);
    CHECK(net.size() == 6);  // 3 Linear + 2 hidden activations + the output sigmoid
    CHECK(net.in_dim() == 5);
    CHECK(net.out_dim() == 3);
    ParamStore store;
    make_ready(net, store, rng, "g.");
    CHECK(store.count() == 6);
    CHECK(store.find("g.0.W") == 0);
    CHECK(store.entry(store.find("g.4.b")).size == 3);
    gradcheck(net, store, genlab::test::random_tensor(rng, 4, 5), rng, "mlp/" + act_name(act));
  }
}

TEST_CASE("a Linear and the ReLU / LeakyReLU after it run fused, with the bits of the separate layers") {
  Rng rng(13u);
  for (Act act : {Act::ReLU, Act::LeakyReLU}) {
    INFO(act_name(act));
    // Fused: a Sequential pairs the first Linear with its activation.
    Sequential net;
    net.add(std::make_unique<Linear>(5, 7));
    net.add(std::make_unique<Activation>(act, 7, 0.2f));
    net.add(std::make_unique<Linear>(7, 3));
    ParamStore store;
    make_ready(net, store, rng);
    // Separate: the same layers driven one by one, on a copy of the parameters.
    Linear lin1(5, 7), lin2(7, 3);
    Activation a(act, 7, 0.2f);
    ParamStore store2;
    lin1.declare(store2, "n.0.");
    lin2.declare(store2, "n.2.");
    store2.finalize();
    lin1.bind(store2);
    lin2.bind(store2);
    REQUIRE(store2.size() == store.size());
    std::copy(store.values().begin(), store.values().end(), store2.values().begin());

    const Tensor2 x = genlab::test::random_tensor(rng, 6, 5);
    const Tensor2& h = net.layer(0).forward(x);
    CHECK(&net.layer(1).forward(h) == &h);  // fused: the activation passes the Linear's y through
    const Tensor2& pre = lin1.forward(x);
    CHECK(std::count_if(pre.begin(), pre.end(), [](float v) { return v < 0.0f; }) > 5);
    const Tensor2 y_fused = net.forward(x);
    const Tensor2 y_sep = lin2.forward(a.forward(pre));
    CHECK(y_fused == y_sep);

    const Tensor2 dy = genlab::test::random_tensor(rng, 6, 3);
    kernels::fill(store.grads().data(), store.size(), 0.0f);
    kernels::fill(store2.grads().data(), store2.size(), 0.0f);
    const Tensor2 dx_fused = net.backward(dy);
    const Tensor2 dx_sep = lin1.backward(a.backward(lin2.backward(dy)));
    CHECK(dx_fused == dx_sep);
    CHECK(store.grads() == store2.grads());
  }
  // Not fused: a LeakyReLU with α = 0 (v·0 keeps −0) and one with α < 0 (y's sign is not x's).
  for (float alpha : {0.0f, -0.5f}) {
    Sequential net;
    net.add(std::make_unique<Linear>(2, 4));
    net.add(std::make_unique<Activation>(Act::LeakyReLU, 4, alpha));
    ParamStore store;
    make_ready(net, store, rng);
    const Tensor2 x = genlab::test::random_tensor(rng, 3, 2);
    const Tensor2& h = net.layer(0).forward(x);
    CHECK(&net.layer(1).forward(h) != &h);
  }
}

TEST_CASE("MLP construction rejects bad specs") {
  MlpSpec spec;
  spec.in = 0;
  spec.out = 2;
  CHECK_THROWS_AS(build_mlp(spec), std::invalid_argument);
  spec.in = 2;
  spec.hidden = {0};
  CHECK_THROWS_AS(build_mlp(spec), std::invalid_argument);
}

TEST_CASE("a network skips its input gradient on request and keeps buffers across steps") {
  Rng rng(5u);
  MlpSpec spec;
  spec.in = 4;
  spec.hidden = {8};
  spec.out = 2;
  Sequential net = build_mlp(spec);
  ParamStore store;
  make_ready(net, store, rng);
  Tensor2 x = genlab::test::random_tensor(rng, 3, 4);
  const Tensor2& y = net.forward(x);
  const float* ybuf = y.data();
  Tensor2 dy = genlab::test::random_tensor(rng, 3, 2);
  const Tensor2& dx = net.backward(dy, false);
  CHECK(dx.size() == 0);  // never computed
  CHECK(net.forward(x).data() == ybuf);  // same batch size: the same buffer, no reallocation
}

TEST_CASE("a frozen network returns the same input gradient and leaves parameter gradients alone") {
  Rng rng(7u);
  MlpSpec spec;
  spec.in = 3;
  spec.hidden = {6, 5};
  spec.out = 2;
  spec.act = Act::LeakyReLU;
  Sequential net = build_mlp(spec);
  ParamStore store;
  make_ready(net, store, rng);
  const Tensor2 x = genlab::test::random_tensor(rng, 4, 3);
  const Tensor2 dy = genlab::test::random_tensor(rng, 4, 2);

  net.forward(x);
  store.zero_grad();
  const Tensor2 dx_thawed = net.backward(dy);
  CHECK(store.grad_norm() > 0.0);

  kernels::fill(store.grads().data(), store.size(), 0.5f);
  const Tensor1 before = store.grads();
  net.set_frozen(true);
  net.forward(x);
  const Tensor2 dx_frozen = net.backward(dy);
  CHECK(store.grads() == before);
  check_all_close(dx_frozen.data(), dx_thawed.data(), dx_thawed.size(), 0.0, 0.0, "frozen dx");

  net.set_frozen(false);  // thawed again: gradients accumulate as before
  net.forward(x);
  net.backward(dy);
  CHECK(store.grads() != before);
}
