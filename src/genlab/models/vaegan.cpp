#include "genlab/models/vaegan.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "genlab/data/datasets.hpp"
#include "genlab/kernels/vec.hpp"
#include "genlab/models/build.hpp"
#include "genlab/models/conv_nets.hpp"
#include "genlab/models/posterior.hpp"
#include "genlab/models/registry.hpp"
#include "genlab/nn/losses.hpp"

namespace genlab::models {
namespace {

// Views and metrics ask for up to 2,000 samples: a conv decoder's buffers grow with the rows, so
// decoding runs this many rows at a time (rows are independent: the same values as one pass).
constexpr std::size_t kInferChunk = 256;

// dst ← src, reallocating only when the shape changes (no allocation in the training loop).
void copy_into(const Tensor2& src, Tensor2& dst) {
  ensure_shape(dst, rows(src), cols(src));
  std::copy(src.begin(), src.end(), dst.begin());
}

nn::NetSpec mlp(const char* name, std::size_t in, const std::vector<std::size_t>& hidden, std::size_t out, nn::Act act,
                nn::Act out_act, const VaeGanSpec& s) {
  nn::MlpSpec m;
  m.in = in;
  m.hidden = hidden;
  m.out = out;
  m.act = act;
  m.out_act = out_act;
  m.alpha = s.alpha;
  m.init = s.init;
  return nn::mlp_spec(name, m);
}

// D's layers [0, n) up to and including its feature_layer-th hidden activation.
std::size_t feature_end(const nn::NetSpec& D, std::size_t feature_layer) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i + 1 < D.layers.size(); ++i)
    if (D.layers[i].kind == nn::LayerKind::Activation && ++seen == feature_layer) return i + 1;
  throw std::invalid_argument("VaeGan: D has " + std::to_string(seen) + " hidden layers, no layer " +
                              std::to_string(feature_layer) + " to measure the reconstruction in");
}

}  // namespace

VaeGanSpec vaegan_spec(const Config& c) {
  VaeGanSpec s;
  s.in = dataset_dim(c.dataset);
  s.latent = static_cast<std::size_t>(c.latent);
  s.enc_hidden = widths(c.enc_hidden);
  s.dec_hidden = widths(c.dec_hidden);
  s.d_hidden = widths(c.d_hidden);
  s.act = nn::parse_act(c.act);
  s.d_act = nn::parse_act(c.d_act);
  const bool image = is_image_dataset(c.dataset);
  s.out = image ? nn::Act::Sigmoid : nn::Act::None;
  s.alpha = c.leaky_alpha;
  s.init = parse_init(c.init);
  s.conv = c.net == "conv" && image;
  s.batch_norm = s.conv && c.batch_norm;
  s.side = image ? find_dataset(c.dataset)->side : 0;
  if (s.conv) {
    check_conv_widths("enc_hidden", c.enc_hidden, false, "32,64");
    check_conv_widths("dec_hidden", c.dec_hidden, true, "64,32");
    check_conv_widths("d_hidden", c.d_hidden, false, "64,128");
  }
  s.beta = c.beta;
  s.kl_warmup = c.kl_warmup;
  s.gamma = c.gamma;
  s.feature_layer = static_cast<std::size_t>(c.feature_layer);
  s.loss = parse_gan_loss(c.loss);
  s.label_smooth = c.label_smooth;
  s.opt = optim_config(c, c.opt, c.lr);
  s.d_opt = optim_config(c, c.d_opt, c.d_lr);
  return s;
}

