// The models' arithmetic checked against definitions worked out here: the importance-weighted
// bound (k = 1 is the single-sample ELBO estimate with the same noise, k copies of one sample change
// nothing, k = 2 is a log-mean-exp), G's moving average step by step, the k_D and k_G steps of
// an iteration, and every preset's parameter count and tensor list against the built stores.
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/config/config.hpp"
#include "genlab/models/gan.hpp"
#include "genlab/models/registry.hpp"
#include "genlab/models/vae.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::models;

namespace {

constexpr double kLog2Pi = 1.8378770664093453;  // log 2π

VaeSpec small_vae(Likelihood lik, bool learned) {
  VaeSpec s;
  s.in = 6;
  s.latent = 2;
  s.enc_hidden = {5};
  s.dec_hidden = {4};
  s.act = nn::Act::Tanh;
  s.likelihood = lik;
  s.learned_var = learned;
  s.fixed_logvar = -1.0f;
  s.beta = 0.5f;  // the bound is always β = 1: the training β must not leak into it
  return s;
}

// The single-sample terms of every row r, from the model's encoder and decoder and the densities
// written out here: kl[r] = log q(z|x) − log p(z) at z = μ + σ·ε, and (when the decoder's mean
// says everything about p(x|z), i.e. Bernoulli or Gaussian with fixed variance) recon[r] = −log p(x|z).
struct SingleSample {
  std::vector<double> kl, recon;
};

SingleSample single_sample(Vae& vae, const Tensor2& x, const Tensor2& eps) {
  const VaeSpec& s = vae.spec();
  const std::size_t B = rows(x), L = s.latent, D = s.in;
  Tensor2 mu, lv, z({B, L}), mean;
  vae.encode(x, mu, lv);
  SingleSample out;
  for (std::size_t r = 0; r < B; ++r) {
    double log_q = 0.0, log_p = 0.0;
    for (std::size_t l = 0; l < L; ++l) {
      const float sd = std::exp(0.5f * lv(r, l));
      z(r, l) = mu(r, l) + eps(r, l) * sd;
      const double u = (double(z(r, l)) - mu(r, l)) / sd;  // = ε up to rounding
      log_q += -0.5 * (kLog2Pi + lv(r, l) + u * u);
      log_p += -0.5 * (kLog2Pi + double(z(r, l)) * z(r, l));
    }
    out.kl.push_back(log_q - log_p);
  }
  if (s.likelihood == Likelihood::Gaussian && s.learned_var) return out;
  vae.decode(z, mean);
  for (std::size_t r = 0; r < B; ++r) {
    double nll = 0.0;
    for (std::size_t d = 0; d < D; ++d) {
      const double t = x(r, d), m = mean(r, d);
      if (s.likelihood == Likelihood::Bernoulli)
        nll -= t * std::log(m) + (1.0 - t) * std::log1p(-m);
      else
        nll += 0.5 * (kLog2Pi + s.fixed_logvar + (t - m) * (t - m) / std::exp(double(s.fixed_logvar)));
    }
    out.recon.push_back(nll);
  }
  return out;
}

double mean_of(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

struct Likelihoods {
  const char* name;
  Likelihood lik;
  bool learned;
};
const Likelihoods kLikelihoods[] = {{"bernoulli", Likelihood::Bernoulli, false},
                                    {"gaussian-fixed", Likelihood::Gaussian, false},
                                    {"gaussian-learned", Likelihood::Gaussian, true}};

// The same batch every call; counts the calls.
struct CountingStream final : DataStream {
  explicit CountingStream(Tensor2 b) : x(std::move(b)) {}
  const Tensor2& next() override {
    ++calls;
    return x;
  }
  Tensor2 x;
  int calls = 0;
};

const Network& network(const std::vector<Network>& nets, const std::string& name) {
  for (const Network& n : nets)
    if (n.name == name) return n;
  FAIL("no network " << name);
  return nets.front();
}

}  // namespace

TEST_CASE("IWAE with k = 1 is the single-sample ELBO estimate with the same noise") {
  for (const Likelihoods& c : kLikelihoods) {
    INFO(std::string(c.name));
    Rng rng(11u);
    Vae vae(small_vae(c.lik, c.learned), rng);
    const Tensor2 x = test::random_tensor(rng, 3, 6, 0.0f, 1.0f);
    const Tensor2 eps = test::random_tensor(rng, 3, 2, -1.5f, 1.5f);
    const SingleSample ss = single_sample(vae, x, eps);
    const double iwae1 = vae.iwae_nll(x, std::vector<Tensor2>{eps});
    // −[log p(x|z) + log p(z) − log q(z|x)] = recon + (log q − log p), mean over rows, with the
    // reconstruction term the training loss computes on that same ε …
    const double recon = vae.loss_and_grad(x, eps).recon;
    CHECK(iwae1 == doctest::Approx(recon + mean_of(ss.kl)).epsilon(1e-5));
    // … and with −log p(x|z) written out from the decoder's mean.
    if (!ss.recon.empty()) {
      CHECK(recon == doctest::Approx(mean_of(ss.recon)).epsilon(1e-5));
      std::vector<double> bound(3);
      for (std::size_t r = 0; r < 3; ++r) bound[r] = ss.recon[r] + ss.kl[r];
      CHECK(iwae1 == doctest::Approx(mean_of(bound)).epsilon(1e-5));
    }
    // The sampled KL is not the closed form the training loss uses: the two must differ here, or
    // the comparison above would not tell them apart.
    CHECK(std::fabs(mean_of(ss.kl) - vae.loss_and_grad(x, eps).kl) > 1e-3);
  }
}

TEST_CASE("IWAE over k copies of one noise sample equals k = 1 (the −log k is there)") {
  for (const Likelihoods& c : kLikelihoods) {
    INFO(std::string(c.name));
    Rng rng(12u);
    Vae vae(small_vae(c.lik, c.learned), rng);
    const Tensor2 x = test::random_tensor(rng, 3, 6, 0.0f, 1.0f);
    const Tensor2 eps = test::random_tensor(rng, 3, 2, -1.5f, 1.5f);
    const double one = vae.iwae_nll(x, std::vector<Tensor2>{eps});
    for (std::size_t k : {2u, 3u, 5u}) {
      INFO("k = " << k);
      CHECK(vae.iwae_nll(x, std::vector<Tensor2>(k, eps)) == doctest::Approx(one).epsilon(1e-12));
    }
  }
}

TEST_CASE("IWAE with B = 1, k = 2 is −log of the mean of the two importance weights") {
  for (const Likelihoods& c : kLikelihoods) {
    INFO(std::string(c.name));
    Rng rng(13u);
    Vae vae(small_vae(c.lik, c.learned), rng);
    const Tensor2 x = test::random_tensor(rng, 1, 6, 0.0f, 1.0f);
    const Tensor2 e1 = {{-1.5f, 1.0f}}, e2 = {{1.5f, -1.2f}};
    // log w_j = log p(x|z_j) + log p(z_j) − log q(z_j|x): written out here when the likelihood
    // allows, else from the k = 1 bound checked in the case above.
    double logw[2];
    const Tensor2* eps[2] = {&e1, &e2};
    for (int j = 0; j < 2; ++j) {
      const SingleSample ss = single_sample(vae, x, *eps[j]);
      logw[j] = ss.recon.empty() ? -vae.iwae_nll(x, std::vector<Tensor2>{*eps[j]}) : -(ss.recon[0] + ss.kl[0]);
    }
    CHECK(std::fabs(logw[0] - logw[1]) > 0.05);  // two different weights, so the average matters
    const double want = -std::log(0.5 * (std::exp(logw[0]) + std::exp(logw[1])));
    CHECK(vae.iwae_nll(x, std::vector<Tensor2>{e1, e2}) == doctest::Approx(want).epsilon(1e-5));
    // A tighter bound than the average of the two single-sample ones (Jensen), looser than the best.
    CHECK(want < -0.5 * (logw[0] + logw[1]));
    CHECK(want > -std::max(logw[0], logw[1]));
  }
}

TEST_CASE("G's moving average follows ema ← d·ema + (1 − d)·w after every generator step") {
  GanSpec s;
  s.data_dim = 2;
  s.noise = 3;
  s.g_hidden = {8};
  s.d_hidden = {8};
  s.batch = 16;
  s.g_ema = 0.75f;
  s.g_opt.lr = 0.01f;  // steps large enough that the average visibly lags the weights
  Rng rng(21u);
  Gan gan(s, rng);
  const double d = s.g_ema;
  REQUIRE(gan.g_ema_values().size() == gan.g_params().values().size());
  CHECK(gan.g_ema_values() == gan.g_params().values());  // starts at the initial weights
  CountingStream data(test::random_tensor(rng, 16, 2));
  for (int it = 0; it < 5; ++it) {
    INFO("iteration " << it);
    const Tensor1 prev = gan.g_ema_values();
    gan.train_iteration(data, rng);
    const Tensor1& w = gan.g_params().values();
    const Tensor1& ema = gan.g_ema_values();
    Tensor1 want(w.shape());
    double moved = 0.0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      want(i) = static_cast<float>(double(prev(i)) * d + (1.0 - d) * double(w(i)));
      moved = std::max(moved, std::fabs(double(w(i)) - prev(i)));
    }
    REQUIRE(moved > 1e-3);  // the weights left the average behind: a plain copy would show
    test::check_all_close(ema.data(), want.data(), w.size(), 1e-7, 1e-5, "ema");
  }
}

