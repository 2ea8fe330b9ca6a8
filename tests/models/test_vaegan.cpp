// The VAE-GAN (Larsen et al. 2016): each network's gradient against central differences of its own
// objective (the encoder's β·KL + L_llike, the decoder's γ·L_llike + G's loss, D's GAN loss), the
// feature-space reconstruction against a direct computation, and the settings it refuses.
#include <doctest/doctest.h>

#include <cmath>

#include "genlab/models/registry.hpp"
#include "genlab/models/vaegan.hpp"
#include "support/store_check.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::models;

using test::check_store;

namespace {

VaeGanSpec small_mlp(GanLoss loss) {
  VaeGanSpec s;
  s.in = 5;
  s.latent = 2;
  s.enc_hidden = {6};
  s.dec_hidden = {4};
  s.d_hidden = {5, 3};
  s.feature_layer = 2;  // the features: D's second hidden layer (3 wide)
  s.act = nn::Act::Tanh;
  s.d_act = nn::Act::Tanh;
  s.out = nn::Act::Sigmoid;
  s.beta = 0.7f;
  s.gamma = 0.4f;
  s.loss = loss;
  return s;
}

// Finite differences of the three objectives, each over its own network's parameters.
void check_vaegan_gradients(VaeGan& m, const Tensor2& x, const Tensor2& eps, const Tensor2& zp, const std::string& name) {
  const float gamma = m.spec().gamma;
  check_store(m.enc_params(), [&] { return double(m.loss_and_grad(x, eps, zp).loss); }, name + " enc");
  check_store(
      m.dec_params(),
      [&] {
        const VaeGanLoss l = m.loss_and_grad(x, eps, zp);
        return double(gamma) * l.llike + l.g_loss;
      },
      name + " dec");
  check_store(m.d_params(), [&] { return double(m.loss_and_grad(x, eps, zp).d_loss); }, name + " D");
}

}  // namespace

TEST_CASE("VAE-GAN gradients match finite differences: encoder, decoder and D, each on its own objective") {
  for (GanLoss loss : {GanLoss::NonSaturating, GanLoss::Minimax, GanLoss::LeastSquares, GanLoss::Hinge}) {
    VaeGanSpec s = small_mlp(loss);
    s.label_smooth = loss == GanLoss::NonSaturating ? 0.1f : 0.0f;
    Rng rng(11u);
    VaeGan m(s, rng);
    if (loss == GanLoss::Hinge) {
      // D's scores near 0 keep the hinge's kinks (at ±1) out of the finite differences' reach.
      auto& w = m.d_params().values();
      w *= 0.05f;
    }
    const Tensor2 x = test::random_tensor(rng, 4, 5, 0.0f, 1.0f);
    const Tensor2 eps = test::random_tensor(rng, 4, 2, -1.5f, 1.5f);
    const Tensor2 zp = test::random_tensor(rng, 4, 2, -1.5f, 1.5f);
    check_vaegan_gradients(m, x, eps, zp, "loss " + gan_loss_name(loss));
  }
}

TEST_CASE("a convolutional VAE-GAN's gradients match finite differences") {
  VaeGanSpec s = small_mlp(GanLoss::NonSaturating);
  s.conv = true;
  s.side = 8;
  s.in = 64;
  s.enc_hidden = {2, 3};  // channels at 4×4 and 2×2
  s.dec_hidden = {3, 2};  // channels at 2×2 and 4×4
  s.d_hidden = {2, 3};    // the features: D's first conv stage, 2 channels at 4×4
  s.feature_layer = 1;
  Rng rng(12u);
  VaeGan m(s, rng);
  CHECK(m.arch().net("D").layers.back().in == 3u * 2 * 2);
  CHECK(m.arch().net("dec").out() == 64u);
  const Tensor2 x = test::random_tensor(rng, 3, 64, 0.0f, 1.0f);
  const Tensor2 eps = test::random_tensor(rng, 3, 2, -1.5f, 1.5f);
  const Tensor2 zp = test::random_tensor(rng, 3, 2, -1.5f, 1.5f);
  check_vaegan_gradients(m, x, eps, zp, "conv");
}

TEST_CASE("the VAE-GAN's reconstruction term is ½‖f(x̃) − f(x)‖² in D's first hidden layer, and its KL the VAE's") {
  VaeGanSpec s = small_mlp(GanLoss::NonSaturating);
  s.d_hidden = {3, 4};  // f(x) = tanh(W₀ x + b₀), computed here from D's stored weights
  s.feature_layer = 1;
  Rng rng(13u);
  VaeGan m(s, rng);
  const std::size_t B = 3, D = 5, F = 3, L = 2;
  const Tensor2 x = test::random_tensor(rng, B, D, 0.0f, 1.0f);
  const Tensor2 eps = test::random_tensor(rng, B, L, -1.5f, 1.5f);
  const Tensor2 zp = test::random_tensor(rng, B, L);
  Tensor2 mu, logvar, z({B, L}), x_tilde;
  m.encode(x, mu, logvar);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t l = 0; l < L; ++l) z(r, l) = mu(r, l) + eps(r, l) * std::exp(0.5f * logvar(r, l));
  m.decode(z, x_tilde);
  const ParamStore& p = m.d_params();
  const float* W = p.values().data() + p.entry(p.find("D.0.W")).offset;  // (F, D)
  const float* b = p.values().data() + p.entry(p.find("D.0.b")).offset;
  auto f = [&](const Tensor2& a, std::size_t r, std::size_t j) {
    double v = b[j];
    for (std::size_t d = 0; d < D; ++d) v += double(W[j * D + d]) * a(r, d);
    return std::tanh(v);
  };
  double llike = 0.0, kl = 0.0;
  for (std::size_t r = 0; r < B; ++r) {
    for (std::size_t j = 0; j < F; ++j) llike += 0.5 * std::pow(f(x_tilde, r, j) - f(x, r, j), 2);
    for (std::size_t l = 0; l < L; ++l)
      kl += 0.5 * (double(mu(r, l)) * mu(r, l) + std::exp(double(logvar(r, l))) - 1.0 - logvar(r, l));
  }
  const VaeGanLoss got = m.loss_and_grad(x, eps, zp);
  CHECK(got.llike == doctest::Approx(llike / B).epsilon(1e-4));
  CHECK(got.kl == doctest::Approx(kl / B).epsilon(1e-4));
  CHECK(got.loss == doctest::Approx(got.llike + s.beta * got.kl).epsilon(1e-5));
}