ArchSpec vaegan_arch(const VaeGanSpec& s) {
  if (s.in == 0 || s.latent == 0) throw std::invalid_argument("VaeGan: input and latent widths must be ≥ 1");
  if (s.d_hidden.empty()) throw std::invalid_argument("VaeGan: D needs a hidden layer (its features)");
  ArchSpec a;
  a.model = "vaegan";
  a.data_dim = s.in;
  a.noise = s.latent;
  a.head = outputs_probability(s.loss) ? "probability" : "score";
  if (s.conv) {
    ConvAutoencoderSpec ae =
        conv_autoencoder(s.side, s.enc_hidden, s.dec_hidden, s.latent, s.act, s.alpha, s.init, s.batch_norm);
    ae.dec.out_act = s.out;
    ConvNetSpec dis = ae.enc;  // D: the encoder's shape with its own widths, one score, its activation
    dis.channels = s.d_hidden;
    dis.flat = 1;
    dis.act = s.d_act;
    a.nets = {conv_down_spec("enc", ae.enc), conv_up_spec("dec", ae.dec), conv_down_spec("D", dis)};
  } else {
    a.nets = {mlp("enc", s.in, s.enc_hidden, 2 * s.latent, s.act, nn::Act::None, s),
              mlp("dec", s.latent, s.dec_hidden, s.in, s.act, s.out, s),
              mlp("D", s.in, s.d_hidden, 1, s.d_act, nn::Act::None, s)};
  }
  const std::size_t L = s.latent, F = a.nets[2].layers[feature_end(a.nets[2], s.feature_layer) - 1].out;
  a.graph = {
      {"x", "data", {}, s.in, ""},
      {"enc", "net", {"x"}, 2 * L, ""},
      {"mu", "tensor", {"enc"}, L, ""},
      {"logvar", "tensor", {"enc"}, L, ""},
      {"eps", "noise", {}, L, ""},
      {"z", "op", {"mu", "logvar", "eps"}, L, ""},  // z = μ + σ ⊙ ε
      {"z_p", "noise", {}, L, ""},                  // a draw from the prior
      {"dec", "net", {"z", "z_p"}, s.in, ""},
      {"x_tilde", "tensor", {"dec"}, s.in, ""},
      {"x_p", "tensor", {"dec"}, s.in, ""},
      {"D", "net", {"x", "x_tilde", "x_p"}, 1, ""},
      {"features", "tensor", {"D"}, F, ""},         // D's hidden layer feature_layer, of x and x̃
      {"llike", "loss", {"features"}, 1, "recon"},  // ½‖f(x̃) − f(x)‖²
      {"kl", "loss", {"mu", "logvar"}, 1, "kl"},
      {"enc_loss", "loss", {"llike", "kl"}, 1, "loss"},  // the encoder's: recon + β·KL
      {"d_real", "tensor", {"D"}, 1, "d_real"},
      {"d_fake", "tensor", {"D"}, 1, "d_fake"},
      {"d_loss", "loss", {"d_real", "d_fake"}, 1, "d_loss"},
      {"g_loss", "loss", {"d_fake"}, 1, "g_loss"},  // the decoder's, with γ·recon
  };
  return a;
}

VaeGan::VaeGan(const VaeGanSpec& spec, Rng& init_rng) : spec_(spec), arch_(vaegan_arch(spec)) {
  enc_ = nn::build_net(arch_.net("enc"));
  dec_ = nn::build_net(arch_.net("dec"));
  D_ = nn::build_net(arch_.net("D"));
  enc_.declare(enc_store_, "enc.");
  dec_.declare(dec_store_, "dec.");
  D_.declare(d_store_, "D.");
  for (ParamStore* s : {&enc_store_, &dec_store_, &d_store_}) s->finalize();
  enc_.bind(enc_store_);
  dec_.bind(dec_store_);
  D_.bind(d_store_);
  enc_.init(enc_store_, init_rng);
  dec_.init(dec_store_, init_rng);
  D_.init(d_store_, init_rng);
  feature_end_ = feature_end(arch_.net("D"), spec.feature_layer);
  enc_opt_ = optim::make_optimizer(spec.opt);
  dec_opt_ = optim::make_optimizer(spec.opt);
  d_opt_ = optim::make_optimizer(spec.d_opt);
}

