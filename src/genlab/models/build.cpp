#include "genlab/models/build.hpp"

namespace genlab::models {
namespace {

std::vector<std::size_t> widths(const std::vector<int>& v) { return {v.begin(), v.end()}; }

nn::Init parse_init(const std::string& s) {
  if (s == "xavier") return nn::Init::Xavier;
  if (s == "torch") return nn::Init::TorchDefault;
  return nn::Init::He;
}

}  // namespace

optim::OptimConfig optim_config(const Config& c, const std::string& kind, float lr) {
  optim::OptimConfig o;
  o.kind = optim::parse_kind(kind);
  o.lr = lr;
  o.beta1 = c.beta1;
  o.beta2 = c.beta2;
  o.momentum = c.momentum;
  o.rho = c.rho;
  o.weight_decay = c.weight_decay;
  o.clip_norm = c.clip_norm;
  return o;
}

VaeSpec vae_spec(const Config& c) {
  VaeSpec s;
  s.in = dataset_dim(c.dataset);
  s.latent = static_cast<std::size_t>(c.latent);
  s.enc_hidden = widths(c.enc_hidden);
  s.dec_hidden = widths(c.dec_hidden);
  s.act = nn::parse_act(c.act);
  s.alpha = c.leaky_alpha;
  s.init = parse_init(c.init);
  const bool image = is_image_dataset(c.dataset);
  s.likelihood = c.likelihood == "bernoulli" || (c.likelihood == "auto" && image) ? Likelihood::Bernoulli
                                                                                   : Likelihood::Gaussian;
  s.learned_var = c.gauss_var == "learned";
  s.fixed_logvar = c.gauss_logvar;
  s.beta = c.beta;
  s.kl_warmup = c.kl_warmup;
  s.opt = optim_config(c, c.opt, c.lr);
  return s;
}

GanSpec gan_spec(const Config& c) {
  GanSpec s;
  s.data_dim = dataset_dim(c.dataset);
  s.noise = static_cast<std::size_t>(c.noise);
  s.g_hidden = widths(c.g_hidden);
  s.d_hidden = widths(c.d_hidden);
  s.g_act = nn::parse_act(c.g_act);
  s.d_act = nn::parse_act(c.d_act);
  const bool image = is_image_dataset(c.dataset);
  s.g_out = c.g_out == "auto" ? (image ? nn::Act::Sigmoid : nn::Act::None) : nn::parse_act(c.g_out);
  s.alpha = c.leaky_alpha;
  s.init = parse_init(c.init);
  s.uniform_noise = c.noise_dist == "uniform";
  s.loss = parse_gan_loss(c.loss);
  s.k_d = c.k_d;
  s.k_g = c.k_g;
  s.label_smooth = c.label_smooth;
  s.pack = static_cast<std::size_t>(c.pack);
  s.wgan_clip = c.wgan_clip;
  s.g_ema = c.g_ema;
  s.d_dropout = c.d_dropout;
  s.g_opt = optim_config(c, c.g_opt, c.g_lr);
  s.d_opt = optim_config(c, c.d_opt, c.d_lr);
  return s;
}

}  // namespace genlab::models
