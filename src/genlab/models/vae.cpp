#include "genlab/models/vae.hpp"

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

constexpr double kLog2Pi = 1.83787706640934548356;
constexpr std::size_t kEvalChunk = 250;  // rows per forward pass during evaluation (see kInferChunk)
constexpr std::size_t kIwaeRows = 1000;  // the IWAE bound is averaged over the first 1,000
static_assert(kIwaeRows % kEvalChunk == 0, "the −ELBO over the IWAE rows is summed chunk by chunk");

nn::NetSpec net(const char* name, std::size_t in, const std::vector<std::size_t>& hidden, std::size_t out,
                const VaeSpec& s) {
  nn::MlpSpec m;
  m.in = in;
  m.hidden = hidden;
  m.out = out;
  m.act = s.act;
  m.alpha = s.alpha;
  m.init = s.init;
  return nn::mlp_spec(name, m);
}

Tensor2 rows_of(const Tensor2& t, std::size_t first, std::size_t n) {
  Tensor2 out({n, cols(t)});
  std::copy(t.data() + first * cols(t), t.data() + (first + n) * cols(t), out.data());
  return out;
}

// The metrics ask for 2,000 samples at once. A conv network's im2col buffers grow with the rows
// (2,000 images through the conv decoder took the page's wasm memory to 650 MiB, and wasm memory
// never shrinks), so samples are drawn this many rows at a time — and held-out data evaluated in
// chunks of kEvalChunk. Rows are independent and keep their order (and their noise draws'): the
// same bits as one pass. (Views ask for ≤ 600 rows; chunking them too cost first-load bytes.)
constexpr std::size_t kInferChunk = 256;

void put_rows(const Tensor2& part, std::size_t first, Tensor2& whole) {
  std::copy(part.data(), part.data() + part.size(), whole.data() + first * cols(whole));
}

}  // namespace

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
  s.binarize = c.binarize && image;
  // net=conv applies to images (like every setting with a `when`, it is accepted and ignored elsewhere).
  s.conv = c.net == "conv" && image;
  s.classes = c.conditional && !s.conv ? dataset_classes(c.dataset) : 0;
  s.batch_norm = s.conv && c.batch_norm;
  s.side = image ? find_dataset(c.dataset)->side : 0;
  if (s.conv) {
    check_conv_widths("enc_hidden", c.enc_hidden, false, "32,64");
    check_conv_widths("dec_hidden", c.dec_hidden, true, "64,32");
  }
  s.opt = optim_config(c, c.opt, c.lr);
  return s;
}

ArchSpec vae_arch(const VaeSpec& s) {
  if (s.in == 0 || s.latent == 0) throw std::invalid_argument("Vae: input and latent widths must be ≥ 1");
  const bool two_heads = s.likelihood == Likelihood::Gaussian && s.learned_var;
  ArchSpec a;
  a.model = "vae";
  a.data_dim = s.in;
  a.classes = s.classes;
  a.noise = s.latent;
  a.head = s.likelihood == Likelihood::Bernoulli ? "bernoulli" : two_heads ? "gaussian_learned" : "gaussian";
  if (s.conv) {
    ConvAutoencoderSpec ae =
        conv_autoencoder(s.side, s.enc_hidden, s.dec_hidden, s.latent, s.act, s.alpha, s.init, s.batch_norm);
    ae.dec.image_channels = two_heads ? 2 : 1;  // channel-first: the means, then the log σ², as the MLP's
    a.nets = {conv_down_spec("enc", ae.enc), conv_up_spec("dec", ae.dec)};
  } else {
    const std::size_t C = s.classes;
    a.nets = {net("enc", s.in + C, s.enc_hidden, 2 * s.latent, s),
              net("dec", s.latent + C, s.dec_hidden, two_heads ? 2 * s.in : s.in, s)};
  }
  const std::size_t L = s.latent;
  a.graph = {
      {"x", "data", {}, s.in, ""},
      {"enc", "net", {"x"}, 2 * L, ""},
      {"mu", "tensor", {"enc"}, L, ""},
      {"logvar", "tensor", {"enc"}, L, ""},
      {"eps", "noise", {}, L, ""},
      {"z", "op", {"mu", "logvar", "eps"}, L, ""},  // z = μ + σ ⊙ ε, the reparameterisation
      {"dec", "net", {"z"}, two_heads ? 2 * s.in : s.in, ""},
      {"x_hat", "tensor", {"dec"}, s.in, ""},
      {"recon", "loss", {"x_hat", "x"}, 1, "recon"},
      {"kl", "loss", {"mu", "logvar"}, 1, "kl"},
      {"loss", "loss", {"recon", "kl"}, 1, "loss"},  // recon + β·KL
  };
  if (s.classes > 0) {
    // The class y (one-hot) goes into both networks beside x and z.
    a.graph.insert(a.graph.begin() + 1, {"y", "data", {}, s.classes, ""});
    for (auto& n : a.graph)
      if (n.id == "enc" || n.id == "dec") n.inputs.push_back("y");
  }
  return a;
}