void VaeGan::retune(const Config& c) {
  const VaeGanSpec s = vaegan_spec(c);
  const ArchSpec next = vaegan_arch(s);
  if (!same_but_head(next, arch_) || s.feature_layer != spec_.feature_layer || s.opt.kind != spec_.opt.kind ||
      s.d_opt.kind != spec_.d_opt.kind)
    throw std::invalid_argument("these settings need a new VAE-GAN");
  arch_.head = next.head;  // the loss is live, and with it how D's output reads
  spec_.beta = s.beta;
  spec_.kl_warmup = s.kl_warmup;
  spec_.gamma = s.gamma;
  spec_.loss = s.loss;
  spec_.label_smooth = s.label_smooth;
  spec_.opt = s.opt;
  spec_.d_opt = s.d_opt;
  enc_opt_->config() = s.opt;
  dec_opt_->config() = s.opt;
  d_opt_->config() = s.d_opt;
}

float VaeGan::beta_now() const {
  if (spec_.kl_warmup <= 0) return spec_.beta;
  const double ramp = std::min(1.0, static_cast<double>(enc_opt_->steps()) / static_cast<double>(spec_.kl_warmup));
  return static_cast<float>(spec_.beta * ramp);
}

// x (B, in), eps (B, L) → μ, log σ², σ, z (B, L)
void VaeGan::encode_sample(const Tensor2& x, const Tensor2& eps) {
  if (cols(x) != spec_.in)
    throw std::invalid_argument("VaeGan: input width " + std::to_string(cols(x)) + ", expected " +
                                std::to_string(spec_.in));
  sample_posterior(enc_.forward(x), eps, mu_, logvar_, std_, z_);  // reparameterised
}

// (dfeat at f (B, F), da at the score (B, 1)) → the gradient at D's input (B, in); D frozen.
const Tensor2& VaeGan::d_input_gradient(const Tensor2& dfeat, const Tensor2& da) {
  const std::size_t nf = d_feature_layers();
  const Tensor2& dh = D_.backward(da, nf, D_.size(), true);
  ensure_shape(dfeat_sum_, rows(dh), cols(dh));
  for (std::size_t i = 0; i < dh.size(); ++i) dfeat_sum_.data()[i] = dh.data()[i] + dfeat.data()[i];
  return D_.backward(dfeat_sum_, 0, nf, true);
}

// D runs forward once on each of x, x̃ and x_p: its backward passes leave the forward's values in its
// layers, so D's own loss (on the samples, detached) goes back through the same forward as the
// decoder's (D frozen). D's parameter gradients still add up real, x̃, x_p in that order, and without
// dropout or batch statistics in D the bits are those of a fresh forward for each loss.
VaeGanLoss VaeGan::loss_and_grad(const Tensor2& x, const Tensor2& eps, const Tensor2& zp) {
  const std::size_t B = rows(x), nf = d_feature_layers(), nd = D_.size();
  const float scale = 1.0f / static_cast<float>(B), beta = beta_now();
  VaeGanLoss out;
  encode_sample(x, eps);
  // x (B, in) → f(x) (B, F), the target of the reconstruction (a constant for the encoder and
  // decoder), then D's score of x and its loss on the real side.
  const Tensor2& fr = D_.forward(x, 0, nf);
  copy_into(fr, f_real_);
  const Tensor2& ar = D_.forward(fr, nf, nd);
  out.d_real = mean_output(spec_.loss, ar);
  double dl = d_side_loss(spec_.loss, ar, true, spec_.label_smooth, da_, target_);
  D_.backward(da_, false);
  // x̃ is kept in our buffer: D's first layer reads its input again when it runs backward.
  copy_into(dec_.forward(z_), x_tilde_);
  const Tensor2& ft = D_.forward(x_tilde_, 0, nf);
  ensure_shape(df_, B, cols(ft));
  double llike = 0.0;
  for (std::size_t i = 0; i < ft.size(); ++i) {
    const float d = ft.data()[i] - f_real_.data()[i];
    llike += 0.5 * static_cast<double>(d) * d;
    df_.data()[i] = scale * d;
  }
  out.llike = static_cast<float>(llike / static_cast<double>(B));
  const Tensor2& at = D_.forward(ft, nf, nd);
  out.g_loss = static_cast<float>(g_side_loss(spec_.loss, at, da_, target_));
  {
    const nn::FrozenScope d_frozen(D_);  // D's parameters follow L_GAN alone, below
    // The encoder's gradient at x̃: L_llike alone; the decoder's: G's loss plus γ·L_llike (D's
    // backward is linear in its input, so the γ-weighted feature gradient joins the score's).
    copy_into(D_.backward(df_, 0, nf, true), dx_llike_);
    for (auto& v : df_) v *= spec_.gamma;
    copy_into(d_input_gradient(df_, da_), dx_dec_);
  }
  dl += d_side_loss(spec_.loss, at, false, spec_.label_smooth, da_, target_);  // D's loss on x̃
  D_.backward(da_, false);
  {
    const nn::FrozenScope dec_frozen(dec_);
    copy_into(dec_.backward(dx_llike_, true), dz_);  // through the decoder to z, for the encoder only
  }
  dec_.backward(dx_dec_, false);
  // The encoder: L_llike's gradient at z, plus β·KL's own gradient.
  out.kl = nn::gaussian_kl(mu_, logvar_, dmu_kl_, dlv_kl_, scale);
  posterior_backward(dz_, eps, std_, dmu_kl_, dlv_kl_, beta, dh_);
  enc_.backward(dh_, false);
  out.loss = out.llike + beta * out.kl;
  // x_p = dec(z_p): the decoder's GAN loss on samples from the prior, then D's loss on them.
  copy_into(dec_.forward(zp), x_p_);
  const Tensor2& ap = D_.forward(x_p_);
  out.g_loss += static_cast<float>(g_side_loss(spec_.loss, ap, da_, target_));
  {
    const nn::FrozenScope d_frozen(D_);
    dec_.backward(D_.backward(da_, true), false);
  }
  out.d_fake = mean_output(spec_.loss, ap);
  dl += d_side_loss(spec_.loss, ap, false, spec_.label_smooth, da_, target_);
  D_.backward(da_, false);
  out.d_loss = static_cast<float>(dl);
  return out;
}

