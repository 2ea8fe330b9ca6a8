// Whole-model gradient checks against central differences of the loss value: the VAE with every
// likelihood, the GAN with every loss (D and G sides, with packing).
#include <doctest/doctest.h>

#include "genlab/models/gan.hpp"
#include "genlab/models/vae.hpp"
#include "support/store_check.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::models;

using test::check_store;

TEST_CASE("VAE gradients match finite differences for every likelihood") {
  struct Case { const char* name; Likelihood lik; bool learned; };
  for (const Case& c : {Case{"bernoulli", Likelihood::Bernoulli, false}, Case{"gaussian-fixed", Likelihood::Gaussian, false},
                        Case{"gaussian-learned", Likelihood::Gaussian, true}}) {
    VaeSpec s;
    s.in = 5;
    s.latent = 2;
    s.enc_hidden = {6};
    s.dec_hidden = {4};
    s.act = nn::Act::Tanh;
    s.likelihood = c.lik;
    s.learned_var = c.learned;
    s.fixed_logvar = -1.0f;
    s.beta = 0.7f;
    Rng rng(3u);
    Vae vae(s, rng);
    const Tensor2 x = test::random_tensor(rng, 3, 5, 0.0f, 1.0f);
    const Tensor2 eps = test::random_tensor(rng, 3, 2, -1.5f, 1.5f);
    check_store(vae.params(), [&] { return double(vae.loss_and_grad(x, eps).loss); }, c.name);
  }
}

TEST_CASE("a convolutional VAE's gradients match finite differences (Bernoulli, and Gaussian with learned variance)") {
  for (const bool gaussian : {false, true}) {
    VaeSpec s;
    s.conv = true;
    s.side = 8;
    s.in = 64;
    s.latent = 2;
    s.enc_hidden = {2, 3};  // channels at 4×4 and 2×2
    s.dec_hidden = {3, 2};  // channels at 2×2 and 4×4
    s.act = nn::Act::Tanh;
    s.likelihood = gaussian ? Likelihood::Gaussian : Likelihood::Bernoulli;
    s.learned_var = gaussian;
    s.beta = 0.7f;
    Rng rng(4u);
    Vae vae(s, rng);
    // The decoder's last layer writes the means' plane, then (Gaussian) the log σ² plane.
    CHECK(vae.arch().net("dec").layers.back().out_img.c == (gaussian ? 2u : 1u));
    const Tensor2 x = test::random_tensor(rng, 3, 64, 0.0f, 1.0f);
    const Tensor2 eps = test::random_tensor(rng, 3, 2, -1.5f, 1.5f);
    check_store(vae.params(), [&] { return double(vae.loss_and_grad(x, eps).loss); },
                gaussian ? "conv gaussian" : "conv bernoulli");
  }
}

TEST_CASE("KL warm-up ramps beta linearly with the step count") {
  VaeSpec s;
  s.in = 4;
  s.latent = 2;
  s.beta = 2.0f;
  s.kl_warmup = 10;
  s.likelihood = Likelihood::Gaussian;
  Rng rng(1u);
  Vae vae(s, rng);
  CHECK(vae.beta_now() == 0.0f);
  const Tensor2 x = test::random_tensor(rng, 8, 4);
  for (int i = 0; i < 5; ++i) vae.train_step(x, rng);
  CHECK(vae.beta_now() == doctest::Approx(1.0f));
  for (int i = 0; i < 10; ++i) vae.train_step(x, rng);
  CHECK(vae.beta_now() == 2.0f);
}