// Live settings: β, its warm-up and the optimizer's constants; anything that changes the
// networks, the likelihood or the data is refused.
void Vae::retune(const Config& c) {
  const VaeSpec s = vae_spec(c);
  if (vae_arch(s).to_json() != arch_.to_json() || s.likelihood != spec_.likelihood || s.learned_var != spec_.learned_var ||
      s.fixed_logvar != spec_.fixed_logvar || s.binarize != spec_.binarize || s.opt.kind != spec_.opt.kind)
    throw std::invalid_argument("these settings need a new VAE");
  spec_.beta = s.beta;
  spec_.kl_warmup = s.kl_warmup;
  spec_.opt = s.opt;
  opt_->config() = s.opt;
}

Vae::Vae(const VaeSpec& spec, Rng& init_rng) : spec_(spec), arch_(vae_arch(spec)) {
  enc_ = nn::build_net(arch_.net("enc"));
  dec_ = nn::build_net(arch_.net("dec"));
  enc_.declare(store_, "enc.");
  dec_.declare(store_, "dec.");
  store_.finalize();
  dec_offset_ = store_.entry(store_.find("dec.0.W")).offset;
  enc_.bind(store_);
  dec_.bind(store_);
  enc_.init(store_, init_rng);
  dec_.init(store_, init_rng);
  opt_ = optim::make_optimizer(spec.opt);
  cond_.classes = spec.classes;
}

float Vae::beta_now() const {
  if (spec_.kl_warmup <= 0) return spec_.beta;
  const double ramp = std::min(1.0, static_cast<double>(steps()) / static_cast<double>(spec_.kl_warmup));
  return static_cast<float>(spec_.beta * ramp);
}

// x (B, in), eps (B, L) → μ, log σ², σ, z (B, L) → decoder output (B, in or 2·in)
void Vae::forward(const Tensor2& x, const Tensor2& eps) {
  if (cols(x) != spec_.in) throw std::invalid_argument("Vae: input width " + std::to_string(cols(x)) +
                                                       ", expected " + std::to_string(spec_.in));
  sample_posterior(encoder(x), eps, mu_, logvar_, std_, z_);  // the reparameterisation trick
  out_ = &decoder(z_);
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
  const float scale = 1.0f / static_cast<float>(rows(x));
  const auto recon = static_cast<float>(recon_term(x, scale));
  const float beta = beta_now();
  const float kl = nn::gaussian_kl(mu_, logvar_, dmu_kl_, dlv_kl_, scale);
  posterior_backward(dec_.backward(dout_), eps, std_, dmu_kl_, dlv_kl_, beta, dh_);
  enc_.backward(dh_, false);
  return VaeLoss{recon + beta * kl, recon, kl};
}

VaeLoss Vae::train_step(const Tensor2& x, Rng& rng) {
  ensure_shape(eps_, rows(x), spec_.latent);
  training_noise(rng, eps_, [](Rng& r, Tensor2& e) {
    for (auto& v : e) v = r.normal();
  });
  store_.zero_grad();
  const nn::TrainingScope enc_train(enc_, rng), dec_train(dec_, rng);  // batch statistics (batch_norm)
  const VaeLoss l = loss_and_grad(x, eps_);
  opt_->step(store_);
  return l;
}

StepStats Vae::train_iteration(DataStream& data, Rng& rng) {
  const Tensor2& x = data.next();
  const TrainLabelsScope labels(cond_, data);
  const VaeLoss l = train_step(x, rng);
  StepStats s;
  s.steps = 1;
  s.loss = l.loss;
  s.recon = l.recon;
  s.kl = l.kl;
  s.beta = beta_now();
  s.finite = std::isfinite(l.loss);
  return s;
}

