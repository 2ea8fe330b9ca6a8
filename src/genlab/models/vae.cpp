#include "genlab/models/vae.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "genlab/kernels/vec.hpp"
#include "genlab/nn/losses.hpp"

namespace genlab::models {
namespace {

constexpr double kLog2Pi = 1.83787706640934548356;

nn::Sequential make_net(std::size_t in, const std::vector<std::size_t>& hidden, std::size_t out, const VaeSpec& s) {
  nn::MlpSpec m;
  m.in = in;
  m.hidden = hidden;
  m.out = out;
  m.act = s.act;
  m.alpha = s.alpha;
  m.init = s.init;
  return nn::build_mlp(m);
}

}  // namespace

Vae::Vae(const VaeSpec& spec, Rng& init_rng) : spec_(spec) {
  if (spec.in == 0 || spec.latent == 0) throw std::invalid_argument("Vae: input and latent widths must be ≥ 1");
  const bool two_heads = spec.likelihood == Likelihood::Gaussian && spec.learned_var;
  enc_ = make_net(spec.in, spec.enc_hidden, 2 * spec.latent, spec);
  dec_ = make_net(spec.latent, spec.dec_hidden, two_heads ? 2 * spec.in : spec.in, spec);
  enc_.declare(store_, "enc.");
  dec_.declare(store_, "dec.");
  store_.finalize();
  enc_.bind(store_);
  dec_.bind(store_);
  enc_.init(store_, init_rng);
  dec_.init(store_, init_rng);
  opt_ = optim::make_optimizer(spec.opt);
}

float Vae::beta_now() const {
  if (spec_.kl_warmup <= 0) return spec_.beta;
  const double ramp = std::min(1.0, static_cast<double>(steps()) / static_cast<double>(spec_.kl_warmup));
  return static_cast<float>(spec_.beta * ramp);
}

// x (B, in), eps (B, L) → μ, log σ², σ, z (B, L) → decoder output (B, in or 2·in)
void Vae::forward(const Tensor2& x, const Tensor2& eps) {
  const std::size_t B = rows(x), L = spec_.latent;
  if (cols(x) != spec_.in) throw std::invalid_argument("Vae: input width " + std::to_string(cols(x)) +
                                                       ", expected " + std::to_string(spec_.in));
  const Tensor2& h = enc_.forward(x);
  ensure_shape(mu_, B, L);
  ensure_shape(logvar_, B, L);
  ensure_shape(std_, B, L);
  ensure_shape(z_, B, L);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t l = 0; l < L; ++l) {
      const float mu = h(r, l), lv = h(r, L + l);
      const float sd = std::exp(0.5f * lv);
      mu_(r, l) = mu;
      logvar_(r, l) = lv;
      std_(r, l) = sd;
      z_(r, l) = mu + eps(r, l) * sd;  // the reparameterisation trick: z is differentiable in μ, log σ²
    }
  out_ = &dec_.forward(z_);
  split_decoder_output(*out_);
}

void Vae::split_decoder_output(const Tensor2& out) {
  if (spec_.likelihood != Likelihood::Gaussian) return;
  const std::size_t B = rows(out), D = spec_.in;
  ensure_shape(ymean_, B, D);
  ensure_shape(ylogvar_, B, D);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t d = 0; d < D; ++d) {
      ymean_(r, d) = out(r, d);
      ylogvar_(r, d) = spec_.learned_var ? out(r, D + d) : spec_.fixed_logvar;
    }
}

double Vae::recon_term(const Tensor2& x, float scale) {
  const Tensor2& out = *out_;
  if (spec_.likelihood == Likelihood::Bernoulli) return nn::bce_with_logits(out, x, dout_, scale);
  const double nll = nn::gaussian_nll(ymean_, ylogvar_, x, dymean_, dylogvar_, scale);
  const std::size_t B = rows(x), D = spec_.in;
  ensure_shape(dout_, B, cols(out));
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t d = 0; d < D; ++d) {
      dout_(r, d) = dymean_(r, d);
      if (spec_.learned_var) dout_(r, D + d) = dylogvar_(r, d);
    }
  return nll;
}

VaeLoss Vae::loss_and_grad(const Tensor2& x, const Tensor2& eps) {
  forward(x, eps);
  const std::size_t B = rows(x), L = spec_.latent;
  const float scale = 1.0f / static_cast<float>(B);
  const auto recon = static_cast<float>(recon_term(x, scale));
  const float beta = beta_now();
  const float kl = nn::gaussian_kl(mu_, logvar_, dmu_kl_, dlv_kl_, scale);
  const Tensor2& dz = dec_.backward(dout_);
  // z = μ + ε·e^{½ log σ²}: ∂z/∂μ = 1, ∂z/∂log σ² = ½·ε·σ.
  ensure_shape(dh_, B, 2 * L);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t l = 0; l < L; ++l) {
      dh_(r, l) = dz(r, l) + beta * dmu_kl_(r, l);
      dh_(r, L + l) = dz(r, l) * eps(r, l) * 0.5f * std_(r, l) + beta * dlv_kl_(r, l);
    }
  enc_.backward(dh_, false);
  return VaeLoss{recon + beta * kl, recon, kl};
}

