// VAE-GAN (Larsen et al. 2016): a VAE whose decoder also plays the generator against a
// discriminator D, and whose reconstruction is measured in D's feature space instead of pixels.
//   x → enc → (μ, log σ²) → z = μ + σ·ε → dec → x̃          z_p ~ N(0, I) → dec → x_p
//   f(·) = one of D's hidden layers (feature_layer: the "features"); D(·) = its score, on from f
// Per example, averaged over the batch:
//   L_prior = KL(q(z|x) ‖ N(0, I))
//   L_llike = ½‖f(x̃) − f(x)‖²   (−log of a unit-variance Gaussian over the features, up to a constant)
//   D minimises its GAN loss with x real and both x̃ and x_p generated (gan_losses.hpp);
//   enc minimises β·L_prior + L_llike;  dec minimises γ·L_llike + G's loss on x̃ and on x_p.
// The three networks step together on gradients computed at the same weights (the paper's
// Algorithm 1); the encoder does not see the GAN loss, D does not see L_llike.
#pragma once

#include <memory>

#include "genlab/config/config.hpp"
#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/models/gan_losses.hpp"
#include "genlab/models/model.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"

namespace genlab::models {

struct VaeGanSpec {
  std::size_t in = 0, latent = 2;
  std::vector<std::size_t> enc_hidden, dec_hidden, d_hidden;  // widths, or channel counts when conv
  bool conv = false;        // convolutional networks (models/conv_nets.hpp) on side×side images
  bool batch_norm = false;  // conv: batch normalisation before hidden activations
  std::size_t side = 0;
  nn::Act act = nn::Act::ReLU, d_act = nn::Act::LeakyReLU;
  nn::Act out = nn::Act::None;  // the decoder's output: sigmoid on images (pixels in [0, 1])
  float alpha = 0.2f;
  nn::Init init = nn::Init::He;
  float beta = 1.0f;              // weight of the KL term in the encoder's loss
  long long kl_warmup = 0;        // β ramps linearly from 0 over this many steps
  float gamma = 1.0f;             // weight of L_llike in the decoder's loss (against its GAN loss)
  std::size_t feature_layer = 1;  // f = the activations of D's hidden layer (stage) this far in, from 1
  GanLoss loss = GanLoss::NonSaturating;
  float label_smooth = 0.0f;
  optim::OptimConfig opt, d_opt;  // encoder and decoder (each its own state); D
};

VaeGanSpec vaegan_spec(const Config& c);
// Networks "enc", "dec" and "D"; the graph.
ArchSpec vaegan_arch(const VaeGanSpec& s);

struct VaeGanLoss {
  float loss = 0;   // the encoder's objective: llike + β·kl
  float llike = 0;  // ½‖f(x̃) − f(x)‖²
  float kl = 0;
  float g_loss = 0;              // the decoder's GAN loss: on x̃ plus on x_p
  float d_loss = 0;              // D's: on x, x̃ and x_p
  float d_real = 0, d_fake = 0;  // D's mean output on x and on x_p
};

class VaeGan final : public Model, public Autoencoder, public Critic {
 public:
  VaeGan(const VaeGanSpec& spec, Rng& init_rng);

  // Every network's gradient for the batch x (B, in) with the noise ε (B, latent) of the
  // reparameterisation and z_p (B, latent) of the prior samples, added into the three stores; no
  // update. For tests (finite differences) and the step below.
  VaeGanLoss loss_and_grad(const Tensor2& x, const Tensor2& eps, const Tensor2& zp);
  // One step: fresh ε and z_p, the gradients above, then the three optimizers.
  VaeGanLoss train_step(const Tensor2& x, Rng& rng);

  // Autoencoder
  std::size_t latent() const override { return spec_.latent; }
  void encode(const Tensor2& x, Tensor2& mu, Tensor2& logvar) override;
  void decode(const Tensor2& z, Tensor2& x) override;
  void reconstruct(const Tensor2& x, Tensor2& x_rec) override;

  // Critic (pack 1)
  void discriminate(const Tensor2& x, Tensor2& out) override;
  bool outputs_probability() const override { return models::outputs_probability(spec_.loss); }
  void generator_gradient(const Tensor2& x, Tensor2& dx) override;
  std::size_t pack() const override { return 1; }

  // Model
  const ArchSpec& arch() const override { return arch_; }
  StepStats train_iteration(DataStream& data, Rng& rng) override;
  std::vector<Network> networks() override;
  void grad_norms(StepStats& s) const override;
  void retune(const Config& c) override;
  std::size_t noise_dim() const override { return spec_.latent; }
  void sample_noise(Rng& rng, Tensor2& z) override;
  void generate(const Tensor2& z, Rng& /*noise*/, Tensor2& x) override { decode(z, x); }
  Critic* critic() override { return this; }
  Autoencoder* autoencoder() override { return this; }

  float beta_now() const;
  const VaeGanSpec& spec() const { return spec_; }
  ParamStore& enc_params() { return enc_store_; }
  ParamStore& dec_params() { return dec_store_; }
  ParamStore& d_params() { return d_store_; }
  // D's layers [0, n) compute the features f: n is one past its feature_layer-th hidden activation.
  std::size_t d_feature_layers() const { return feature_end_; }

 private:
  // x (B, in) → μ, log σ², σ and z = μ + σ·ε (B, latent)
  void encode_sample(const Tensor2& x, const Tensor2& eps);
  // D's gradient at its input for a gradient dfeat at the features and da at the score, after a
  // forward of D on that input (D frozen: no parameter gradients).
  const Tensor2& d_input_gradient(const Tensor2& dfeat, const Tensor2& da);

  VaeGanSpec spec_;
  ArchSpec arch_;
  std::size_t feature_end_ = 0;
  nn::Sequential enc_, dec_, D_;
  ParamStore enc_store_, dec_store_, d_store_;
  std::unique_ptr<optim::Optimizer> enc_opt_, dec_opt_, d_opt_;
  Tensor2 mu_, logvar_, std_, z_, eps_, zp_;
  Tensor2 x_tilde_, x_p_, f_real_, df_, da_, target_, dx_llike_, dx_dec_, dz_, dh_, dmu_kl_, dlv_kl_, dfeat_sum_;
};

}  // namespace genlab::models