void Vae::grad_norms(StepStats& s) const {
  const float* g = store_.grads().data();
  s.enc_grad = std::sqrt(kernels::sum_sq(g, dec_offset_));
  s.dec_grad = std::sqrt(kernels::sum_sq(g + dec_offset_, store_.size() - dec_offset_));
}

void Vae::sample_noise(Rng& rng, Tensor2& z) {
  if (cols(z) != spec_.latent) throw std::invalid_argument("Vae: noise buffer has the wrong width");
  for (auto& v : z) v = rng.normal();
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

void Vae::heldout_metrics(const Tensor2& test, const Rng& eval, int iwae_k, Metrics& m) {
  Tensor2 x = test;
  if (spec_.binarize) {
    // Binarised training is judged on one fixed binarisation of the test set (the usual protocol).
    Rng r = eval;
    for (auto& v : x) v = r.uniform() < v ? 1.0f : 0.0f;
  }
  Rng r = eval;
  double recon = 0, kl = 0;
  // −ELBO over the rows the IWAE bound is averaged on, so the two bounds compare like with like.
  const std::size_t rows_iwae = std::min(kIwaeRows, rows(x));
  double head = 0;
  for (std::size_t first = 0; first < rows(x); first += kEvalChunk) {
    const std::size_t k = std::min(kEvalChunk, rows(x) - first);
    cond_.first_row = first;
    const VaeLoss l = evaluate(rows_of(x, first, k), r);
    recon += static_cast<double>(l.recon) * static_cast<double>(k);
    kl += static_cast<double>(l.kl) * static_cast<double>(k);
    if (first < rows_iwae) head += static_cast<double>(l.recon + l.kl) * static_cast<double>(std::min(k, rows_iwae - first));
  }
  cond_.first_row = 0;
  const auto N = static_cast<double>(rows(x));
  m["test_recon"] = recon / N;
  m["test_kl"] = kl / N;
  m["test_neg_elbo"] = (recon + kl) / N;
  m["test_examples"] = N;
  if (iwae_k > 0) {
    double s = 0;
    for (std::size_t first = 0; first < rows_iwae; first += kEvalChunk) {
      const std::size_t k = std::min(kEvalChunk, rows_iwae - first);
      cond_.first_row = first;
      s += iwae_nll(rows_of(x, first, k), iwae_k, r) * static_cast<double>(k);
    }
    cond_.first_row = 0;
    m["iwae_nll"] = s / static_cast<double>(rows_iwae);
    m["iwae_k"] = iwae_k;
    m["iwae_neg_elbo"] = head / static_cast<double>(rows_iwae);
  }
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
        s += std::fmax(z, 0.0f) - z * t + kernels::log1p_exp_neg(std::fabs(z));
      } else {
        const double lv = ylogvar_(r, d), e = t - ymean_(r, d);
        s += 0.5 * (kLog2Pi + lv + e * e * detail::portable_exp(-lv));
      }
    }
    out[r] = s;
  }
}

void Vae::log_weights(const Tensor2& x, const Tensor2& eps, double* logw) {
  const std::size_t B = rows(x), L = spec_.latent;
  forward(x, eps);
  recon_per_row(x, recon_rows_);
  for (std::size_t r = 0; r < B; ++r) {
    // log w = log p(x|z) + log p(z) − log q(z|x); the ½ log 2π terms of p(z) and q cancel.
    double lw = -recon_rows_[r];
    for (std::size_t l = 0; l < L; ++l) {
      const double e = eps(r, l), z = z_(r, l);
      lw += -0.5 * z * z + 0.5 * (static_cast<double>(logvar_(r, l)) + e * e);
    }
    logw[r] = lw;
  }
}

namespace {
// −log (1/k) Σ_j w_j per row, as max + log Σ e^{log w − max} (w itself under/overflows); mean over rows.
double iwae_combine(const std::vector<double>& logw, std::size_t k, std::size_t B) {
  double total = 0.0;
  for (std::size_t r = 0; r < B; ++r) {
    double m = logw[r];
    for (std::size_t j = 1; j < k; ++j) m = std::max(m, logw[j * B + r]);
    double s = 0.0;
    for (std::size_t j = 0; j < k; ++j) s += detail::portable_exp(logw[j * B + r] - m);
    total += -(m + detail::portable_log(s) - detail::portable_log(static_cast<double>(k)));
  }
  return total / static_cast<double>(B);
}
}  // namespace

