// Ten training iterations of each model kind against PyTorch (tests/reference/
// make_trajectory_fixtures.py): the same batches and the same noise, replayed through the models'
// real train_iteration; every iteration's losses and the weights (and G's moving average) at the
// end must agree. A wrong loss, target, step count, β schedule or average changes the trajectory;
// for the VAE-GAN also a wrong feature layer, γ, or a gradient sent to the wrong network.
#include <doctest/doctest.h>

#include <deque>
#include <string>

#include "genlab/models/gan.hpp"
#include "genlab/models/vae.hpp"
#include "genlab/models/vaegan.hpp"
#include "reference/fixture.hpp"
#include "reference/model_fixture.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::models;

namespace {

using test::Fixture;

const Fixture& fixture() {
  static const Fixture f = test::read_fixture(std::string(GENLAB_FIXTURE_DIR) + "/trajectory_fixture.txt");
  return f;
}

const Tensor2& get(const std::string& name) { return test::fixture_tensor(fixture(), name); }

// The fixture's batches, in order: <case>.<what>.0, .1, …
class FixtureBatches final : public DataStream {
 public:
  explicit FixtureBatches(std::string prefix) : prefix_(std::move(prefix)) {}
  const Tensor2& next() override { return get(prefix_ + std::to_string(n_++)); }
  int used() const { return n_; }

 private:
  std::string prefix_;
  int n_ = 0;
};

// Replays <case>.noise.0, .1, … into the model's noise draws, checking each draw's shape.
void replay(Model& m, const std::string& c, int& draws) {
  m.replay_noise([c, &draws](Tensor2& z) {
    const Tensor2& src = get(c + ".noise." + std::to_string(draws++));
    REQUIRE(z.shape() == src.shape());
    std::copy(src.begin(), src.end(), z.begin());
  });
}

void load(ParamStore& store, const std::string& prefix) { test::load_store(store, fixture(), prefix); }

void compare(const ParamStore& store, const float* values, const std::string& prefix) {
  for (std::size_t id = 0; id < store.count(); ++id) {
    const auto& e = store.entry(id);
    const float* ours = values + (store.value(id) - store.values().data());
    test::check_all_close(ours, get(prefix + e.name).data(), e.size, 2e-5, 2e-4, prefix + e.name);
  }
}

constexpr int kSteps = 10;

}  // namespace

TEST_CASE("ten VAE steps follow PyTorch: losses per step (β warm-up included) and final weights") {
  VaeSpec s = test::fixture_vae_spec();  // the fixture's VAE, with β warmed up over 4 steps
  s.kl_warmup = 4;
  Rng init(1u), rng(2u);
  Vae vae(s, init);
  load(vae.params(), "vae.init.");
  int draws = 0;
  replay(vae, "vae", draws);
  FixtureBatches data("vae.x.");
  for (int t = 0; t < kSteps; ++t) {
    CAPTURE(t);
    const StepStats st = vae.train_iteration(data, rng);
    CHECK(st.loss == doctest::Approx(get("vae.loss")(0, t)).epsilon(1e-4));
    CHECK(st.recon == doctest::Approx(get("vae.recon")(0, t)).epsilon(1e-4));
    CHECK(st.kl == doctest::Approx(get("vae.kl")(0, t)).epsilon(1e-4));
  }
  CHECK(draws == kSteps);
  CHECK(data.used() == kSteps);
  compare(vae.params(), vae.params().values().data(), "vae.final.");
}

TEST_CASE("ten GAN iterations follow PyTorch for every loss: k_D = 2, k_G = 1, packing, smoothing, G's average") {
  for (const char* loss : {"minimax", "nonsaturating", "lsgan", "hinge"}) {
    const std::string c = std::string("gan_") + loss;
    CAPTURE(c);
    GanSpec s = test::fixture_gan_spec();  // smoothing 0.1 applies to the cross-entropy losses only
    s.loss = parse_gan_loss(loss);
    s.k_d = 2;
    s.k_g = 1;
    s.batch = 4;
    s.g_ema = 0.9f;
    Rng init(1u), rng(2u);
    Gan gan(s, init);
    load(gan.g_params(), c + ".init.");
    load(gan.d_params(), c + ".init.");
    gan.g_ema_values() = gan.g_params().values();  // the average starts at G's (loaded) initial weights
    int draws = 0;
    replay(gan, c, draws);
    FixtureBatches data(c + ".real.");
    for (int t = 0; t < kSteps; ++t) {
      CAPTURE(t);
      const StepStats st = gan.train_iteration(data, rng);
      CHECK(st.d_loss == doctest::Approx(get(c + ".d_loss")(0, t)).epsilon(1e-4));
      CHECK(st.g_loss == doctest::Approx(get(c + ".g_loss")(0, t)).epsilon(1e-4));
    }
    CHECK(data.used() == 2 * kSteps);  // k_D real batches per iteration
    CHECK(draws == 3 * kSteps);        // k_D + k_G noise draws per iteration
    compare(gan.g_params(), gan.g_params().values().data(), c + ".final.");
    compare(gan.d_params(), gan.d_params().values().data(), c + ".final.");
    compare(gan.g_params(), gan.g_ema_values().data(), c + ".ema.");
  }
}

TEST_CASE("ten VAE-GAN steps follow PyTorch: three objectives, features of D's second layer, β warm-up, γ") {
  const VaeGanSpec s = test::fixture_vaegan_spec();
  Rng init(1u), rng(2u);
  VaeGan m(s, init);
  for (ParamStore* p : {&m.enc_params(), &m.dec_params(), &m.d_params()}) load(*p, "vaegan.init.");
  int draws = 0;
  replay(m, "vaegan", draws);
  FixtureBatches data("vaegan.x.");
  for (int t = 0; t < kSteps; ++t) {
    CAPTURE(t);
    const StepStats st = m.train_iteration(data, rng);
    CHECK(st.loss == doctest::Approx(get("vaegan.loss")(0, t)).epsilon(1e-4));
    CHECK(st.recon == doctest::Approx(get("vaegan.llike")(0, t)).epsilon(1e-4));
    CHECK(st.kl == doctest::Approx(get("vaegan.kl")(0, t)).epsilon(1e-4));
    CHECK(st.d_loss == doctest::Approx(get("vaegan.d_loss")(0, t)).epsilon(1e-4));
    CHECK(st.g_loss == doctest::Approx(get("vaegan.g_loss")(0, t)).epsilon(1e-4));
    CHECK(st.d_real == doctest::Approx(get("vaegan.d_real")(0, t)).epsilon(1e-4));
    CHECK(st.d_fake == doctest::Approx(get("vaegan.d_fake")(0, t)).epsilon(1e-4));
  }
  CHECK(draws == 2 * kSteps);  // ε, then z_p, per step
  CHECK(data.used() == kSteps);
  for (ParamStore* p : {&m.enc_params(), &m.dec_params(), &m.d_params()})
    compare(*p, p->values().data(), "vaegan.final.");
}
