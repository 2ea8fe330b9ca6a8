// Dropout: identity at rate 0 and outside training, inverted scaling of the kept units, and a
// gradient that matches finite differences for a fixed mask (the same RNG state on every pass).
#include <doctest/doctest.h>

#include "genlab/nn/dropout.hpp"
#include "genlab/nn/sequential.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::nn;

TEST_CASE("dropout at rate 0, or with no RNG, is the identity forward and backward") {
  Rng rng(11u);
  const Tensor2 x = genlab::test::random_tensor(rng, 4, 6);
  const Tensor2 dy = genlab::test::random_tensor(rng, 4, 6);
  Rng masks(12u);
  Dropout zero(6, 0.0f);
  zero.set_rng(&masks);
  Dropout off(6, 0.5f);  // never handed an RNG: evaluation mode
  for (Dropout* l : {&zero, &off}) {
    const Tensor2 y = l->forward(x);
    const Tensor2 dx = l->backward(dy);
    for (std::size_t i = 0; i < x.size(); ++i) {
      CHECK(y.data()[i] == x.data()[i]);
      CHECK(dx.data()[i] == dy.data()[i]);
    }
  }
  CHECK(masks.state() == Rng(12u).state());  // rate 0 draws nothing
  CHECK_THROWS_AS(Dropout(3, 1.0f), std::invalid_argument);
  CHECK_THROWS_AS(Dropout(3, -0.1f), std::invalid_argument);
}

TEST_CASE("dropout drops about a fraction p of the units and scales the rest by 1/(1 − p)") {
  const float p = 0.3f;
  Dropout l(100, p);
  Rng masks(13u);
  l.set_rng(&masks);
  const Tensor2 ones(Shape2{200, 100}, 1.0f);
  const Tensor2& y = l.forward(ones);
  std::size_t dropped = 0;
  double sum = 0.0;
  for (float v : y) {
    if (v == 0.0f) ++dropped;
    else CHECK(v == doctest::Approx(1.0 / (1.0 - p)));
    sum += v;
  }
  CHECK(double(dropped) / double(y.size()) == doctest::Approx(p).epsilon(0.05));
  CHECK(sum / double(y.size()) == doctest::Approx(1.0).epsilon(0.03));  // unbiased
  l.set_rng(nullptr);
  CHECK(l.forward(ones)(0, 0) == 1.0f);  // off again outside training
}

TEST_CASE("dropout's gradient matches finite differences for a fixed mask") {
  Rng rng(14u);
  Dropout l(7, 0.4f);
  Tensor2 x = genlab::test::random_tensor(rng, 5, 7);
  const Tensor2 r = genlab::test::random_tensor(rng, 5, 7);
  Rng masks(15u);
  l.set_rng(&masks);
  auto f = [&]() {
    masks = Rng(15u);  // the same mask on every pass
    return genlab::test::dot(l.forward(x), r);
  };
  f();
  const Tensor2 dx = l.backward(r);
  std::size_t zeros = 0;
  for (float v : dx) zeros += v == 0.0f;
  CHECK(zeros > 0);  // the mask really drops units
  CHECK(zeros < dx.size());
  Tensor2 num(x.shape());
  genlab::test::numeric_grad(x.data(), x.size(), 1e-2f, f, num.data());
  genlab::test::check_all_close(dx.data(), num.data(), x.size(), 2e-3, 1e-2, "dropout dx");
}

TEST_CASE("an MLP with dropout gets one dropout layer per hidden layer and the same parameters") {
  MlpSpec spec;
  spec.in = 5;
  spec.hidden = {8, 6};
  spec.out = 1;
  spec.act = Act::LeakyReLU;
  spec.dropout = 0.5f;
  Sequential net = build_mlp(spec);
  CHECK(net.size() == 7);  // Linear, act, dropout, Linear, act, dropout, Linear
  CHECK(net.layer(2).kind() == "dropout");
  CHECK(net.layer(5).kind() == "dropout");
  ParamStore store;
  net.declare(store, "d.");
  store.finalize();
  CHECK(store.count() == 6);
  spec.dropout = 0.0f;
  CHECK(build_mlp(spec).size() == 5);
}