double Vae::iwae_nll(const Tensor2& x, int k, Rng& rng) {
  if (k < 1) throw std::invalid_argument("iwae_nll: k must be ≥ 1");
  const std::size_t B = rows(x), K = static_cast<std::size_t>(k);
  std::vector<double> logw(K * B);
  ensure_shape(eps_, B, spec_.latent);
  for (std::size_t j = 0; j < K; ++j) {
    for (auto& e : eps_) e = rng.normal();
    log_weights(x, eps_, &logw[j * B]);
  }
  return iwae_combine(logw, K, B);
}

double Vae::iwae_nll(const Tensor2& x, const std::vector<Tensor2>& eps) {
  if (eps.empty()) throw std::invalid_argument("iwae_nll: needs at least one noise sample");
  const std::size_t B = rows(x), K = eps.size();
  std::vector<double> logw(K * B);
  for (std::size_t j = 0; j < K; ++j) {
    if (rows(eps[j]) != B || cols(eps[j]) != spec_.latent) throw std::invalid_argument("iwae_nll: noise of the wrong shape");
    log_weights(x, eps[j], &logw[j * B]);
  }
  return iwae_combine(logw, K, B);
}

void Vae::encode(const Tensor2& x, Tensor2& mu, Tensor2& logvar) {
  split_posterior(encoder(x), spec_.latent, mu, logvar);
}

void Vae::decode(const Tensor2& z, Tensor2& x_mean) {
  out_ = &decoder(z);
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
  const std::size_t B = rows(z);
  if (B > kInferChunk) {
    ensure_shape(x, B, spec_.in);
    Tensor2 part;
    const std::size_t base = cond_.first_row;
    for (std::size_t first = 0; first < B; first += kInferChunk) {
      cond_.first_row = base + first;
      decode_sample(rows_of(z, first, std::min(kInferChunk, B - first)), rng, part);  // noise in row order
      put_rows(part, first, x);
    }
    cond_.first_row = base;
    return;
  }
  decode(z, x);
  if (spec_.likelihood != Likelihood::Gaussian) return;
  split_decoder_output(*out_);
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] += kernels::exp1(0.5f * ylogvar_.data()[i]) * rng.normal();
}

void Vae::reconstruct(const Tensor2& x, Tensor2& x_mean) {
  Tensor2 mu, lv;
  encode(x, mu, lv);
  decode(mu, x_mean);
}

}  // namespace genlab::models

namespace genlab::models {
namespace {

void check_vae(const Config& c) {
  const std::size_t D = dataset_dim(c.dataset);
  const bool image = is_image_dataset(c.dataset);
  if (static_cast<std::size_t>(c.latent) > D)
    throw ConfigError("latent", std::to_string(c.latent) + " is larger than the input width " + std::to_string(D) +
                                    " of " + c.dataset + "; use at most " + std::to_string(D));
  if (c.likelihood == "bernoulli" && !image)
    throw ConfigError("likelihood", "bernoulli needs data in [0, 1] (an image data set); " + c.dataset +
                                        " is 2-D: use gaussian or auto");
  if (c.binarize && !image) throw ConfigError("binarize", "only applies to image data sets");
}

}  // namespace

ModelKind vae_kind() {
  ModelKind k;
  k.name = "vae";
  k.title = "VAE (variational autoencoder)";
  k.groups = {"general", "vae", "optimizer"};
  k.budget_key = "enc_hidden";
  k.channels = {"loss", "recon", "kl"};
  k.views_2d = {"data", "recon_links", "latent"};
  k.views_image = {"samples", "recon", "latent", "manifold", "interp"};
  k.check = check_vae;
  k.arch = [](const Config& c) { return vae_arch(vae_spec(c)); };
  k.make = [](const Config& c, Rng& init) -> std::unique_ptr<Model> { return std::make_unique<Vae>(vae_spec(c), init); };
  return k;
}

}  // namespace genlab::models
