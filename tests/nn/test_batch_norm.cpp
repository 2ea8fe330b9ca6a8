// BatchNorm: batch statistics and running statistics (PyTorch's momentum and unbiased variance),
// evaluation with the running ones, gradients against finite differences in both modes, buffers
// the optimizer never touches, and its place in a NetSpec.
#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/nn/batch_norm.hpp"
#include "genlab/nn/net_spec.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"
#include "support/layer_check.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::nn;
using genlab::test::random_tensor;

namespace {

void ready(BatchNorm& bn, ParamStore& store, Rng& rng) {
  bn.declare(store, "bn.");
  store.finalize();
  bn.bind(store);
  bn.init(store, rng);
}

float* v(ParamStore& store, const char* name) { return store.value(store.find(name)); }

}  // namespace

TEST_CASE("BatchNorm in training: each channel normalised over batch and pixels; running statistics as PyTorch's") {
  Rng rng(31u);
  const std::size_t B = 5, C = 3, P = 4;
  BatchNorm bn(C, P);
  ParamStore store;
  ready(bn, store, rng);
  CHECK(v(store, "bn.W")[0] == 1.0f);
  CHECK(v(store, "bn.var")[2] == 1.0f);
  Tensor2 x = random_tensor(rng, B, C * P, -2.0f, 3.0f);
  for (std::size_t n = 0; n < B; ++n)
    for (std::size_t i = 0; i < P; ++i) x(n, 1 * P + i) += 5.0f;  // channel 1 far from 0
  bn.set_rng(&rng);
  const Tensor2& y = bn.forward(x);
  for (std::size_t c = 0; c < C; ++c) {
    double m = 0.0, s = 0.0, ym = 0.0, ys = 0.0;
    for (std::size_t n = 0; n < B; ++n)
      for (std::size_t i = 0; i < P; ++i) {
        m += x(n, c * P + i);
        ym += y(n, c * P + i);
      }
    m /= B * P;
    ym /= B * P;
    for (std::size_t n = 0; n < B; ++n)
      for (std::size_t i = 0; i < P; ++i) {
        s += (x(n, c * P + i) - m) * (x(n, c * P + i) - m);
        ys += (y(n, c * P + i) - ym) * (y(n, c * P + i) - ym);
      }
    CHECK(ym == doctest::Approx(0.0).epsilon(1e-6).scale(1.0));
    CHECK(ys / (B * P) == doctest::Approx(s / (B * P) / (s / (B * P) + 1e-5)).epsilon(1e-5));
    CHECK(v(store, "bn.mean")[c] == doctest::Approx(0.1 * m).epsilon(1e-6));
    CHECK(v(store, "bn.var")[c] == doctest::Approx(0.9 + 0.1 * s / (B * P - 1)).epsilon(1e-6));
  }
}

TEST_CASE("BatchNorm in evaluation uses the running statistics and is an affine map") {
  Rng rng(32u);
  BatchNorm bn(2, 3);
  ParamStore store;
  ready(bn, store, rng);
  const float mean[2] = {0.5f, -1.0f}, var[2] = {4.0f, 0.25f}, g[2] = {1.5f, -0.5f}, b[2] = {0.2f, 0.3f};
  for (int c = 0; c < 2; ++c) {
    v(store, "bn.mean")[c] = mean[c];
    v(store, "bn.var")[c] = var[c];
    v(store, "bn.W")[c] = g[c];
    v(store, "bn.b")[c] = b[c];
  }
  const Tensor2 x = random_tensor(rng, 4, 6);
  CHECK_FALSE(bn.training());
  const Tensor2& y = bn.forward(x);
  for (std::size_t n = 0; n < 4; ++n)
    for (std::size_t c = 0; c < 2; ++c)
      for (std::size_t i = 0; i < 3; ++i)
        CHECK(y(n, c * 3 + i) == doctest::Approx(g[c] * (x(n, c * 3 + i) - mean[c]) / std::sqrt(var[c] + 1e-5) + b[c])
                                     .epsilon(1e-6));
  CHECK(v(store, "bn.mean")[0] == 0.5f);  // evaluation leaves the running statistics alone
  CHECK(v(store, "bn.var")[1] == 0.25f);
}

TEST_CASE("BatchNorm gradients match finite differences, with batch and with running statistics") {
  Rng rng(33u);
  for (const bool training : {true, false}) {
    for (const std::size_t P : {std::size_t{1}, std::size_t{4}}) {
      BatchNorm bn(3, P);
      ParamStore store;
      ready(bn, store, rng);
      for (std::size_t c = 0; c < 3; ++c) {
        v(store, "bn.W")[c] = rng.uniform(0.5f, 1.5f);
        v(store, "bn.b")[c] = rng.uniform(-0.5f, 0.5f);
        v(store, "bn.mean")[c] = rng.uniform(-0.3f, 0.3f);
        v(store, "bn.var")[c] = rng.uniform(0.5f, 2.0f);
      }
      Rng drop(1u);
      bn.set_rng(training ? &drop : nullptr);
      genlab::test::gradcheck(bn, store, random_tensor(rng, 4, 3 * P), rng,
                              std::string(training ? "batch" : "running") + " statistics, P " + std::to_string(P));
    }
  }
}

TEST_CASE("a conv network with batch normalisation in training: gradients; the optimizer leaves the buffers alone") {
  Rng rng(34u);
  NetSpec net;
  net.name = "D";
  net.layers.push_back(conv2d_spec({1, 6, 6}, 3, 4, 2, 1));
  net.layers.push_back(batch_norm_spec(net.layers.back().out_img));
  LayerSpec act;
  act.kind = LayerKind::Activation;
  act.act = Act::ELU;
  act.alpha = 1.0f;
  act.in = act.out = net.layers.back().out;
  net.layers.push_back(act);
  LayerSpec fc;
  fc.in = act.out;
  fc.out = 2;
  net.layers.push_back(fc);
  const auto ps = net.params();
  REQUIRE(ps.size() == 8);
  CHECK(ps[2].name == "D.1.W");
  CHECK(ps[4].name == "D.1.mean");
  CHECK_FALSE(ps[4].trainable);
  CHECK(net.parameter_count() == 3 * 16 + 3 + 3 + 3 + 27 * 2 + 2);
  Sequential seq = build_net(net);
  ParamStore store;
  genlab::test::make_ready(seq, store, rng, "D.");
  const nn::TrainingScope train(seq, rng);
  genlab::test::gradcheck(seq, store, random_tensor(rng, 4, 36), rng, "conv + batch norm");
  const float mean0 = store.value(store.find("D.1.mean"))[0];
  optim::OptimConfig oc;
  oc.kind = optim::Kind::Adam;
  oc.lr = 0.1f;
  auto opt = optim::make_optimizer(oc);
  opt->step(store);
  CHECK(store.value(store.find("D.1.mean"))[0] == mean0);
  CHECK_THROWS_AS(BatchNorm(0, 4), std::invalid_argument);
  CHECK_THROWS_AS(BatchNorm(2, 4, 0.0f), std::invalid_argument);
  BatchNorm one(2, 1);
  ParamStore s1;
  ready(one, s1, rng);
  one.set_rng(&rng);
  CHECK_THROWS_AS(one.forward(random_tensor(rng, 1, 2)), std::invalid_argument);  // one value per channel
}