namespace {

// G's fake batch for z, then finite differences of D's loss (real against it) and of G's loss.
void check_gan_gradients(Gan& gan, const Tensor2& real, const Tensor2& z, const std::string& name) {
  Tensor2 fake;
  gan.generate(z, fake);
  check_store(gan.d_params(), [&] { return double(gan.d_loss_and_grad(real, fake).d_loss); }, name + " D");
  check_store(gan.g_params(), [&] { return double(gan.g_loss_and_grad(z).g_loss); }, name + " G");
}

// A conv GAN on 8×8 images, noise 3, tanh hidden activations, sigmoid output.
GanSpec small_conv_gan(std::vector<std::size_t> g_hidden, std::vector<std::size_t> d_hidden) {
  GanSpec s;
  s.side = 8;
  s.data_dim = 64;
  s.conv = true;
  s.noise = 3;
  s.g_hidden = std::move(g_hidden);
  s.d_hidden = std::move(d_hidden);
  s.g_act = nn::Act::Tanh;
  s.d_act = nn::Act::Tanh;
  s.g_out = nn::Act::Sigmoid;
  return s;
}

}  // namespace

TEST_CASE("GAN gradients match finite differences for every loss, D and G side, packed") {
  for (GanLoss loss : {GanLoss::Minimax, GanLoss::NonSaturating, GanLoss::LeastSquares, GanLoss::Hinge,
                       GanLoss::Wasserstein}) {
    GanSpec s;
    s.data_dim = 2;
    s.noise = 3;
    s.g_hidden = {5};
    s.d_hidden = {6};
    s.g_act = nn::Act::Tanh;
    s.d_act = nn::Act::Tanh;
    s.loss = loss;
    s.pack = 2;
    s.label_smooth = loss == GanLoss::NonSaturating ? 0.1f : 0.0f;
    Rng rng(5u);
    Gan gan(s, rng);
    if (loss == GanLoss::Hinge) {
      // Keep D's scores near 0, i.e. margins 1 ± a far from the hinge's kink: on purpose, the
      // finite difference would otherwise straddle it for some draws.
      auto& w = gan.d_params().values();
      w *= 0.05f;
    }
    const Tensor2 real = test::random_tensor(rng, 4, 2);
    const Tensor2 z = test::random_tensor(rng, 4, 3);
    check_gan_gradients(gan, real, z, "loss " + std::to_string(static_cast<int>(loss)));
  }
}

TEST_CASE("a convolutional GAN's gradients match finite differences, D packed two images as two channels") {
  GanSpec s = small_conv_gan({3, 2}, {2, 3});  // G: 3 at 2×2, 2 at 4×4; D: 2 at 4×4, 3 at 2×2
  s.pack = 2;
  Rng rng(6u);
  Gan gan(s, rng);
  const ArchSpec& a = gan.arch();
  CHECK(a.net("D").layers.front().in_img.c == 2);
  CHECK(a.net("G").out() == 64);
  const Tensor2 real = test::random_tensor(rng, 4, 64, 0.0f, 1.0f);
  const Tensor2 z = test::random_tensor(rng, 4, 3);
  check_gan_gradients(gan, real, z, "conv");
}

TEST_CASE("a convolutional GAN with three widths: the stride-1 3×3 stages' shapes and gradients") {
  // G: 3 at 2×2, ConvT 3→2 k3 s1 at 2×2, then 2 at 4×4; D: 2 at 4×4, 3 at 2×2, Conv 3→2 k3 s1 at 2×2
  GanSpec s = small_conv_gan({3, 2, 2}, {2, 3, 2});
  s.batch_norm = true;
  Rng rng(7u);
  Gan gan(s, rng);
  const ArchSpec& a = gan.arch();
  auto convs = [](const nn::NetSpec& net) {
    std::vector<nn::LayerSpec> out;
    for (const auto& l : net.layers)
      if (l.kind == nn::LayerKind::Conv2d || l.kind == nn::LayerKind::ConvTranspose2d) out.push_back(l);
    return out;
  };
  const auto g = convs(a.net("G")), d = convs(a.net("D"));
  REQUIRE(g.size() == 3);
  REQUIRE(d.size() == 3);
  CHECK((g[0].k == 3 && g[0].stride == 1 && g[0].pad == 1 && g[0].in_img.c == 3 && g[0].out_img.c == 2 &&
         g[0].out_img.h == 2 && g[0].out_img.w == 2));
  CHECK((g[1].stride == 2 && g[1].out_img.h == 4 && g[2].out_img.h == 8));
  CHECK((d[2].k == 3 && d[2].stride == 1 && d[2].pad == 1 && d[2].in_img.c == 3 && d[2].out_img.c == 2 &&
         d[2].out_img.h == 2));
  CHECK(a.net("D").layers.back().in == 2u * 2 * 2);
  const Tensor2 real = test::random_tensor(rng, 4, 64, 0.0f, 1.0f);
  const Tensor2 z = test::random_tensor(rng, 4, 3);
  check_gan_gradients(gan, real, z, "3-width");
}

