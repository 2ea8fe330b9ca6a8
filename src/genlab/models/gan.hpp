// GAN (Goodfellow et al. 2014) with MLP generator G and discriminator D, each with its own
// ParamStore and optimizer. D outputs one raw score a per (packed) example; the losses
// (gan_losses.hpp) read it as a logit (minimax, nonsaturating) or as a raw score (lsgan, hinge, wgan).
// An iteration is k_D discriminator steps then k_G generator steps (Gan::d_step, Gan::g_step).
#pragma once

#include <memory>
#include <string>

#include "genlab/config/config.hpp"
#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/models/gan_losses.hpp"
#include "genlab/models/conditioning.hpp"
#include "genlab/models/model.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"

namespace genlab::models {

struct GanSpec {
  std::size_t data_dim = 2, noise = 8;
  std::vector<std::size_t> g_hidden, d_hidden;  // widths, or channel counts when conv
  bool conv = false;           // convolutional G and D (models/conv_nets.hpp) on side×side images
  bool batch_norm = false;     // conv: batch normalisation before hidden activations
  std::size_t side = 0;
  nn::Act g_act = nn::Act::ReLU, d_act = nn::Act::LeakyReLU, g_out = nn::Act::None;
  float alpha = 0.2f;
  nn::Init init = nn::Init::He;
  bool uniform_noise = false;  // U(−1, 1) instead of N(0, 1)
  GanLoss loss = GanLoss::NonSaturating;
  int k_d = 1, k_g = 1;
  std::size_t batch = 64;      // generated examples per generator step
  float label_smooth = 0.0f;   // one-sided: real targets 1 − s (cross-entropy losses)
  std::size_t pack = 1;        // PacGAN: D sees `pack` samples concatenated
  float wgan_clip = 0.01f;
  float g_ema = 0.0f;          // > 0: keep an exponential moving average of G's weights (decay
                               // g_ema) and use it for samples, views and metrics
  int g_ema_warmup = 0;        // > 0: the average's decay is min(g_ema, (1 + t)/(N + t)) after t G steps
  std::size_t batch_start = 0; // > 0: batch ramp, batch_start · 2^⌊t / batch_every⌋ up to `batch`
  long long batch_every = 1000;
  float d_dropout = 0.0f;      // > 0: dropout after D's hidden layers, on only in d_step and g_step
                               // (masks from their RNG); every other use of D sees all units
  std::size_t classes = 0;     // > 0: class-conditional (Mirza & Osindero 2014): the one-hot
                               // class is appended to G's noise and to every sample D judges
  optim::OptimConfig g_opt, d_opt;
};

// The GAN of a configuration, and its architecture (generator "G", discriminator "D", the graph).
GanSpec gan_spec(const Config& c);
ArchSpec gan_arch(const GanSpec& s);

struct GanStats {
  float d_loss = 0, g_loss = 0;
  float d_real = 0, d_fake = 0;  // mean D output on real / fake: probability for the
                                 // cross-entropy losses, raw score otherwise
};

class Gan final : public Model, public Critic {
 public:
  Gan(const GanSpec& spec, Rng& init_rng);

  // One discriminator update on a real batch (B, data_dim) against B fresh generated samples.
  GanStats d_step(const Tensor2& real, Rng& rng);
  // One generator update on B fresh noise vectors.
  GanStats g_step(std::size_t B, Rng& rng);
  // D's loss gradient, added into D's store, for given real and fake batches (no update).
  GanStats d_loss_and_grad(const Tensor2& real, const Tensor2& fake);
  // G's loss gradient, added into G's store, for given noise (no update). D's parameter
  // gradients from this pass are discarded.
  GanStats g_loss_and_grad(const Tensor2& z);

  // z (B, noise) → x (B, data_dim), with G's moving average when kept
  void generate(const Tensor2& z, Tensor2& x);