TEST_CASE("γ = 0: the decoder follows its GAN loss alone, and the encoder still its reconstruction") {
  VaeGanSpec s = small_mlp(GanLoss::LeastSquares);
  s.gamma = 0.0f;
  Rng rng(14u);
  VaeGan m(s, rng);
  const Tensor2 x = test::random_tensor(rng, 4, 5, 0.0f, 1.0f);
  const Tensor2 eps = test::random_tensor(rng, 4, 2, -1.5f, 1.5f);
  const Tensor2 zp = test::random_tensor(rng, 4, 2, -1.5f, 1.5f);
  check_vaegan_gradients(m, x, eps, zp, "gamma 0");
}

TEST_CASE("a VAE-GAN trains: its three networks step, and the losses stay finite") {
  Config c;
  c.model = "vaegan";
  c.dataset = "ring8";
  c.latent = 2;
  c.enc_hidden = {16};
  c.dec_hidden = {16};
  c.d_hidden = {16, 16};
  validate(c);
  Rng init(3u), rng(4u);
  auto model = make_model(c, init);
  REQUIRE(model->networks().size() == 3);
  const Tensor1 before = model->networks()[1].params->values();
  Tensor2 x = test::random_tensor(rng, 32, 2);
  auto& m = dynamic_cast<VaeGan&>(*model);
  for (int i = 0; i < 5; ++i) {
    const VaeGanLoss l = m.train_step(x, rng);
    CHECK(std::isfinite(l.loss));
    CHECK(std::isfinite(l.d_loss));
  }
  for (const Network& n : model->networks()) CHECK(n.optimizer->steps() == 5);
  const Tensor1& after = model->networks()[1].params->values();
  double moved = 0;
  for (std::size_t i = 0; i < after.size(); ++i) moved += std::fabs(after[i] - before[i]);
  CHECK(moved > 0.0);
  CHECK(model->critic() != nullptr);
  CHECK(model->autoencoder() != nullptr);
}

TEST_CASE("VAE-GAN settings: the ones that do not apply are refused by name") {
  Config c;
  c.model = "vaegan";
  c.dataset = "mnist28";
  c.d_hidden = {};
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("d_hidden"), ConfigError);
  c.d_hidden = {64};
  c.feature_layer = 2;
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("beyond D's 1 hidden layers"), ConfigError);
  c.feature_layer = 1;
  c.loss = "wgan";
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("wgan"), ConfigError);
  c.loss = "hinge";
  c.label_smooth = 0.1f;
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("cross-entropy"), ConfigError);
  c.label_smooth = 0.0f;
  CHECK_NOTHROW(validate(c));
  c.conditional = true;  // like every setting whose `when` fails: accepted, and it does nothing
  CHECK_NOTHROW(validate(c));
  CHECK(arch_of(c).classes == 0u);
  // Three networks: the encoder, the decoder and D, counted as the VAE's two and the GAN's D.
  const ArchSpec a = arch_of(c);
  REQUIRE(a.nets.size() == 3);
  CHECK(a.parameter_count() == a.net("enc").parameter_count() + a.net("dec").parameter_count() +
                                   a.net("D").parameter_count());
  CHECK(a.net("D").out() == 1u);
  CHECK(a.net("dec").layers.back().act == nn::Act::Sigmoid);
}

TEST_CASE("a VAE-GAN retunes γ, β, the loss and the rates live, and refuses a new D") {
  Config c;
  c.model = "vaegan";
  c.dataset = "ring8";
  c.d_hidden = {8, 8};
  Rng init(5u);
  auto model = make_model(c, init);
  auto& m = dynamic_cast<VaeGan&>(*model);
  c.gamma = 0.25f;
  c.beta = 3.0f;
  c.loss = "lsgan";
  c.d_lr = 0.05f;
  model->retune(c);
  CHECK(m.spec().gamma == 0.25f);
  CHECK(m.beta_now() == 3.0f);
  CHECK(m.spec().loss == GanLoss::LeastSquares);
  CHECK(m.spec().d_opt.lr == 0.05f);
  CHECK(model->arch().head == "score");  // lsgan's D gives a raw score
  c.d_hidden = {8, 9};
  CHECK_THROWS_AS(model->retune(c), std::invalid_argument);
  c.d_hidden = {8, 8};
  c.feature_layer = 2;
  CHECK_THROWS_AS(model->retune(c), std::invalid_argument);
}
