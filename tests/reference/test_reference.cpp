// Our engine against an independent PyTorch reference (llm.c's test_gpt2 idea): the same 2-layer
// MLP, compared tensor by tensor — activations, loss, every gradient, and three optimizer steps.
#include <map>

#include <doctest/doctest.h>

#include "genlab/nn/losses.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"
#include "reference/fixture.hpp"
#include "support/testutil.hpp"

using namespace genlab;

namespace {

using Fixture = std::map<std::string, Tensor2>;

const Fixture& fixture() {
  static const Fixture f = test::read_fixture(std::string(GENLAB_FIXTURE_DIR) + "/mlp_fixture.txt");
  return f;
}

const Tensor2& get(const std::string& name) {
  const auto it = fixture().find(name);
  if (it == fixture().end()) throw std::runtime_error("fixture has no tensor " + name);
  return it->second;
}

void compare(const float* ours, const Tensor2& ref, const std::string& what, double atol = 1e-6, double rtol = 1e-4) {
  test::check_all_close(ours, ref.data(), ref.size(), atol, rtol, what);
}

const char* kNames[] = {"W1", "b1", "W2", "b2"};

// x (8, 6) → Linear(6, 10) → tanh → Linear(10, 4), weights loaded from the fixture.
struct Mlp {
  nn::Sequential net;
  ParamStore store;
  std::size_t ids[4] = {};
  Mlp() {
    nn::MlpSpec spec;
    spec.in = 6;
    spec.hidden = {10};
    spec.out = 4;
    spec.act = nn::Act::Tanh;
    net = nn::build_mlp(spec);
    net.declare(store, "");
    store.finalize();
    net.bind(store);
    ids[0] = store.find("0.W");
    ids[1] = store.find("0.b");
    ids[2] = store.find("2.W");
    ids[3] = store.find("2.b");
    for (int i = 0; i < 4; ++i) {
      const Tensor2& ref = get(kNames[i]);
      REQUIRE(ref.size() == store.entry(ids[i]).size);
      std::copy(ref.begin(), ref.end(), store.value(ids[i]));
    }
  }
  // Forward + loss + backward on the fixture batch; returns the loss.
  float step_grads(Tensor2& dx_out) {
    store.zero_grad();
    const Tensor2& logits = net.forward(get("x"));
    Tensor2 dlogits;
    const float loss = nn::bce_with_logits(logits, get("t"), dlogits, 1.0f / 8.0f);
    dx_out = net.backward(dlogits);
    return loss;
  }
};

}  // namespace

TEST_CASE("one forward/backward matches PyTorch tensor by tensor") {
  Mlp m;
  const Tensor2& logits = m.net.forward(get("x"));
  compare(logits.data(), get("logits"), "logits");
  Tensor2 dx;
  const float loss = m.step_grads(dx);
  CHECK(loss == doctest::Approx(get("loss")(0, 0)).epsilon(1e-5));
  for (int i = 0; i < 4; ++i) compare(m.store.grad(m.ids[i]), get(std::string("d") + kNames[i]), std::string("d") + kNames[i]);
  compare(dx.data(), get("dx"), "dx");
}

TEST_CASE("three Adam steps match torch.optim.Adam") {
  Mlp m;
  optim::OptimConfig c;
  c.kind = optim::Kind::Adam;
  c.lr = 0.01f;
  auto opt = optim::make_optimizer(c);
  for (int s = 1; s <= 3; ++s) {
    Tensor2 dx;
    const float loss = m.step_grads(dx);
    opt->step(m.store);
    const std::string p = "adam" + std::to_string(s) + "_";
    CHECK(loss == doctest::Approx(get(p + "loss")(0, 0)).epsilon(1e-5));
    for (int i = 0; i < 4; ++i) compare(m.store.value(m.ids[i]), get(p + kNames[i]), p + kNames[i], 1e-6, 1e-5);
  }
}

TEST_CASE("three RMSprop steps match the Keras update rule") {
  Mlp m;
  optim::OptimConfig c;
  c.kind = optim::Kind::RMSprop;
  c.lr = 0.01f;
  c.rho = 0.9f;
  c.eps = 1e-7f;
  auto opt = optim::make_optimizer(c);
  for (int s = 1; s <= 3; ++s) {
    Tensor2 dx;
    const float loss = m.step_grads(dx);
    opt->step(m.store);
    const std::string p = "rmsprop" + std::to_string(s) + "_";
    CHECK(loss == doctest::Approx(get(p + "loss")(0, 0)).epsilon(1e-5));
    for (int i = 0; i < 4; ++i) compare(m.store.value(m.ids[i]), get(p + kNames[i]), p + kNames[i], 1e-6, 1e-5);
  }
}
