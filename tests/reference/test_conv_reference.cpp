// Conv2d and ConvTranspose2d inside small DCGAN-shaped networks against PyTorch
// (make_conv_fixtures.py): outputs, losses, every parameter gradient, the input gradient, and the
// parameters after one Adam step (β1 0.5) — natively and in wasm.
#include <doctest/doctest.h>

#include "genlab/nn/batch_norm.hpp"
#include "genlab/nn/losses.hpp"
#include "genlab/nn/net_spec.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"
#include "reference/fixture.hpp"
#include "reference/model_fixture.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::nn;

namespace {

const test::Fixture& fixture() {
  static const test::Fixture f = test::read_fixture(std::string(GENLAB_FIXTURE_DIR) + "/conv_fixture.txt");
  return f;
}
const Tensor2& get(const std::string& name) { return test::fixture_tensor(fixture(), name); }

LayerSpec act_spec(Act a, std::size_t w, float alpha = 0.0f) {
  LayerSpec l;
  l.kind = LayerKind::Activation;
  l.act = a;
  l.in = l.out = w;
  l.alpha = alpha;
  return l;
}

LayerSpec linear_spec(std::size_t in, std::size_t out) {
  LayerSpec l;
  l.in = in;
  l.out = out;
  return l;
}

// The fixture's D: 1×8×8 → conv 4 k4 s2 p1 → LeakyReLU → conv 6 k3 s2 p1 → LeakyReLU → linear 1.
NetSpec fixture_d() {
  NetSpec d;
  d.name = "D";
  d.layers.push_back(conv2d_spec({1, 8, 8}, 4, 4, 2, 1));
  d.layers.push_back(act_spec(Act::LeakyReLU, d.layers.back().out, 0.2f));
  d.layers.push_back(conv2d_spec(d.layers[0].out_img, 6, 3, 2, 1));
  d.layers.push_back(act_spec(Act::LeakyReLU, d.layers.back().out, 0.2f));
  d.layers.push_back(linear_spec(d.layers.back().out, 1));
  return d;
}

// The fixture's G: 4 → linear 18 → ReLU → (2, 3, 3) → convT 3 k4 s2 p1 → ReLU → convT 1 k3 s1 p1 → tanh.
NetSpec fixture_g() {
  NetSpec g;
  g.name = "G";
  g.layers.push_back(linear_spec(4, 18));
  g.layers.push_back(act_spec(Act::ReLU, 18));
  g.layers.push_back(conv_transpose2d_spec({2, 3, 3}, 3, 4, 2, 1));
  g.layers.push_back(act_spec(Act::ReLU, g.layers.back().out));
  g.layers.push_back(conv_transpose2d_spec(g.layers[2].out_img, 1, 3, 1, 1));
  g.layers.push_back(act_spec(Act::Tanh, g.layers.back().out));
  return g;
}

struct Net {
  Sequential net;
  ParamStore store;
  explicit Net(const NetSpec& spec) : net(build_net(spec)) {
    net.declare(store, spec.name + ".");
    store.finalize();
    net.bind(store);
    REQUIRE(store.count() == spec.params().size());
    for (std::size_t i = 0; i < store.count(); ++i) {
      CHECK(store.entry(i).name == spec.params()[i].name);
      CHECK(store.entry(i).size == spec.params()[i].size());
    }
    test::load_store(store, fixture());
  }
  void compare_grads(const std::string& prefix) {
    for (std::size_t id = 0; id < store.count(); ++id) {
      const std::string& name = store.entry(id).name;
      test::check_all_close(store.grad(id), get("d" + name).data(), store.entry(id).size, 1e-6, 1e-4, prefix + name);
    }
  }
  void adam_and_compare() {
    auto opt = optim::make_optimizer(test::torch_adam(0.01f, 0.5f));
    opt->step(store);
    for (std::size_t id = 0; id < store.count(); ++id) {
      const std::string& name = store.entry(id).name;
      test::check_all_close(store.value(id), get("adam_" + name).data(), store.entry(id).size, 1e-6, 1e-5, "adam " + name);
    }
  }
};

}  // namespace

TEST_CASE("a conv discriminator matches PyTorch: logits, loss, gradients, one Adam step") {
  Net d(fixture_d());
  const Tensor2& x = get("x");
  const Tensor2& logits = d.net.forward(x);
  test::check_all_close(logits.data(), get("logits").data(), 3, 1e-6, 1e-5, "logits");
  Tensor2 dlogits;
  const float loss = bce_with_logits(logits, get("t"), dlogits, 1.0f / 3.0f);
  CHECK(loss == doctest::Approx(get("d_loss")(0, 0)).epsilon(1e-5));
  const Tensor2& dx = d.net.backward(dlogits);
  test::check_all_close(dx.data(), get("dx").data(), dx.size(), 1e-6, 1e-4, "dx");
  d.compare_grads("d");
  d.adam_and_compare();
}

TEST_CASE("a transposed-conv generator matches PyTorch: output, loss, gradients, one Adam step") {
  Net g(fixture_g());
  const Tensor2& y = g.net.forward(get("z"));
  REQUIRE(y.size() == get("y").size());
  test::check_all_close(y.data(), get("y").data(), y.size(), 1e-6, 1e-5, "y");
  Tensor2 dy;
  const float loss = mse(y, get("y_t"), dy, 1.0f / 3.0f);
  CHECK(loss == doctest::Approx(get("g_loss")(0, 0)).epsilon(1e-5));
  const Tensor2& dz = g.net.backward(dy);
  test::check_all_close(dz.data(), get("dz").data(), dz.size(), 1e-6, 1e-4, "dz");
  g.compare_grads("d");
  g.adam_and_compare();
}

TEST_CASE("BatchNorm matches PyTorch's BatchNorm2d: training output, gradients, running statistics, evaluation") {
  nn::BatchNorm bn(3, 4);
  ParamStore store;
  bn.declare(store, "bn.");
  store.finalize();
  bn.bind(store);
  Rng rng(1u);
  bn.init(store, rng);  // running statistics 0 and 1, as PyTorch's
  std::copy_n(get("bn.W").data(), 3, store.value(store.find("bn.W")));
  std::copy_n(get("bn.b").data(), 3, store.value(store.find("bn.b")));
  bn.set_rng(&rng);
  const Tensor2& y = bn.forward(get("bn_x"));
  test::check_all_close(y.data(), get("bn_y").data(), y.size(), 1e-5, 1e-5, "training output");
  const Tensor2& dx = bn.backward(get("bn_r"));
  test::check_all_close(dx.data(), get("bn_dx").data(), dx.size(), 1e-5, 1e-4, "dx");
  test::check_all_close(store.grad(store.find("bn.W")), get("bn_dW").data(), 3, 1e-5, 1e-5, "dγ");
  test::check_all_close(store.grad(store.find("bn.b")), get("bn_db").data(), 3, 1e-5, 1e-5, "dβ");
  test::check_all_close(store.value(store.find("bn.mean")), get("bn.mean").data(), 3, 1e-6, 1e-5, "running mean");
  test::check_all_close(store.value(store.find("bn.var")), get("bn.var").data(), 3, 1e-6, 1e-5, "running variance");
  bn.set_rng(nullptr);
  const Tensor2& y2 = bn.forward(get("bn_x2"));
  test::check_all_close(y2.data(), get("bn_y2").data(), y2.size(), 1e-5, 1e-5, "evaluation output");
}
