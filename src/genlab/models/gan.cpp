#include "genlab/models/gan.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "genlab/kernels/vec.hpp"
#include "genlab/nn/losses.hpp"

namespace genlab::models {

namespace {
// Freezes a network for one scope (thawed again even when something throws).
struct FrozenScope {
  explicit FrozenScope(nn::Sequential& net) : net_(net) { net_.set_frozen(true); }
  ~FrozenScope() { net_.set_frozen(false); }
  FrozenScope(const FrozenScope&) = delete;
  FrozenScope& operator=(const FrozenScope&) = delete;
  nn::Sequential& net_;
};

// D's training-time randomness (dropout masks) comes from the step's RNG for one scope; every
// other use of D (views, metrics, the generator's gradient field) sees all units.
struct TrainingRngScope {
  TrainingRngScope(nn::Sequential& net, Rng& rng) : net_(net) { net_.set_rng(&rng); }
  ~TrainingRngScope() { net_.set_rng(nullptr); }
  TrainingRngScope(const TrainingRngScope&) = delete;
  TrainingRngScope& operator=(const TrainingRngScope&) = delete;
  nn::Sequential& net_;
};
}  // namespace

GanLoss parse_gan_loss(const std::string& name) {
  if (name == "minimax") return GanLoss::Minimax;
  if (name == "nonsaturating") return GanLoss::NonSaturating;
  if (name == "lsgan") return GanLoss::LeastSquares;
  if (name == "hinge") return GanLoss::Hinge;
  if (name == "wgan") return GanLoss::Wasserstein;
  throw std::invalid_argument("unknown GAN loss '" + name + "' (expected minimax, nonsaturating, lsgan, hinge, wgan)");
}

Gan::Gan(const GanSpec& spec, Rng& init_rng) : spec_(spec) {
  if (spec.pack < 1) throw std::invalid_argument("Gan: pack must be ≥ 1");
  nn::MlpSpec g;
  g.in = spec.noise;
  g.hidden = spec.g_hidden;
  g.out = spec.data_dim;
  g.act = spec.g_act;
  g.out_act = spec.g_out;
  g.alpha = spec.alpha;
  g.init = spec.init;
  nn::MlpSpec d;
  d.in = spec.data_dim * spec.pack;
  d.hidden = spec.d_hidden;
  d.out = 1;
  d.act = spec.d_act;
  d.alpha = spec.alpha;
  d.init = spec.init;
  d.dropout = spec.d_dropout;
  G_ = nn::build_mlp(g);
  D_ = nn::build_mlp(d);
  G_.declare(g_store_, "G.");
  D_.declare(d_store_, "D.");
  g_store_.finalize();
  d_store_.finalize();
  G_.bind(g_store_);
  D_.bind(d_store_);
  G_.init(g_store_, init_rng);
  D_.init(d_store_, init_rng);
  g_opt_ = optim::make_optimizer(spec.g_opt);
  d_opt_ = optim::make_optimizer(spec.d_opt);
  if (spec.g_ema > 0.0f) ema_ = g_store_.values();  // starts at the initial weights: no bias to correct
}

void Gan::update_ema() {
  if (ema_.size() == 0) return;
  // ema ← d·ema + (1 − d)·w = ema + (1 − d)·(w − ema): Polyak averaging of the generator's
  // trajectory (Yazıcı et al. 2019) smooths out the oscillation of the min-max game.
  const float k = 1.0f - spec_.g_ema;
  float* e = ema_.data();
  const float* w = g_store_.values().data();
  for (std::size_t i = 0; i < ema_.size(); ++i) e[i] += k * (w[i] - e[i]);
}

template <class F>
void Gan::with_ema(F f) {
  if (ema_.size() == 0) {
    f();
    return;
  }
  saved_ = g_store_.values();
  std::copy(ema_.begin(), ema_.end(), g_store_.values().begin());
  try {
    f();
  } catch (...) {
    std::copy(saved_.begin(), saved_.end(), g_store_.values().begin());
    throw;
  }
  std::copy(saved_.begin(), saved_.end(), g_store_.values().begin());
}

bool Gan::outputs_probability() const {
  return spec_.loss == GanLoss::Minimax || spec_.loss == GanLoss::NonSaturating;
}

void Gan::sample_noise(Rng& rng, Tensor2& z) {
  if (cols(z) != spec_.noise) throw std::invalid_argument("Gan: noise buffer has the wrong width");
  if (spec_.uniform_noise)
    for (auto& v : z) v = rng.uniform(-1.0f, 1.0f);
  else
    for (auto& v : z) v = rng.normal();
}

const Tensor2& Gan::packed(const Tensor2& x, Tensor2& buf) {
  const std::size_t B = rows(x), m = spec_.pack;
  if (B % m != 0) throw std::invalid_argument("Gan: batch " + std::to_string(B) + " is not a multiple of pack " +
                                              std::to_string(m));
  if (m == 1) return x;
  ensure_shape(buf, B / m, m * cols(x));
  std::copy(x.begin(), x.end(), buf.begin());
  return buf;
}

float Gan::mean_output(const Tensor2& a) const {
  double s = 0.0;
  for (float v : a) s += outputs_probability() ? 1.0 / (1.0 + std::exp(-static_cast<double>(v))) : v;
  return static_cast<float>(s / static_cast<double>(a.size()));
}

// D's objective, one side at a time (mean over the n packed examples), gradient into da_.
double Gan::d_side_loss(const Tensor2& a, bool real) {
  const std::size_t n = rows(a);
  const float inv_n = 1.0f / static_cast<float>(n);
  ensure_shape(da_, n, 1);
  switch (spec_.loss) {
    case GanLoss::Minimax:
    case GanLoss::NonSaturating:  // −log D(x) − log(1 − D(G(z))), with one-sided smoothing of the real target
      ensure_shape(target_, n, 1);
      kernels::fill(target_.data(), n, real ? 1.0f - spec_.label_smooth : 0.0f);
      return nn::bce_with_logits(a, target_, da_, inv_n);
    case GanLoss::LeastSquares:  // ½(D(x) − 1)² + ½ D(G(z))²  (Mao et al. 2017, a = 0, b = c = 1)
      ensure_shape(target_, n, 1);
      kernels::fill(target_.data(), n, real ? 1.0f : 0.0f);
      return nn::mse(a, target_, da_, 0.5f * inv_n);
    case GanLoss::Hinge: {  // max(0, 1 − D(x)) + max(0, 1 + D(G(z)))
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const float m = real ? 1.0f - a(i, 0) : 1.0f + a(i, 0);
        s += std::max(m, 0.0f);
        da_(i, 0) = m > 0.0f ? (real ? -inv_n : inv_n) : 0.0f;
      }
      return s * inv_n;
    }
    case GanLoss::Wasserstein: {  // D(G(z)) − D(x)  (the critic maximises the gap)
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        s += real ? -a(i, 0) : a(i, 0);
        da_(i, 0) = real ? -inv_n : inv_n;
      }
      return s * inv_n;
    }
  }
  return 0.0;
}

