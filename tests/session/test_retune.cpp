// Live settings (Session::retune): a change of learning rate, β, loss variant, … applies to the
// running model at the next step and keeps its weights, optimizer state, step count and history;
// a setting that needs a new model is refused by name and changes nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>

#include "genlab/session.hpp"
#include "support/testutil.hpp"

using namespace genlab;

namespace {

Config gan_config() {
  Config c = preset("ring8-gan");
  c.g_hidden = {16};
  c.d_hidden = {16};
  c.batch = 32;
  return c;
}

Config vae_config() {
  Config c;
  c.model = "vae";
  c.dataset = "moons";
  c.enc_hidden = {16};
  c.dec_hidden = {16};
  c.batch = 32;
  return c;
}

bool same(const Tensor2& a, const Tensor2& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

TEST_CASE("every live key is one a running model can take; the rest are not live") {
  const std::vector<std::string> live = {"lr", "g_lr", "d_lr", "beta", "kl_warmup", "beta1", "beta2", "momentum", "rho",
                                         "weight_decay", "clip_norm", "k_d", "k_g", "label_smooth", "loss", "wgan_clip",
                                         "gamma"};
  for (const Field& f : schema())
    CHECK_MESSAGE(f.live == (std::find(live.begin(), live.end(), f.key) != live.end()), f.key);
}

TEST_CASE("retune keeps the weights, the step count and the history; training goes on from them") {
  for (const Config& base : {gan_config(), vae_config()}) {
    CAPTURE(base.model);
    Session a, b;
    a.configure(base);
    b.configure(base);
    a.train(30);
    b.train(30);
    const std::size_t points = a.history().size();

    // The same configuration again: no side effect at all, the next steps are bit-identical.
    a.retune(base);
    a.train(20);
    b.train(20);
    CHECK(same(a.samples(64), b.samples(64)));
    CHECK(a.steps() == 50);

    // A new learning rate: nothing moves until the next step, then the runs part.
    Config faster = base;
    if (base.model == "gan") faster.g_lr = base.g_lr * 10;
    else faster.lr = base.lr * 10;
    const Tensor2 mid = a.samples(64);
    a.retune(faster);
    CHECK(same(a.samples(64), mid));
    CHECK(a.steps() == 50);
    CHECK(a.history().size() >= points);
    CHECK(get_value(a.config(), base.model == "gan" ? "g_lr" : "lr") == get_value(faster, base.model == "gan" ? "g_lr" : "lr"));
    a.train(20);
    b.train(20);
    CHECK_FALSE(same(a.samples(64), b.samples(64)));
    CHECK(a.steps() == 70);
  }
}

TEST_CASE("the new live settings are the ones the next steps use") {
  // β: the VAE reports the β it trains with. The loss: a GAN retuned to least squares trains
  // exactly like the same model file retuned in a fresh session, and unlike the untouched one.
  Session v;
  v.configure(vae_config());
  v.train(10);
  CHECK(v.train(1).beta == doctest::Approx(1.0));
  Config v4 = vae_config();
  v4.beta = 4.0f;
  v.retune(v4);
  CHECK(v.train(1).beta == doctest::Approx(4.0));

  Config next = gan_config();
  next.loss = "lsgan";
  next.d_lr = 2e-4f;
  Session a;
  a.configure(gan_config());
  a.train(40);
  const std::vector<std::uint8_t> file = a.save_model();
  Session b, c;
  b.load_model(file.data(), file.size());
  c.load_model(file.data(), file.size());
  b.retune(next);
  const StepStats sb = b.train(25);
  Session b2;
  b2.load_model(file.data(), file.size());
  b2.retune(next);
  const StepStats sb2 = b2.train(25);
  const StepStats sc = c.train(25);
  CHECK(same(b.samples(64), b2.samples(64)));
  CHECK(sb.d_loss == sb2.d_loss);
  CHECK_FALSE(same(b.samples(64), c.samples(64)));
  CHECK(sb.d_loss != sc.d_loss);
  CHECK(get_value(b.config(), "loss") == "lsgan");
}

TEST_CASE("a setting that needs a new model is refused by name and changes nothing") {
  Session s;
  s.configure(gan_config());
  s.train(10);
  const auto bytes = s.save_model();
  auto refused = [&](Config c, const std::string& key) {
    try {
      s.retune(c);
      FAIL("retune accepted a change of ", key);
    } catch (const ConfigError& e) {
      CHECK(e.key() == key);
    }
    CHECK(s.save_model() == bytes);
  };
  Config c = gan_config();
  c.g_hidden = {32};
  refused(c, "g_hidden");
  c = gan_config();
  c.batch = 64;
  refused(c, "batch");
  c = gan_config();
  c.g_opt = "sgd";
  refused(c, "g_opt");
  c = gan_config();
  c.seed = 7;
  refused(c, "seed");
  c = gan_config();
  c.loss = "hinge";
  c.label_smooth = 0.1f;  // live keys, but together not valid: validate() names one, nothing changes
  CHECK_THROWS_AS(s.retune(c), ConfigError);
  CHECK(s.save_model() == bytes);
}