VaeLoss Vae::train_step(const Tensor2& x, Rng& rng) {
  ensure_shape(eps_, rows(x), spec_.latent);
  for (auto& e : eps_) e = rng.normal();
  store_.zero_grad();
  const VaeLoss l = loss_and_grad(x, eps_);
  opt_->step(store_);
  return l;
}

VaeLoss Vae::evaluate(const Tensor2& x, Rng& rng) {
  ensure_shape(eps_, rows(x), spec_.latent);
  for (auto& e : eps_) e = rng.normal();
  forward(x, eps_);
  const float scale = 1.0f / static_cast<float>(rows(x));
  const auto recon = static_cast<float>(recon_term(x, scale));
  const float kl = nn::gaussian_kl(mu_, logvar_, dmu_kl_, dlv_kl_, scale);
  return VaeLoss{recon + kl, recon, kl};
}

void Vae::recon_per_row(const Tensor2& x, std::vector<double>& out) {
  const Tensor2& o = *out_;
  const std::size_t B = rows(x), D = spec_.in;
  out.assign(B, 0.0);
  for (std::size_t r = 0; r < B; ++r) {
    double s = 0.0;
    for (std::size_t d = 0; d < D; ++d) {
      const float t = x(r, d);
      if (spec_.likelihood == Likelihood::Bernoulli) {
        const float z = o(r, d);
        s += std::fmax(z, 0.0f) - z * t + std::log1p(std::exp(-std::fabs(z)));
      } else {
        const double lv = ylogvar_(r, d), e = t - ymean_(r, d);
        s += 0.5 * (kLog2Pi + lv + e * e * std::exp(-lv));
      }
    }
    out[r] = s;
  }
}

double Vae::iwae_nll(const Tensor2& x, int k, Rng& rng) {
  if (k < 1) throw std::invalid_argument("iwae_nll: k must be ≥ 1");
  const std::size_t B = rows(x), L = spec_.latent;
  std::vector<double> logw(static_cast<std::size_t>(k) * B), recon;
  ensure_shape(eps_, B, L);
  for (int j = 0; j < k; ++j) {
    for (auto& e : eps_) e = rng.normal();
    forward(x, eps_);
    recon_per_row(x, recon);
    for (std::size_t r = 0; r < B; ++r) {
      // log w = log p(x|z) + log p(z) − log q(z|x); the ½ log 2π terms of p(z) and q cancel.
      double lw = -recon[r];
      for (std::size_t l = 0; l < L; ++l) {
        const double e = eps_(r, l), z = z_(r, l);
        lw += -0.5 * z * z + 0.5 * (static_cast<double>(logvar_(r, l)) + e * e);
      }
      logw[static_cast<std::size_t>(j) * B + r] = lw;
    }
  }
  double total = 0.0;
  for (std::size_t r = 0; r < B; ++r) {
    // log (1/k) Σ_j w_j computed as max + log Σ e^{log w − max}: w itself under/overflows.
    double m = logw[r];
    for (int j = 1; j < k; ++j) m = std::max(m, logw[static_cast<std::size_t>(j) * B + r]);
    double s = 0.0;
    for (int j = 0; j < k; ++j) s += std::exp(logw[static_cast<std::size_t>(j) * B + r] - m);
    total += -(m + std::log(s) - std::log(static_cast<double>(k)));
  }
  return total / static_cast<double>(B);
}

void Vae::encode(const Tensor2& x, Tensor2& mu, Tensor2& logvar) {
  const Tensor2& h = enc_.forward(x);
  const std::size_t B = rows(x), L = spec_.latent;
  ensure_shape(mu, B, L);
  ensure_shape(logvar, B, L);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t l = 0; l < L; ++l) {
      mu(r, l) = h(r, l);
      logvar(r, l) = h(r, L + l);
    }
}

void Vae::decode(const Tensor2& z, Tensor2& x_mean) {
  out_ = &dec_.forward(z);
  const Tensor2& out = *out_;
  const std::size_t B = rows(z), D = spec_.in;
  ensure_shape(x_mean, B, D);
  if (spec_.likelihood == Likelihood::Bernoulli) {
    kernels::sigmoid(out.data(), x_mean.data(), out.size());
  } else {
    for (std::size_t r = 0; r < B; ++r)
      for (std::size_t d = 0; d < D; ++d) x_mean(r, d) = out(r, d);
  }
}

void Vae::decode_sample(const Tensor2& z, Rng& rng, Tensor2& x) {
  decode(z, x);
  if (spec_.likelihood != Likelihood::Gaussian) return;
  split_decoder_output(*out_);
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] += std::exp(0.5f * ylogvar_.data()[i]) * rng.normal();
}

void Vae::reconstruct(const Tensor2& x, Tensor2& x_mean) {
  Tensor2 mu, lv;
  encode(x, mu, lv);
  decode(mu, x_mean);
}

}  // namespace genlab::models
