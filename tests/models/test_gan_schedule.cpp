// The GAN's schedules, against definitions written out here: the moving average's warm-up
// (decay min(g_ema, (1 + t)/(N + t)) after t G steps), and the batch ramp (batch_start doubling
// every batch_every G steps up to batch, D on the first B rows of the stream's batch, G on B fresh
// samples, both learning rates times √(batch_start / B)), and the settings' checks.
#include <cmath>
#include <string>
#include <utility>

#include <doctest/doctest.h>

#include "genlab/config/config.hpp"
#include "genlab/models/gan.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::models;

namespace {

struct FixedStream final : DataStream {
  explicit FixedStream(Tensor2 b) : x(std::move(b)) {}
  const Tensor2& next() override { return x; }
  Tensor2 x;
};

GanSpec tiny_gan() {
  GanSpec s;
  s.data_dim = 2;
  s.noise = 3;
  s.g_hidden = {8};
  s.d_hidden = {8};
  s.batch = 16;
  s.pack = 2;
  s.g_opt.lr = 0.01f;
  s.d_opt.lr = 0.02f;
  return s;
}

Tensor2 first_rows(const Tensor2& x, std::size_t B) {
  Tensor2 out({B, cols(x)});
  for (std::size_t i = 0; i < B * cols(x); ++i) out.data()[i] = x.data()[i];
  return out;
}

}  // namespace

TEST_CASE("the average's warm-up: decay min(g_ema, (1 + t)/(N + t)) after the t-th G step") {
  GanSpec s = tiny_gan();
  s.g_ema = 0.75f;
  s.g_ema_warmup = 4;
  Rng rng(31u);
  Gan gan(s, rng);
  FixedStream data(test::random_tensor(rng, 16, 2));
  for (int t = 1; t <= 8; ++t) {
    INFO("G step " << t);
    const Tensor1 prev = gan.g_ema_values();
    gan.train_iteration(data, rng);
    // t = 1: 2/5, 2: 3/6, 3: 4/7, 4: 5/8, 5: 6/9, then 0.75 (7/10 > 0.75 from t = 8 on is capped)
    const double d = std::min(0.75, (1.0 + t) / (4.0 + t));
    const Tensor1& w = gan.g_params().values();
    Tensor1 want(w.shape());
    for (std::size_t i = 0; i < w.size(); ++i) want(i) = static_cast<float>(double(prev(i)) * d + (1.0 - d) * w(i));
    test::check_all_close(gan.g_ema_values().data(), want.data(), w.size(), 1e-7, 1e-5, "ema");
  }
}

TEST_CASE("the batch ramp: sizes, learning rates, and D on the first B rows of the batch") {
  GanSpec s = tiny_gan();
  s.batch_start = 4;
  s.batch_every = 2;
  GanSpec plain = tiny_gan();  // no ramp: the reference takes the same steps by hand
  Rng init_a(41u), init_b(41u);
  Gan ramp(s, init_a), ref(plain, init_b);
  REQUIRE(ramp.g_params().values() == ref.g_params().values());
  Rng data_rng(42u);
  FixedStream data(test::random_tensor(data_rng, 16, 2));
  const std::size_t want_B[] = {4, 4, 8, 8, 16, 16, 16};
  Rng rng_a(43u), rng_b(43u);
  for (int it = 0; it < 7; ++it) {
    const std::size_t B = want_B[it];
    INFO("iteration " << it << ", batch " << B);
    CHECK(ramp.batch_now() == B);
    ramp.train_iteration(data, rng_a);
    // The reference: the same rates, D on the first B rows, G on B samples.
    const float scale = std::sqrt(4.0f / static_cast<float>(B));
    ref.g_optimizer().config().lr = 0.01f * scale;
    ref.d_optimizer().config().lr = 0.02f * scale;
    ref.d_step(first_rows(data.x, B), rng_b);
    ref.g_step(B, rng_b);
    CHECK(ramp.g_optimizer().config().lr == doctest::Approx(0.01f * scale).epsilon(1e-6));
    CHECK(ramp.d_optimizer().config().lr == doctest::Approx(0.02f * scale).epsilon(1e-6));
    REQUIRE(ramp.d_params().values() == ref.d_params().values());
    REQUIRE(ramp.g_params().values() == ref.g_params().values());
  }
  CHECK(ref.batch_now() == 16);  // without a ramp: always the batch
}

TEST_CASE("a first batch at or above the batch is no ramp: the batch and the configured rates throughout") {
  GanSpec s = tiny_gan();
  s.batch_start = 32;  // above the batch
  Rng init(51u);
  Gan gan(s, init);
  FixedStream data(test::random_tensor(init, 16, 2));
  for (int it = 0; it < 3; ++it) {
    CHECK(gan.batch_now() == 16);
    gan.train_iteration(data, init);
    CHECK(gan.g_optimizer().config().lr == 0.01f);
    CHECK(gan.d_optimizer().config().lr == 0.02f);
  }
}

TEST_CASE("the ramp's settings are checked against batch and pack") {
  Config c;
  c.model = "gan";
  c.dataset = "ring8";
  c.batch = 64;
  c.pack = 4;
  c.batch_start = 16;
  CHECK_NOTHROW(validate(c));
  c.batch_start = 6;  // not a multiple of pack
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("batch_start: 6 is not a multiple of pack"), ConfigError);
  // At or above the batch there is no ramp (a smaller batch set over a preset that has one).
  c.batch_start = 130;
  CHECK_NOTHROW(validate(c));
  c.batch_start = 0;
  CHECK_NOTHROW(validate(c));
}
