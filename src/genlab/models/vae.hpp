// β-VAE (Kingma & Welling 2014; Higgins et al. 2017) with MLP encoder and decoder.
// x → encoder → (μ, log σ²) → z = μ + ε·e^{½ log σ²}, ε ~ N(0, I) → decoder → likelihood of x.
// Loss per example: reconstruction (−log p(x|z)) + β·KL(q(z|x) ‖ N(0, I)), averaged over the batch.
#pragma once

#include <memory>

#include "genlab/config/config.hpp"
#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/models/conditioning.hpp"
#include "genlab/models/model.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"

namespace genlab::models {

enum class Likelihood { Bernoulli, Gaussian };

struct VaeSpec {
  std::size_t in = 0, latent = 2;
  std::vector<std::size_t> enc_hidden, dec_hidden;  // widths, or channel counts when conv
  bool conv = false;         // convolutional encoder and decoder (models/conv_nets.hpp) on side×side images
  bool batch_norm = false;     // conv: batch normalisation before hidden activations
  std::size_t side = 0;
  nn::Act act = nn::Act::ReLU;
  float alpha = 0.2f;
  nn::Init init = nn::Init::He;
  Likelihood likelihood = Likelihood::Bernoulli;
  bool learned_var = true;     // Gaussian: the decoder also outputs log σ² per dimension
  float fixed_logvar = -4.0f;  // Gaussian with fixed variance
  float beta = 1.0f;
  long long kl_warmup = 0;     // β ramps linearly from 0 over this many steps
  bool binarize = false;       // images binarised: training batches per step, the test set once
  std::size_t classes = 0;     // > 0: class-conditional (Sohn et al. 2015): the one-hot class is
                               // appended to the encoder's input x and to the decoder's input z
  optim::OptimConfig opt;
};

// The VAE of a configuration, and its architecture (encoder "enc", decoder "dec", the graph).
VaeSpec vae_spec(const Config& c);
ArchSpec vae_arch(const VaeSpec& s);

// Per-example averages in nats.
struct VaeLoss {
  float loss = 0;   // recon + β·kl (the training objective)
  float recon = 0;  // −log p(x|z)
  float kl = 0;     // KL(q(z|x) ‖ p(z))
  float neg_elbo() const { return recon + kl; }
};

class Vae final : public Model, public Autoencoder {
 public:
  Vae(const VaeSpec& spec, Rng& init_rng);

  // One optimizer step on x (B, in): forward, loss, backward, update.
  VaeLoss train_step(const Tensor2& x, Rng& rng);
  // Gradients of the training objective on x with the given noise ε (B, latent), added into the
  // store; no update. For tests (finite differences) and the step above.
  VaeLoss loss_and_grad(const Tensor2& x, const Tensor2& eps);
  // The objective's terms with β = 1 (so loss = −ELBO) with one posterior sample; no gradients.
  VaeLoss evaluate(const Tensor2& x, Rng& rng);
  // Importance-weighted bound (Burda et al. 2016) on −log p(x), mean over rows:
  // −log (1/k) Σ_j p(x, z_j)/q(z_j|x) with k samples z_j = μ + σ ε_j.
  double iwae_nll(const Tensor2& x, int k, Rng& rng);
  // The same with the given noise: one ε (B, latent) per sample (k = eps.size()).
  double iwae_nll(const Tensor2& x, const std::vector<Tensor2>& eps);

  // Autoencoder
  std::size_t latent() const override { return spec_.latent; }
  void encode(const Tensor2& x, Tensor2& mu, Tensor2& logvar) override;
  // z (B, latent) → mean of p(x|z) (B, in): probabilities (Bernoulli) or means (Gaussian)
  void decode(const Tensor2& z, Tensor2& x_mean) override;
  void reconstruct(const Tensor2& x, Tensor2& x_mean) override;
  // z → a draw from p(x|z) for display: Bernoulli gives the probabilities (a mean image),
  // Gaussian adds the decoder's noise σ·ε to its mean.
  void decode_sample(const Tensor2& z, Rng& rng, Tensor2& x);

  // Model
  const ArchSpec& arch() const override { return arch_; }
  StepStats train_iteration(DataStream& data, Rng& rng) override;
  std::vector<Network> networks() override { return {{"vae", &store_, opt_.get()}}; }
  std::size_t noise_dim() const override { return spec_.latent; }
  void sample_noise(Rng& rng, Tensor2& z) override;
  void generate(const Tensor2& z, Rng& noise, Tensor2& x) override { decode_sample(z, noise, x); }
  void heldout_metrics(const Tensor2& test, const Rng& eval, int iwae_k, Metrics& m) override;
  bool wants_heldout_data() const override { return true; }
  void grad_norms(StepStats& s) const override;
  void retune(const Config& c) override;
  bool binarized_data() const override { return spec_.binarize; }
  std::size_t classes() const override { return spec_.classes; }
  void condition(const std::vector<std::uint8_t>& y) override { cond_.given = y; }
  Autoencoder* autoencoder() override { return this; }

  float beta_now() const;
  long long steps() const { return opt_->steps(); }
  const VaeSpec& spec() const { return spec_; }
  ParamStore& params() { return store_; }
  optim::Optimizer& optimizer() { return *opt_; }

 private:
  // Runs encoder + reparameterisation + decoder; leaves everything backward needs in members.
  void forward(const Tensor2& x, const Tensor2& eps);
  // The encoder's and decoder's outputs for x (B, in) and z (B, latent): with classes, [x | one-hot]
  // and [z | one-hot] go in (conditioning.hpp).
  const Tensor2& encoder(const Tensor2& x) { return enc_.forward(cond_.append(x, xin_)); }
  const Tensor2& decoder(const Tensor2& z) { return dec_.forward(cond_.append(z, zin_)); }
  Conditioning cond_;
  Tensor2 xin_, zin_;
  // Reconstruction term summed over the batch with its gradient (scaled by `scale`) in dout_.
  double recon_term(const Tensor2& x, float scale);
  // −log p(x_r|z_r) of every row r of the current decoder output.
  void recon_per_row(const Tensor2& x, std::vector<double>& out);
  void split_decoder_output(const Tensor2& out);
  // log w_r = log p(x_r, z_r) − log q(z_r|x_r) for every row, z from eps, into logw[0, B).
  void log_weights(const Tensor2& x, const Tensor2& eps, double* logw);

  VaeSpec spec_;
  ArchSpec arch_;
  nn::Sequential enc_, dec_;
  ParamStore store_;
  std::size_t dec_offset_ = 0;  // where the decoder's tensors start in the store
  std::unique_ptr<optim::Optimizer> opt_;
  // Buffers, sized on the first batch of a size.
  const Tensor2* out_ = nullptr;  // the decoder's output for the current batch
  Tensor2 mu_, logvar_, std_, z_, eps_;
  Tensor2 ymean_, ylogvar_, dymean_, dylogvar_, dout_;
  Tensor2 dmu_kl_, dlv_kl_, dh_;
  std::vector<double> recon_rows_;
};

}  // namespace genlab::models