// G's objective on D's scores of fakes, gradient into da_.
double Gan::g_loss(const Tensor2& a) {
  const std::size_t n = rows(a);
  const float inv_n = 1.0f / static_cast<float>(n);
  ensure_shape(da_, n, 1);
  ensure_shape(target_, n, 1);
  switch (spec_.loss) {
    case GanLoss::Minimax:  // min E log(1 − D(G(z))) = −BCE(a, 0): the original, saturating form
      kernels::fill(target_.data(), n, 0.0f);
      return nn::bce_with_logits(a, target_, da_, -inv_n);
    case GanLoss::NonSaturating:  // min −E log D(G(z))
      kernels::fill(target_.data(), n, 1.0f);
      return nn::bce_with_logits(a, target_, da_, inv_n);
    case GanLoss::LeastSquares:  // ½(D(G(z)) − 1)²
      kernels::fill(target_.data(), n, 1.0f);
      return nn::mse(a, target_, da_, 0.5f * inv_n);
    case GanLoss::Hinge:
    case GanLoss::Wasserstein: {  // −D(G(z))
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        s -= a(i, 0);
        da_(i, 0) = -inv_n;
      }
      return s * inv_n;
    }
  }
  return 0.0;
}

// real, fake (B, D) → D's loss; gradients added into D's store.
GanStats Gan::d_loss_and_grad(const Tensor2& real, const Tensor2& fake) {
  GanStats st;
  // Real and fake passes run one after the other: layers cache one batch at a time, and
  // gradient accumulation sums the two halves of the objective before the step.
  const Tensor2& ar = D_.forward(packed(real, real_packed_));
  st.d_real = mean_output(ar);
  double loss = d_side_loss(ar, true);
  D_.backward(da_, false);
  const Tensor2& af = D_.forward(packed(fake, fake_packed_));
  st.d_fake = mean_output(af);
  loss += d_side_loss(af, false);
  D_.backward(da_, false);
  st.d_loss = static_cast<float>(loss);
  return st;
}