  // Model: an iteration is k_D d_steps (a real batch each) then k_G g_steps; parts "d" and "g".
  const ArchSpec& arch() const override { return arch_; }
  StepStats train_iteration(DataStream& data, Rng& rng) override;
  StepStats train_part(const std::string& part, DataStream& data, Rng& rng) override;
  std::vector<Network> networks() override;
  std::vector<StateTensor> extra_state() override;
  void grad_norms(StepStats& s) const override;
  void retune(const Config& c) override;
  int batches_per_iteration() const override { return spec_.k_d; }
  std::size_t noise_dim() const override { return spec_.noise; }
  void sample_noise(Rng& rng, Tensor2& z) override;
  float noise_extent() const override { return spec_.uniform_noise ? 1.0f : 2.0f; }
  void generate(const Tensor2& z, Rng& /*noise*/, Tensor2& x) override { generate(z, x); }
  Critic* critic() override { return this; }
  std::size_t classes() const override { return spec_.classes; }
  void condition(const std::vector<std::uint8_t>& y) override { cond_.given = y; }

  // Critic: D's output per point x (B, data_dim): a probability for the cross-entropy losses, raw
  // score otherwise. With packing each point is judged as `pack` copies of itself.
  void discriminate(const Tensor2& x, Tensor2& out) override;
  bool outputs_probability() const override { return models::outputs_probability(spec_.loss); }
  void generator_gradient(const Tensor2& x, Tensor2& dx) override;
  std::size_t pack() const override { return spec_.pack; }

  const GanSpec& spec() const { return spec_; }
  ParamStore& g_params() { return g_store_; }
  ParamStore& d_params() { return d_store_; }
  optim::Optimizer& g_optimizer() { return *g_opt_; }
  optim::Optimizer& d_optimizer() { return *d_opt_; }
  long long g_steps() const { return g_opt_->steps(); }
  long long d_steps() const { return d_opt_->steps(); }
  // The moving average of G's weights (empty when g_ema = 0), laid out like g_params().values().
  Tensor1& g_ema_values() { return ema_; }
  // The batch of the next step: `batch`, or with a ramp batch_start · 2^⌊G steps / batch_every⌋ up to it.
  std::size_t batch_now() const;

 private:
  // x (B, D) → D input (B/pack, pack·(D + C)): each row with its one-hot class (conditional),
  // then packed — rows are contiguous, so packing is a reshape.
  const Tensor2& packed(const Tensor2& x, Tensor2& buf);
  // G on z (B, noise), with its class appended when conditional.
  const Tensor2& g_forward(const Tensor2& z) { return G_.forward(cond_.append(z, zin_)); }
  // A generator step's classes: drawn uniformly from the step's RNG (conditional models only).
  void draw_classes(std::size_t B, Rng& rng);
  void unpack_gradient(const Tensor2& dpacked, std::size_t B, Tensor2& dx);
  // A d_step on the stream's next batch, with its classes when conditional.
  GanStats d_step_on(DataStream& data, Rng& rng);
  void clip_d_weights();
  void update_ema();
  // A batch ramp is on: 0 < batch_start < batch (a first batch at or above the batch is none).
  bool ramping() const;
  // The optimizers' rates for the next step: the configured ones, annealed with the batch ramp.
  void set_learning_rates();
  // Runs f with G's weights replaced by their moving average (when kept), then restores them.
  template <class F>
  void with_ema(F f);

  GanSpec spec_;
  ArchSpec arch_;
  nn::Sequential G_, D_;
  ParamStore g_store_, d_store_;
  std::unique_ptr<optim::Optimizer> g_opt_, d_opt_;
  Tensor1 ema_, saved_;
  Tensor2 z_, real_packed_, fake_packed_, target_, da_, dfake_, scratch_, real_part_;
  Conditioning cond_;
  Tensor2 zin_, xin_;
  std::vector<std::uint8_t> g_classes_;
};

}  // namespace genlab::models
