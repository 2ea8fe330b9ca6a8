// One VAE step and one GAN iteration against PyTorch (make_model_fixtures.py): every parameter
// gradient and the parameters after one Adam step, tensor by tensor.
#include <doctest/doctest.h>

#include "genlab/models/gan.hpp"
#include "genlab/models/vae.hpp"
#include "reference/fixture.hpp"
#include "reference/model_fixture.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::models;

namespace {

using test::Fixture;

const Tensor2& get(const Fixture& f, const std::string& name) { return test::fixture_tensor(f, name); }
void load(ParamStore& store, const Fixture& f) { test::load_store(store, f); }

void compare_store(const ParamStore& store, const Fixture& f, const std::string& prefix, bool grads) {
  for (std::size_t id = 0; id < store.count(); ++id) {
    const auto& e = store.entry(id);
    const float* ours = grads ? store.grad(id) : store.value(id);
    test::check_all_close(ours, get(f, prefix + e.name).data(), e.size, 2e-6, 1e-4, prefix + e.name);
  }
}

}  // namespace

TEST_CASE("a VAE step matches PyTorch: loss terms, every gradient, one Adam step") {
  const Fixture f = test::read_fixture(std::string(GENLAB_FIXTURE_DIR) + "/vae_fixture.txt");
  const VaeSpec s = test::fixture_vae_spec();
  Rng rng(1u);
  Vae vae(s, rng);
  load(vae.params(), f);
  vae.params().zero_grad();
  const VaeLoss l = vae.loss_and_grad(get(f, "x"), get(f, "eps"));
  CHECK(l.recon == doctest::Approx(get(f, "recon")(0, 0)).epsilon(1e-5));
  CHECK(l.kl == doctest::Approx(get(f, "kl")(0, 0)).epsilon(1e-5));
  CHECK(l.loss == doctest::Approx(get(f, "loss")(0, 0)).epsilon(1e-5));
  compare_store(vae.params(), f, "d", true);
  vae.optimizer().step(vae.params());
  compare_store(vae.params(), f, "adam_", false);
}

TEST_CASE("a GAN iteration matches PyTorch: packed D step with smoothing, then G step") {
  const Fixture f = test::read_fixture(std::string(GENLAB_FIXTURE_DIR) + "/gan_fixture.txt");
  const GanSpec s = test::fixture_gan_spec();
  Rng rng(1u);
  Gan gan(s, rng);
  load(gan.g_params(), f);
  load(gan.d_params(), f);

  Tensor2 fake;
  gan.generate(get(f, "z"), fake);
  test::check_all_close(fake.data(), get(f, "fake").data(), fake.size(), 1e-6, 1e-5, "G(z)");
  gan.d_params().zero_grad();
  const GanStats d = gan.d_loss_and_grad(get(f, "real"), fake);
  CHECK(d.d_loss == doctest::Approx(get(f, "d_loss")(0, 0)).epsilon(1e-5));
  compare_store(gan.d_params(), f, "d", true);
  gan.d_optimizer().step(gan.d_params());
  compare_store(gan.d_params(), f, "adam_", false);

  gan.g_params().zero_grad();
  const Tensor1 d_grads_before = gan.d_params().grads();
  const GanStats g = gan.g_loss_and_grad(get(f, "z2"));
  CHECK(g.g_loss == doctest::Approx(get(f, "g_loss")(0, 0)).epsilon(1e-5));
  compare_store(gan.g_params(), f, "d", true);
  CHECK(gan.d_params().grad_norm() > 0.0);
  CHECK(gan.d_params().grads() == d_grads_before);  // G's pass through D adds nothing to D's gradients
  gan.g_optimizer().step(gan.g_params());
  compare_store(gan.g_params(), f, "adam_", false);
}