GanStats Gan::d_step(const Tensor2& real, Rng& rng) {
  const std::size_t B = rows(real);
  ensure_shape(z_, B, spec_.noise);
  sample_noise(rng, z_);
  const TrainingRngScope dropout(D_, rng);
  const Tensor2& fake = G_.forward(z_);  // G's own buffer: untouched until G runs again
  d_store_.zero_grad();
  const GanStats st = d_loss_and_grad(real, fake);
  d_opt_->step(d_store_);
  if (spec_.loss == GanLoss::Wasserstein) clip_d_weights();
  return st;
}

void Gan::clip_d_weights() {
  // WGAN (Arjovsky et al. 2017): clipping every critic parameter keeps D roughly Lipschitz.
  const float c = spec_.wgan_clip;
  for (auto& w : d_store_.values()) w = std::clamp(w, -c, c);
}

// z (B, noise) → G's loss; gradients added into G's store.
GanStats Gan::g_loss_and_grad(const Tensor2& z) {
  GanStats st;
  const Tensor2& x = G_.forward(z);
  const Tensor2& a = D_.forward(packed(x, fake_packed_));
  st.d_fake = mean_output(a);
  st.g_loss = static_cast<float>(g_loss(a));
  const FrozenScope frozen(D_);  // D's parameter gradients are not D's to use here: skip them
  const Tensor2& dpacked = D_.backward(da_, true);
  // Unpacking is the same reshape backwards: (B/m, m·D) and (B, D) share one memory layout.
  ensure_shape(dfake_, rows(x), cols(x));
  std::copy(dpacked.begin(), dpacked.end(), dfake_.begin());
  G_.backward(dfake_, false);
  return st;
}

GanStats Gan::g_step(std::size_t B, Rng& rng) {
  ensure_shape(z_, B, spec_.noise);
  sample_noise(rng, z_);
  const TrainingRngScope dropout(D_, rng);
  g_store_.zero_grad();
  const GanStats st = g_loss_and_grad(z_);
  g_opt_->step(g_store_);
  update_ema();
  return st;
}

void Gan::generate(const Tensor2& z, Tensor2& x) {
  with_ema([&] {
    const Tensor2& y = G_.forward(z);
    ensure_shape(x, rows(y), cols(y));
    std::copy(y.begin(), y.end(), x.begin());
  });
}

void Gan::discriminate(const Tensor2& x, Tensor2& out) {
  const std::size_t B = rows(x), D = spec_.data_dim, m = spec_.pack;
  ensure_shape(scratch_, B, m * D);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t j = 0; j < m; ++j) std::copy(&x(r, 0), &x(r, 0) + D, &scratch_(r, j * D));
  const Tensor2& a = D_.forward(scratch_);
  ensure_shape(out, B, 1);
  if (outputs_probability())
    kernels::sigmoid(a.data(), out.data(), B);
  else
    std::copy(a.begin(), a.end(), out.begin());
}

void Gan::generator_gradient(const Tensor2& x, Tensor2& dx) {
  const Tensor2& a = D_.forward(packed(x, fake_packed_));
  g_loss(a);
  const FrozenScope frozen(D_);
  const Tensor2& dp = D_.backward(da_, true);
  ensure_shape(dx, rows(x), cols(x));
  std::copy(dp.begin(), dp.end(), dx.begin());
}

}  // namespace genlab::models