VaeGanLoss VaeGan::train_step(const Tensor2& x, Rng& rng) {
  const std::size_t B = rows(x), L = spec_.latent;
  ensure_shape(eps_, B, L);
  ensure_shape(zp_, B, L);
  training_noise(rng, eps_, [](Rng& r, Tensor2& e) {
    for (auto& v : e) v = r.normal();
  });
  training_noise(rng, zp_, [](Rng& r, Tensor2& z) {
    for (auto& v : z) v = r.normal();
  });
  for (ParamStore* s : {&enc_store_, &dec_store_, &d_store_}) s->zero_grad();
  const nn::TrainingScope enc_train(enc_, rng), dec_train(dec_, rng), d_train(D_, rng);
  const VaeGanLoss l = loss_and_grad(x, eps_, zp_);
  enc_opt_->step(enc_store_);
  dec_opt_->step(dec_store_);
  d_opt_->step(d_store_);
  return l;
}

StepStats VaeGan::train_iteration(DataStream& data, Rng& rng) {
  const VaeGanLoss l = train_step(data.next(), rng);
  StepStats s;
  s.steps = 1;
  s.loss = l.loss;
  s.recon = l.llike;
  s.kl = l.kl;
  s.beta = beta_now();
  s.d_loss = l.d_loss;
  s.g_loss = l.g_loss;
  s.d_real = l.d_real;
  s.d_fake = l.d_fake;
  s.finite = std::isfinite(l.loss) && std::isfinite(l.d_loss) && std::isfinite(l.g_loss);
  return s;
}

std::vector<Network> VaeGan::networks() {
  return {{"enc", &enc_store_, enc_opt_.get()}, {"dec", &dec_store_, dec_opt_.get()}, {"D", &d_store_, d_opt_.get()}};
}

void VaeGan::grad_norms(StepStats& s) const {
  s.enc_grad = std::sqrt(kernels::sum_sq(enc_store_.grads().data(), enc_store_.size()));
  s.dec_grad = std::sqrt(kernels::sum_sq(dec_store_.grads().data(), dec_store_.size()));
  s.d_grad = std::sqrt(kernels::sum_sq(d_store_.grads().data(), d_store_.size()));
}

void VaeGan::sample_noise(Rng& rng, Tensor2& z) {
  if (cols(z) != spec_.latent) throw std::invalid_argument("VaeGan: noise buffer has the wrong width");
  for (auto& v : z) v = rng.normal();
}