TEST_CASE("an iteration takes k_D discriminator steps on k_D batches and k_G generator steps") {
  Config c;
  c.model = "gan";
  c.dataset = "ring8";
  c.g_hidden = {8};
  c.d_hidden = {8};
  c.batch = 16;
  c.k_d = 3;
  c.k_g = 2;
  validate(c);
  Rng rng(22u);
  const std::unique_ptr<Model> m = make_model(c, rng);
  CHECK(m->batches_per_iteration() == 3);
  CountingStream data(test::random_tensor(rng, 16, 2));
  const std::vector<Network> nets = m->networks();
  const optim::Optimizer& d_opt = *network(nets, "D").optimizer;
  const optim::Optimizer& g_opt = *network(nets, "G").optimizer;
  for (int it = 1; it <= 3; ++it) {
    INFO("iteration " << it);
    const StepStats st = m->train_iteration(data, rng);
    CHECK(st.steps == 1);
    CHECK(d_opt.steps() == 3 * it);
    CHECK(g_opt.steps() == 2 * it);
    CHECK(data.calls == 3 * it);
  }
  // One part at a time: "d" is one D step on one batch, "g" one G step.
  m->train_part("d", data, rng);
  CHECK(d_opt.steps() == 10);
  CHECK(data.calls == 10);
  m->train_part("g", data, rng);
  CHECK(g_opt.steps() == 7);
  CHECK(data.calls == 10);
}