TEST_CASE("the minimax generator loss is the saturating E log(1 − D(G(z)))") {
  GanSpec s;
  s.data_dim = 2;
  s.noise = 2;
  s.g_hidden = {4};
  s.d_hidden = {4};
  s.loss = GanLoss::Minimax;
  Rng rng(9u);
  Gan gan(s, rng);
  const Tensor2 z = test::random_tensor(rng, 6, 2);
  Tensor2 x, p;
  gan.generate(z, x);
  gan.discriminate(x, p);
  double expected = 0.0;
  for (float d : p) expected += std::log(1.0 - d);
  CHECK(gan.g_loss_and_grad(z).g_loss == doctest::Approx(expected / 6.0).epsilon(1e-4));
}

TEST_CASE("wgan keeps every critic weight inside the clipping bound") {
  GanSpec s;
  s.data_dim = 2;
  s.noise = 2;
  s.g_hidden = {8};
  s.d_hidden = {8};
  s.loss = GanLoss::Wasserstein;
  s.wgan_clip = 0.05f;
  s.d_opt.lr = 0.5f;
  Rng rng(2u);
  Gan gan(s, rng);
  const Tensor2 real = test::random_tensor(rng, 16, 2);
  for (int i = 0; i < 3; ++i) gan.d_step(real, rng);
  for (float w : gan.d_params().values()) CHECK(std::fabs(w) <= 0.05f);
}

TEST_CASE("discriminate judges single points; packing needs whole groups") {
  GanSpec s;
  s.data_dim = 2;
  s.noise = 2;
  s.g_hidden = {4};
  s.d_hidden = {4};
  s.pack = 3;
  Rng rng(4u);
  Gan gan(s, rng);
  const Tensor2 pts = test::random_tensor(rng, 5, 2);
  Tensor2 out;
  gan.discriminate(pts, out);
  CHECK(rows(out) == 5);
  for (float v : out) {
    CHECK(v > 0.0f);
    CHECK(v < 1.0f);
  }
  CHECK_THROWS_AS(gan.d_step(test::random_tensor(rng, 4, 2), rng), std::invalid_argument);
}

TEST_CASE("D's dropout is on only in training steps: every other use of D sees all units") {
  GanSpec s;
  s.data_dim = 2;
  s.noise = 2;
  s.g_hidden = {8};
  s.d_hidden = {16, 16};
  s.d_dropout = 0.5f;
  GanSpec plain = s;
  plain.d_dropout = 0.0f;
  Rng ra(6u), rb(6u);
  Gan a(s, ra), b(plain, rb);  // dropout layers draw nothing at init: the same weights
  const Tensor2 pts = test::random_tensor(ra, 8, 2);
  Tensor2 oa, ob;
  a.discriminate(pts, oa);
  b.discriminate(pts, ob);
  for (std::size_t i = 0; i < oa.size(); ++i) CHECK(oa.data()[i] == ob.data()[i]);
  // A training step draws masks from its RNG, so it consumes more of it than without dropout.
  Rng sa(7u), sb(7u);
  a.d_step(pts, sa);
  b.d_step(pts, sb);
  CHECK(sa.state() != sb.state());
  a.discriminate(pts, oa);
  Tensor2 again;
  a.discriminate(pts, again);
  for (std::size_t i = 0; i < oa.size(); ++i) CHECK(oa.data()[i] == again.data()[i]);  // off after the step
}