void VaeGan::encode(const Tensor2& x, Tensor2& mu, Tensor2& logvar) {
  split_posterior(enc_.forward(x), spec_.latent, mu, logvar);
}

// z (B, latent) → x (B, in), kInferChunk rows at a time
void VaeGan::decode(const Tensor2& z, Tensor2& x) {
  const std::size_t B = rows(z), L = cols(z), D = spec_.in;
  if (L != spec_.latent) throw std::invalid_argument("VaeGan: latent codes have the wrong width");
  ensure_shape(x, B, D);
  Tensor2 part;  // views and metrics only, not the training loop
  for (std::size_t first = 0; first < B; first += kInferChunk) {
    const std::size_t n = std::min(kInferChunk, B - first);
    const Tensor2* zin = &z;
    if (n != B) {
      ensure_shape(part, n, L);
      std::copy(z.data() + first * L, z.data() + (first + n) * L, part.data());
      zin = &part;
    }
    const Tensor2& y = dec_.forward(*zin);
    std::copy(y.begin(), y.end(), x.data() + first * D);
  }
}

void VaeGan::reconstruct(const Tensor2& x, Tensor2& x_rec) {
  Tensor2 mu, lv;
  encode(x, mu, lv);
  decode(mu, x_rec);
}

void VaeGan::discriminate(const Tensor2& x, Tensor2& out) {
  const Tensor2& a = D_.forward(x);
  ensure_shape(out, rows(x), 1);
  if (outputs_probability())
    kernels::sigmoid(a.data(), out.data(), rows(x));
  else
    std::copy(a.begin(), a.end(), out.begin());
}

void VaeGan::generator_gradient(const Tensor2& x, Tensor2& dx) {
  const Tensor2& a = D_.forward(x);
  g_side_loss(spec_.loss, a, da_, target_);
  const nn::FrozenScope frozen(D_);
  copy_into(D_.backward(da_, true), dx);
}

namespace {

void check_vaegan(const Config& c) {
  const std::size_t D = dataset_dim(c.dataset);
  if (static_cast<std::size_t>(c.latent) > D)
    throw ConfigError("latent", std::to_string(c.latent) + " is larger than the input width " + std::to_string(D) +
                                    " of " + c.dataset + "; use at most " + std::to_string(D));
  if (c.d_hidden.empty())
    throw ConfigError("d_hidden", "the VAE-GAN reconstructs in D's hidden layers: give D at least one");
  if (static_cast<std::size_t>(c.feature_layer) > c.d_hidden.size())
    throw ConfigError("feature_layer", std::to_string(c.feature_layer) + " is beyond D's " +
                                           std::to_string(c.d_hidden.size()) + " hidden layers (d_hidden)");
  if (c.loss == "wgan")
    throw ConfigError("loss", "wgan needs a clipped critic, which the VAE-GAN does not keep; use hinge or lsgan");
  if (c.label_smooth > 0.0f && c.loss != "minimax" && c.loss != "nonsaturating")
    throw ConfigError("label_smooth", "applies to the cross-entropy losses (minimax, nonsaturating), not " + c.loss);
}

}  // namespace

ModelKind vaegan_kind() {
  ModelKind k;
  k.name = "vaegan";
  k.title = "VAE-GAN (VAE + GAN)";
  k.groups = {"general", "vae", "gan", "vaegan", "optimizer"};
  k.budget_key = "enc_hidden";
  k.channels = {"loss", "recon", "kl", "d_loss", "g_loss", "d_real"};
  k.views_2d = {"data", "recon_links", "latent", "field"};
  k.views_image = {"samples", "recon", "latent", "manifold", "interp", "real"};
  k.check = check_vaegan;
  k.arch = [](const Config& c) { return vaegan_arch(vaegan_spec(c)); };
  k.make = [](const Config& c, Rng& init) -> std::unique_ptr<Model> {
    return std::make_unique<VaeGan>(vaegan_spec(c), init);
  };
  return k;
}

}  // namespace genlab::models