TEST_CASE("every preset as every model kind: the spec's parameter count and tensors are the built stores'") {
  int built = 0;
  for (const std::string& p : preset_names())
    for (const ModelKind& kind : model_kinds()) {
      INFO(p << " as " << kind.name);
      Config c = preset(p);
      c.model = kind.name;
      REQUIRE_NOTHROW(validate(c));
      const ArchSpec a = arch_of(c);
      CHECK(a.model == kind.name);
      // The spec's tensors, and a count of its own: every Linear holds out·in weights and out
      // biases, a convolution (either way) IC·OC·k² weights and OC biases, batch normalisation γ
      // and β per channel.
      std::map<std::string, std::pair<std::vector<std::size_t>, bool>> spec_tensors, store_tensors;
      std::size_t by_layers = 0;
      for (const nn::NetSpec& net : a.nets) {
        for (const nn::LayerSpec& l : net.layers) {
          if (l.kind == nn::LayerKind::Linear) by_layers += l.out * l.in + l.out;
          if (l.kind == nn::LayerKind::Conv2d || l.kind == nn::LayerKind::ConvTranspose2d)
            by_layers += l.in_img.c * l.out_img.c * l.k * l.k + l.out_img.c;
          if (l.kind == nn::LayerKind::BatchNorm) by_layers += 2 * l.in_img.c;
        }
        for (const nn::ParamSpec& ps : net.params())
          CHECK(spec_tensors.emplace(ps.name, std::make_pair(ps.shape, ps.trainable)).second);
      }
      Rng rng(1u);
      const std::unique_ptr<Model> m = make_model(c, rng);
      std::size_t stored = 0;
      for (const Network& net : m->networks()) {
        stored += net.params->parameter_count();
        for (std::size_t id = 0; id < net.params->count(); ++id) {
          const ParamStore::Entry& e = net.params->entry(id);
          CHECK(store_tensors.emplace(e.name, std::make_pair(e.shape, e.trainable)).second);
        }
      }
      CHECK(a.parameter_count() == stored);
      CHECK(by_layers == stored);
      CHECK(parameter_count(c) == stored);
      CHECK(m->arch().parameter_count() == stored);
      CHECK(spec_tensors == store_tensors);
      ++built;
    }
  CHECK(built == static_cast<int>(preset_names().size() * model_kinds().size()));
  CHECK(built >= 4);
}

TEST_CASE("a conv VAE draws many samples in chunks with the bits of one pass per slice") {
  // The metrics ask for 2,000 samples; Vae::decode_sample splits them (a conv net's buffers grow
  // with the rows). Each slice below is small enough for one pass: the chunked call must give the
  // same bits, rows in place, and the decoder's noise drawn in the same order.
  VaeSpec s;
  s.conv = true;
  s.side = 8;
  s.in = 64;
  s.latent = 2;
  s.enc_hidden = {2, 3};
  s.dec_hidden = {3, 2};
  s.likelihood = Likelihood::Gaussian;
  s.learned_var = true;
  Rng rng(9u);
  Vae vae(s, rng);
  const std::size_t N = 700, slice = 100;
  const Tensor2 z = test::random_tensor(rng, N, 2, -2.0f, 2.0f);
  Tensor2 drawn;
  Rng noise(5u);
  vae.decode_sample(z, noise, drawn);
  Rng noise_slices(5u);
  bool same = rows(drawn) == N && cols(drawn) == 64;
  for (std::size_t first = 0; same && first < N; first += slice) {
    Tensor2 zs({slice, 2}), g;
    std::copy(z.data() + first * 2, z.data() + (first + slice) * 2, zs.data());
    vae.decode_sample(zs, noise_slices, g);
    for (std::size_t r = 0; r < slice; ++r)
      for (std::size_t j = 0; j < 64; ++j) same = same && g(r, j) == drawn(first + r, j);
  }
  CHECK(same);
}
