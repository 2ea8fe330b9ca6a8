#include "genlab/models/gan.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "genlab/data/datasets.hpp"
#include "genlab/kernels/vec.hpp"
#include "genlab/models/build.hpp"
#include "genlab/models/conv_nets.hpp"
#include "genlab/models/registry.hpp"

namespace genlab::models {

GanSpec gan_spec(const Config& c) {
  GanSpec s;
  s.data_dim = dataset_dim(c.dataset);
  s.noise = static_cast<std::size_t>(c.noise);
  s.g_hidden = widths(c.g_hidden);
  s.d_hidden = widths(c.d_hidden);
  s.g_act = nn::parse_act(c.g_act);
  s.d_act = nn::parse_act(c.d_act);
  const bool image = is_image_dataset(c.dataset);
  // net=conv applies to images (like every setting with a `when`, it is accepted and ignored elsewhere).
  s.conv = c.net == "conv" && image;
  s.batch_norm = s.conv && c.batch_norm;
  if (s.conv) {
    check_conv_widths("g_hidden", c.g_hidden, true, "128,64");
    check_conv_widths("d_hidden", c.d_hidden, false, "64,128");
  }
  s.side = image ? find_dataset(c.dataset)->side : 0;
  s.g_out = c.g_out == "auto" ? (image ? nn::Act::Sigmoid : nn::Act::None) : nn::parse_act(c.g_out);
  s.alpha = c.leaky_alpha;
  s.init = parse_init(c.init);
  s.uniform_noise = c.noise_dist == "uniform";
  s.loss = parse_gan_loss(c.loss);
  s.k_d = c.k_d;
  s.k_g = c.k_g;
  s.batch = static_cast<std::size_t>(c.batch);
  s.label_smooth = c.label_smooth;
  s.pack = static_cast<std::size_t>(c.pack);
  s.wgan_clip = c.wgan_clip;
  s.g_ema = c.g_ema;
  s.g_ema_warmup = c.g_ema_warmup;
  s.batch_start = static_cast<std::size_t>(c.batch_start);
  s.batch_every = c.batch_every;
  s.d_dropout = c.d_dropout;
  s.classes = c.conditional && !s.conv ? dataset_classes(c.dataset) : 0;
  s.g_opt = optim_config(c, c.g_opt, c.g_lr);
  s.d_opt = optim_config(c, c.d_opt, c.d_lr);
  return s;
}

ArchSpec gan_arch(const GanSpec& s) {
  if (s.pack < 1) throw std::invalid_argument("Gan: pack must be ≥ 1");
  nn::MlpSpec g;
  g.in = s.noise + s.classes;
  g.hidden = s.g_hidden;
  g.out = s.data_dim;
  g.act = s.g_act;
  g.out_act = s.g_out;
  g.alpha = s.alpha;
  g.init = s.init;
  nn::MlpSpec d;
  d.in = (s.data_dim + s.classes) * s.pack;
  d.hidden = s.d_hidden;
  d.out = 1;
  d.act = s.d_act;
  d.alpha = s.alpha;
  d.init = s.init;
  d.dropout = s.d_dropout;
  ArchSpec a;
  a.model = "gan";
  a.data_dim = s.data_dim;
  a.pack = s.pack;
  a.classes = s.classes;
  a.noise = s.noise;
  a.noise_dist = s.uniform_noise ? "uniform" : "normal";
  a.head = outputs_probability(s.loss) ? "probability" : "score";
  a.ema = s.g_ema > 0.0f;
  if (s.conv) {
    ConvNetSpec cg;
    cg.side = s.side;
    cg.channels = s.g_hidden;
    cg.flat = s.noise;
    cg.act = s.g_act;
    cg.out_act = s.g_out;
    cg.alpha = s.alpha;
    cg.init = s.init;
    cg.batch_norm = s.batch_norm;
    ConvNetSpec cd = cg;
    cd.image_channels = s.pack;  // PacGAN: the packed samples side by side are `pack` channels
    cd.channels = s.d_hidden;
    cd.flat = 1;
    cd.act = s.d_act;
    cd.out_act = nn::Act::None;
    cd.dropout = s.d_dropout;
    a.nets = {conv_up_spec("G", cg), conv_down_spec("D", cd)};
  } else {
    a.nets = {nn::mlp_spec("G", g), nn::mlp_spec("D", d)};
  }
  a.graph = {
      {"z", "noise", {}, s.noise, ""},
      {"G", "net", {"z"}, s.data_dim, ""},
      {"x_fake", "tensor", {"G"}, s.data_dim, ""},
      {"x", "data", {}, s.data_dim, ""},
      {"D", "net", {"x", "x_fake"}, 1, ""},
      {"d_real", "tensor", {"D"}, 1, "d_real"},
      {"d_fake", "tensor", {"D"}, 1, "d_fake"},
      {"d_loss", "loss", {"d_real", "d_fake"}, 1, "d_loss"},
      {"g_loss", "loss", {"d_fake"}, 1, "g_loss"},
  };
  if (s.classes > 0) {
    // The class y (one-hot) goes into G beside z, and into D beside every sample it judges.
    a.graph.insert(a.graph.begin() + 1, {"y", "data", {}, s.classes, ""});
    for (auto& n : a.graph)
      if (n.id == "G" || n.id == "D") n.inputs.push_back("y");
  }
  return a;
}

Gan::Gan(const GanSpec& spec, Rng& init_rng) : spec_(spec), arch_(gan_arch(spec)) {
  G_ = nn::build_net(arch_.net("G"));
  D_ = nn::build_net(arch_.net("D"));
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
  cond_.classes = spec.classes;
}

// Live settings: the losses, the step counts per iteration and the optimizers' constants. What
// would change a network, the noise, the batch, EMA or dropout is refused.
void Gan::retune(const Config& c) {
  const GanSpec s = gan_spec(c);
  const ArchSpec next = gan_arch(s);  // the loss is live, and with it how D's output reads (its head)
  if (!same_but_head(next, arch_) || s.batch != spec_.batch || s.uniform_noise != spec_.uniform_noise ||
      s.g_ema != spec_.g_ema || s.g_ema_warmup != spec_.g_ema_warmup || s.batch_start != spec_.batch_start ||
      s.batch_every != spec_.batch_every || s.d_dropout != spec_.d_dropout || s.g_opt.kind != spec_.g_opt.kind ||
      s.d_opt.kind != spec_.d_opt.kind)
    throw std::invalid_argument("these settings need a new GAN");
  arch_.head = next.head;
  spec_.loss = s.loss;
  spec_.k_d = s.k_d;
  spec_.k_g = s.k_g;
  spec_.label_smooth = s.label_smooth;
  spec_.wgan_clip = s.wgan_clip;
  spec_.g_opt = s.g_opt;
  spec_.d_opt = s.d_opt;
  g_opt_->config() = s.g_opt;
  d_opt_->config() = s.d_opt;
}

void Gan::update_ema() {
  if (ema_.size() == 0) return;
  // ema ← d·ema + (1 − d)·w = ema + (1 − d)·(w − ema): Polyak averaging of the generator's
  // trajectory (Yazıcı et al. 2019) smooths out the oscillation of the min-max game.
  float decay = spec_.g_ema;
  if (spec_.g_ema_warmup > 0) {
    // A short average at first (TensorFlow's ExponentialMovingAverage with num_updates): with a
    // fixed 0.999 the samples after 1,000 steps still carry 37 % of G's random initial weights.
    const float t = static_cast<float>(g_opt_->steps());
    decay = std::min(decay, (1.0f + t) / (static_cast<float>(spec_.g_ema_warmup) + t));
  }
  const float k = 1.0f - decay;
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

void Gan::sample_noise(Rng& rng, Tensor2& z) {
  if (cols(z) != spec_.noise) throw std::invalid_argument("Gan: noise buffer has the wrong width");
  if (spec_.uniform_noise)
    for (auto& v : z) v = rng.uniform(-1.0f, 1.0f);
  else
    for (auto& v : z) v = rng.normal();
}

const Tensor2& Gan::packed(const Tensor2& x0, Tensor2& buf) {
  const Tensor2& x = cond_.append(x0, xin_);
  const std::size_t B = rows(x), m = spec_.pack;
  if (B % m != 0) throw std::invalid_argument("Gan: batch " + std::to_string(B) + " is not a multiple of pack " +
                                              std::to_string(m));
  if (m == 1) return x;
  ensure_shape(buf, B / m, m * cols(x));
  std::copy(x.begin(), x.end(), buf.begin());
  return buf;
}

// real, fake (B, D) → D's loss; gradients added into D's store.
GanStats Gan::d_loss_and_grad(const Tensor2& real, const Tensor2& fake) {
  GanStats st;
  // Real and fake passes run one after the other: layers cache one batch at a time, and
  // gradient accumulation sums the two halves of the objective before the step.
  const Tensor2& ar = D_.forward(packed(real, real_packed_));
  st.d_real = mean_output(spec_.loss, ar);
  double loss = d_side_loss(spec_.loss, ar, true, spec_.label_smooth, da_, target_);
  D_.backward(da_, false);
  const Tensor2& af = D_.forward(packed(fake, fake_packed_));
  st.d_fake = mean_output(spec_.loss, af);
  loss += d_side_loss(spec_.loss, af, false, spec_.label_smooth, da_, target_);
  D_.backward(da_, false);
  st.d_loss = static_cast<float>(loss);
  return st;
}

GanStats Gan::d_step(const Tensor2& real, Rng& rng) {
  const std::size_t B = rows(real);
  ensure_shape(z_, B, spec_.noise);
  training_noise(rng, z_, [this](Rng& r, Tensor2& z) { sample_noise(r, z); });
  // Training mode (dropout masks from the step's RNG, batch statistics) for both networks.
  const nn::TrainingScope d_train(D_, rng), g_train(G_, rng);
  const Tensor2& fake = g_forward(z_);  // G's own buffer: untouched until G runs again
                                        // (conditional: for the real batch's classes)
  d_store_.zero_grad();
  const GanStats st = d_loss_and_grad(real, fake);
  set_learning_rates();
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
  const Tensor2& x = g_forward(z);
  const Tensor2& a = D_.forward(packed(x, fake_packed_));
  st.d_fake = mean_output(spec_.loss, a);
  st.g_loss = static_cast<float>(g_side_loss(spec_.loss, a, da_, target_));
  const nn::FrozenScope frozen(D_);  // D's parameter gradients are not D's to use here: skip them
  const Tensor2& dpacked = D_.backward(da_, true);
  unpack_gradient(dpacked, rows(x), dfake_);
  G_.backward(dfake_, false);
  return st;
}

void Gan::draw_classes(std::size_t B, Rng& rng) {
  g_classes_.resize(B);
  for (auto& y : g_classes_) y = static_cast<std::uint8_t>(rng.below(static_cast<std::uint32_t>(spec_.classes)));
}

// D's gradient at its packed input (B/m, m·(D + C)) → at the B samples (B, D): unpacking is the
// same reshape backwards, and the one-hot classes' columns are dropped (they are data, not G's).
void Gan::unpack_gradient(const Tensor2& dpacked, std::size_t B, Tensor2& dx) {
  const std::size_t D = spec_.data_dim, W = D + spec_.classes;
  ensure_shape(dx, B, D);
  for (std::size_t r = 0; r < B; ++r) std::copy(dpacked.data() + r * W, dpacked.data() + r * W + D, dx.data() + r * D);
}

bool Gan::ramping() const { return spec_.batch_start > 0 && spec_.batch_start < spec_.batch; }

std::size_t Gan::batch_now() const {
  if (!ramping()) return spec_.batch;
  const long long doublings = std::min<long long>(g_opt_->steps() / spec_.batch_every, 12);
  return std::min(spec_.batch, spec_.batch_start << doublings);
}

void Gan::set_learning_rates() {
  // The ramp anneals: larger batches late in training are there for precision, and so is a
  // smaller step: lr · √(batch_start / B). Without a ramp the rates stay as configured.
  if (!ramping()) return;
  const float scale = std::sqrt(static_cast<float>(spec_.batch_start) / static_cast<float>(batch_now()));
  g_opt_->config().lr = spec_.g_opt.lr * scale;
  d_opt_->config().lr = spec_.d_opt.lr * scale;
}

GanStats Gan::g_step(std::size_t B, Rng& rng) {
  if (spec_.classes > 0) draw_classes(B, rng);
  const TrainLabelsScope labels(cond_, spec_.classes > 0 ? g_classes_.data() : nullptr);
  ensure_shape(z_, B, spec_.noise);
  training_noise(rng, z_, [this](Rng& r, Tensor2& z) { sample_noise(r, z); });
  const nn::TrainingScope d_train(D_, rng), g_train(G_, rng);
  g_store_.zero_grad();
  const GanStats st = g_loss_and_grad(z_);
  set_learning_rates();
  g_opt_->step(g_store_);
  update_ema();
  return st;
}

void Gan::generate(const Tensor2& z, Tensor2& x) {
  with_ema([&] {
    const Tensor2& y = g_forward(z);
    ensure_shape(x, rows(y), cols(y));
    std::copy(y.begin(), y.end(), x.begin());
  });
}

void Gan::discriminate(const Tensor2& x0, Tensor2& out) {
  const Tensor2& x = cond_.append(x0, xin_);
  const std::size_t B = rows(x), D = cols(x), m = spec_.pack;
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
  g_side_loss(spec_.loss, a, da_, target_);
  const nn::FrozenScope frozen(D_);
  const Tensor2& dp = D_.backward(da_, true);
  unpack_gradient(dp, rows(x), dx);
}

}  // namespace genlab::models

namespace genlab::models {

StepStats Gan::train_iteration(DataStream& data, Rng& rng) {
  GanStats d, g;
  for (int k = 0; k < spec_.k_d; ++k) d = d_step_on(data, rng);
  for (int k = 0; k < spec_.k_g; ++k) g = g_step(batch_now(), rng);
  StepStats s;
  s.steps = 1;
  s.d_loss = d.d_loss;
  s.g_loss = g.g_loss;
  s.d_real = d.d_real;
  s.d_fake = d.d_fake;
  s.finite = std::isfinite(d.d_loss) && std::isfinite(g.g_loss);
  return s;
}

StepStats Gan::train_part(const std::string& part, DataStream& data, Rng& rng) {
  StepStats s;
  s.steps = 1;
  if (part == "d") {
    const GanStats d = d_step_on(data, rng);
    s.d_loss = d.d_loss, s.d_real = d.d_real, s.d_fake = d.d_fake;
    s.finite = std::isfinite(d.d_loss);
  } else if (part == "g") {
    const GanStats g = g_step(batch_now(), rng);
    s.g_loss = g.g_loss, s.d_fake = g.d_fake;
    s.finite = std::isfinite(g.g_loss);
  } else {
    return Model::train_part(part, data, rng);
  }
  return s;
}

GanStats Gan::d_step_on(DataStream& data, Rng& rng) {
  const Tensor2& real = data.next();
  const TrainLabelsScope labels(cond_, data);
  const std::size_t B = batch_now();
  if (B == rows(real)) return d_step(real, rng);
  // Batch ramp: the first B rows of the stream's batch (and, conditional, their classes).
  ensure_shape(real_part_, B, cols(real));
  std::copy(real.data(), real.data() + B * cols(real), real_part_.data());
  return d_step(real_part_, rng);
}

std::vector<Network> Gan::networks() { return {{"G", &g_store_, g_opt_.get()}, {"D", &d_store_, d_opt_.get()}}; }

std::vector<StateTensor> Gan::extra_state() {
  if (ema_.size() == 0) return {};
  return {{"ema.G", &ema_}};
}

void Gan::grad_norms(StepStats& s) const {
  s.g_grad = std::sqrt(kernels::sum_sq(g_store_.grads().data(), g_store_.size()));
  s.d_grad = std::sqrt(kernels::sum_sq(d_store_.grads().data(), d_store_.size()));
}

}  // namespace genlab::models

namespace genlab::models {
namespace {

void check_gan(const Config& c) {
  if (c.batch % c.pack != 0)
    throw ConfigError("batch", std::to_string(c.batch) + " is not a multiple of pack = " + std::to_string(c.pack));
  // A first batch at or above `batch` means no ramp (a smaller batch set over a preset with a ramp).
  if (c.batch_start > 0 && c.batch_start < c.batch && c.batch_start % c.pack != 0)
    throw ConfigError("batch_start", std::to_string(c.batch_start) + " is not a multiple of pack = " + std::to_string(c.pack));
  if (c.label_smooth > 0.0f && c.loss != "minimax" && c.loss != "nonsaturating")
    throw ConfigError("label_smooth", "applies to the cross-entropy losses (minimax, nonsaturating), not " + c.loss);
}

}  // namespace

ModelKind gan_kind() {
  ModelKind k;
  k.name = "gan";
  k.title = "GAN (adversarial)";
  k.groups = {"general", "gan", "optimizer"};
  k.budget_key = "g_hidden";
  k.parts = {"d", "g"};
  k.channels = {"d_loss", "g_loss", "d_real"};
  k.views_2d = {"data", "field", "arrows", "warp"};
  k.views_image = {"samples", "real"};
  k.check = check_gan;
  k.arch = [](const Config& c) { return gan_arch(gan_spec(c)); };
  k.make = [](const Config& c, Rng& init) -> std::unique_ptr<Model> { return std::make_unique<Gan>(gan_spec(c), init); };
  return k;
}

}  // namespace genlab::models
