#include <limits>
#include <stdexcept>

#include <doctest/doctest.h>

#include "genlab/core/param_store.hpp"

using genlab::ParamStore;

TEST_CASE("ParamStore lays tensors out in one buffer with named views") {
  ParamStore s;
  const auto W = s.declare("fc.W", {3, 5});
  const auto b = s.declare("fc.b", {3});
  s.finalize();
  CHECK(s.count() == 2);
  CHECK(s.entry(W).size == 15);
  CHECK(s.entry(b).offset % 16 == 0);
  CHECK(s.entry(b).offset >= 15);
  CHECK(s.find("fc.b") == b);
  CHECK_THROWS_AS(s.find("nope"), std::out_of_range);

  auto Wv = s.value_view(W);
  CHECK(Wv.shape()[0] == 3);
  CHECK(Wv.shape()[1] == 5);
  Wv(2, 4) = 7.0f;  // the view aliases the flat buffer
  CHECK(s.values()(s.entry(W).offset + 2 * 5 + 4) == 7.0f);

  auto gb = s.grad_view(b);
  gb(0, 1) = 3.0f;
  s.grad(W)[0] = 4.0f;
  CHECK(s.grad_norm() == doctest::Approx(5.0));
  s.zero_grad();
  CHECK(s.grad_norm() == 0.0);
}

TEST_CASE("ParamStore rejects misuse with clear errors") {
  ParamStore s;
  s.declare("a", {2});
  CHECK_THROWS_AS(s.declare("a", {2}), std::invalid_argument);
  CHECK_THROWS_AS(s.declare("c", {}), std::invalid_argument);
  CHECK_THROWS_AS(s.declare("d", {1, 2, 3, 4, 5}), std::invalid_argument);
  s.finalize();
  CHECK_THROWS_AS(s.declare("e", {2}), std::logic_error);
  CHECK_THROWS_AS(s.finalize(), std::logic_error);
}

TEST_CASE("ParamStore holds rank-4 tensors and untrained buffers that optimizers never see") {
  ParamStore s;
  const auto K = s.declare("conv.W", {4, 3, 5, 5});   // out, in, kh, kw
  const auto mean = s.declare_buffer("bn.mean", {4});
  const auto b = s.declare("conv.b", {4});
  s.finalize();
  CHECK(s.entry(K).size == 300);
  CHECK(s.parameter_count() == 304);     // buffers are not parameters
  CHECK(s.size() == 320);                // trained arrays: 300 → 304 floats padded, then 16
  CHECK(s.buffers().size() == 16);
  CHECK_FALSE(s.entry(mean).trainable);
  CHECK(s.entry(b).offset == 304);       // buffers take no room in the trained arrays
  auto Kv = s.value_view(K);             // rank 4 seen as out × (in·kh·kw)
  CHECK(Kv.shape()[0] == 4);
  CHECK(Kv.shape()[1] == 75);
  s.value(mean)[2] = 5.0f;
  CHECK(s.buffers()(2) == 5.0f);
  CHECK_THROWS_AS(s.grad(mean), std::logic_error);
  CHECK(s.all_finite());
  s.value(mean)[0] = std::numeric_limits<float>::quiet_NaN();
  CHECK_FALSE(s.all_finite());           // a NaN in a buffer counts too
}
