// The Model interface: what Session needs from a model kind, and nothing about which kind it is.
// A model trains one iteration at a time (returning StepStats), lists its networks (name,
// parameters, optimizer) and any extra state (e.g. G's moving average) so that save/load,
// checkpoints, finite checks and rollback work over the lists, generates from its noise, and
// offers optional capabilities (a critic of data points, an autoencoder) that views and metrics use.
// A new kind is one file under models/ plus an entry in registry.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "genlab/config/config.hpp"
#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/core/tensor.hpp"
#include "genlab/models/arch.hpp"
#include "genlab/optim/optimizer.hpp"

namespace genlab::models {

// Per-call training statistics: the float fields are averages over the steps of one call.
struct StepStats {
  int steps = 0;              // steps actually run (fewer than asked if training diverged)
  long long total_steps = 0;  // steps since configure
  double epoch = 0;           // fractional epochs of the training set seen
  bool finite = true;         // false: a loss became NaN or ±inf on the last step run
  // VAE terms (nats per example)
  float loss = 0, recon = 0, kl = 0, beta = 0;
  // GAN: the two players' losses and D's mean output on real and generated examples
  float d_loss = 0, g_loss = 0, d_real = 0, d_fake = 0;
  // Global L2 norm of each network's gradient on the last step (0 when it did not step)
  float enc_grad = 0, dec_grad = 0, g_grad = 0, d_grad = 0;
};

// The float fields of StepStats, listed once: averaging, the JavaScript record and history
// channels all go through this table. `last`: keep the last step's value instead of averaging.
struct StatField {
  const char* name;   // "d_loss"
  const char* js;     // "dLoss"
  float StepStats::*member;
  bool last;
};
const std::vector<StatField>& stat_fields();
const StatField& stat_field(const std::string& name);  // throws std::invalid_argument
// sum += one (float fields; `last` ones copied), then divide the averaged ones by sum.steps.
void accumulate(StepStats& sum, const StepStats& one);
void finish_average(StepStats& sum);

using Metrics = std::map<std::string, double>;

// A trained unit: parameters and the optimizer that updates them.
struct Network {
  std::string name;  // "vae", "G", "D": names the optimizer state in model files ("opt.<name>.i")
  ParamStore* params;
  optim::Optimizer* optimizer;
};

// State saved with the model besides networks and optimizers, laid out like some network's values.
struct StateTensor {
  std::string name;  // "ema.G"
  Tensor1* values;
};

// Where a model's training batches come from: each call returns the next batch (B, data_dim).
class DataStream {
 public:
  virtual ~DataStream() = default;
  virtual const Tensor2& next() = 0;
  // The classes of the last batch's rows (B), when the data set has them and the model asked
  // for them (Model::classes() > 0); else nullptr.
  virtual const std::uint8_t* labels() const { return nullptr; }
};

// A model with a discriminator/critic over data points (GANs).
class Critic {
 public:
  virtual ~Critic() = default;
  // D's output per point x (B, D): a probability when outputs_probability(), else a raw score.
  virtual void discriminate(const Tensor2& x, Tensor2& out) = 0;
  virtual bool outputs_probability() const = 0;
  // ∂L_G/∂x at generated points x (B, D), B a multiple of pack(): where G's loss pushes them.
  virtual void generator_gradient(const Tensor2& x, Tensor2& dx) = 0;
  virtual std::size_t pack() const = 0;
};

// A model with an encoder to a latent space and a decoder back (VAEs).
class Autoencoder {
 public:
  virtual ~Autoencoder() = default;
  virtual std::size_t latent() const = 0;
  // x (B, D) → μ, log σ² (B, latent)
  virtual void encode(const Tensor2& x, Tensor2& mu, Tensor2& logvar) = 0;
  // z (B, latent) → the mean of p(x|z) (B, D)
  virtual void decode(const Tensor2& z, Tensor2& x_mean) = 0;
  // decode(μ(x))
  virtual void reconstruct(const Tensor2& x, Tensor2& x_mean) = 0;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ArchSpec& arch() const = 0;

  // One training iteration (a VAE step; a GAN's k_D + k_G steps), batches drawn from `data`.
  virtual StepStats train_iteration(DataStream& data, Rng& rng) = 0;
  // One step of a part of the iteration (ModelKind::parts, e.g. "d" or "g"); throws for others.
  virtual StepStats train_part(const std::string& part, DataStream& data, Rng& rng);

  virtual std::vector<Network> networks() = 0;
  virtual std::vector<StateTensor> extra_state() { return {}; }
  // Takes the live settings of `c` (Field::live: learning rates, β, the loss variant, …) without
  // touching weights or optimizer state. `c` must describe the same networks; throws
  // std::invalid_argument otherwise. Default: nothing is live.
  virtual void retune(const Config& c);
  // Fills the *_grad fields of s from the gradients the last step left in the stores (optimizers
  // leave gradients untouched, so after a train call they are the last step's).
  virtual void grad_norms(StepStats& s) const { (void)s; }
  // Training batches one iteration draws (a GAN: k_D), for epochs → iterations.
  virtual int batches_per_iteration() const { return 1; }
  // Whether training batches are binarised images (the data pipeline binarises, from its stream).
  virtual bool binarized_data() const { return false; }

  // Replaying noise: when set, every noise draw of a training step (a VAE's ε, a GAN's z) fills
  // its buffer (B, width) from `fn` instead of the Rng, in the order the steps draw it. Reference
  // trajectories computed elsewhere (PyTorch) feed the same noise this way; empty = the Rng.
  using NoiseFn = std::function<void(Tensor2&)>;
  void replay_noise(NoiseFn fn) { replay_ = std::move(fn); }

 protected:
  // z ← the replayed noise, or draw(rng, z) when none is set.
  template <class Draw>
  void training_noise(Rng& rng, Tensor2& z, Draw draw) {
    if (replay_)
      replay_(z);
    else
      draw(rng, z);
  }

 private:
  NoiseFn replay_;

 public:

  // Class-conditional models: the number of classes (0: the model takes no class). Training
  // batches bring their rows' classes (DataStream::labels); every other call that encodes, decodes
  // or generates takes the classes set here, one per row (rows beyond them, or all when none are
  // set, get class r mod classes(), so a grid of samples shows every class in turn).
  virtual std::size_t classes() const { return 0; }
  virtual void condition(const std::vector<std::uint8_t>& y) { (void)y; }

  // Generation: z of the model's noise distribution, then x from it (views and metrics).
  virtual std::size_t noise_dim() const = 0;
  virtual void sample_noise(Rng& rng, Tensor2& z) = 0;
  // How far a grid over the noise should reach (±): about 2 for N(0, 1), 1 for U(−1, 1).
  virtual float noise_extent() const { return 2.0f; }
  // z (B, noise_dim) → x (B, D); `noise` serves models whose output distribution is sampled.
  virtual void generate(const Tensor2& z, Rng& noise, Tensor2& x) = 0;

  // Held-out metrics the model itself defines (the VAE's −ELBO, IWAE bound) on test (N, D).
  // `eval` is the run's evaluation stream; copy it for every use so each is reproducible.
  virtual void heldout_metrics(const Tensor2& test, const Rng& eval, int iwae_k, Metrics& m);
  // Whether heldout_metrics uses its test set (so the session builds one only when it does).
  virtual bool wants_heldout_data() const { return false; }

  virtual Critic* critic() { return nullptr; }
  virtual Autoencoder* autoencoder() { return nullptr; }
};

}  // namespace genlab::models
