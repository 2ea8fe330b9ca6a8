// Session: the façade both the WebAssembly module and the command-line trainer drive.
//   configure(config) → train(steps) → metrics / samples / fields, all as batched calls.
// It owns the data, the model, the RNG streams and a bounded loss history. It does no I/O: image
// sets are handed to it (the CLI reads asset files, the page fetches them).
#pragma once

#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "genlab/config/config.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/core/tensor.hpp"
#include "genlab/data/batcher.hpp"
#include "genlab/data/image_asset.hpp"
#include "genlab/data/toy2d.hpp"
#include "genlab/metrics/grid_divergence.hpp"
#include "genlab/models/classifier.hpp"
#include "genlab/models/gan.hpp"
#include "genlab/models/vae.hpp"

namespace genlab {

// Averages over the steps of one train() call.
struct StepStats {
  int steps = 0;             // steps actually run (fewer than asked if training diverged)
  long long total_steps = 0; // steps since configure
  double epoch = 0;          // fractional epochs of the training set seen
  float loss = 0, recon = 0, kl = 0, beta = 0;       // VAE
  float d_loss = 0, g_loss = 0, d_real = 0, d_fake = 0;  // GAN
  bool finite = true;        // false: a loss became NaN or ±inf on the last step run
};

// One point of the loss history (averaged over `span` consecutive steps).
struct HistoryPoint {
  double step = 0;
  float a = 0, b = 0, c = 0;  // VAE: loss, recon, kl · GAN: d_loss, g_loss, d_real
};

using Metrics = std::map<std::string, double>;

class Session {
 public:
  Session() = default;

  // Hands the session the train and test images of an image data set (e.g. "mnist28").
  void provide_images(const std::string& dataset, ImageSet train, ImageSet test);
  bool has_images(const std::string& dataset) const { return images_.count(dataset) != 0; }
  // The points of the "points" data set (n, 2): finite, at least 2 rows.
  void set_points(const Tensor2& points);

  // Validates the config and rebuilds data and model. On any error the session is unchanged.
  void configure(const Config& c);
  bool configured() const { return vae_ || gan_; }
  const Config& config() const { return cfg_; }

  // VAE: `n` optimizer steps. GAN: `n` iterations of k_D discriminator + k_G generator steps.
  StepStats train(int n);
  // GAN only: n discriminator-only or generator-only steps.
  StepStats train_d(int n);
  StepStats train_g(int n);
  long long steps() const { return steps_; }

  // Checkpoints: train() keeps the model as it was after the last finite step, every
  // kCheckpointEvery steps (in memory, as a model file). When a loss turns NaN/inf, training
  // stops and restore_checkpoint() returns the session to that last good state.
  static constexpr long long kCheckpointEvery = 200;
  // Takes a checkpoint now (only if the model's parameters are all finite); true if taken.
  bool checkpoint();
  // Restores the last checkpoint; returns its step count, or −1 when there is none.
  long long restore_checkpoint();
  long long checkpoint_steps() const { return checkpoint_.empty() ? -1 : checkpoint_steps_; }

  // Paper-grade metrics of the current model (see README). iwae_k = 0 skips the IWAE bound.
  Metrics evaluate(int iwae_k = 0);
  // Accuracy of the image classifier used by the metrics (trained on first use).
  double classifier_accuracy();

  // Views, each one batched call. 2-D data: rows (x, y). Images: rows of pixels in [0, 1].
  Tensor2 real_samples(std::size_t n);           // from the data (fixed per configure)
  Tensor2 samples(std::size_t n);                // from fixed noise: the same z every call
  Tensor2 discriminator_field(const metrics::Box& box, std::size_t res);  // (res², 1), row-major, y up
  Tensor2 generator_gradients(std::size_t n);    // (n, D) ∂L_G/∂x at samples(n)
  Tensor2 noise_grid_warp(std::size_t res);      // G over a res×res grid of the first two noise dims
  Tensor2 reconstructions(std::size_t n, Tensor2* inputs = nullptr);
  Tensor2 latent_codes(std::size_t n, std::vector<std::uint8_t>* labels = nullptr);  // μ of test examples
  Tensor2 latent_grid(std::size_t res, float extent, std::size_t dim_x = 0, std::size_t dim_y = 1);
  Tensor2 interpolate(std::size_t i, std::size_t j, std::size_t steps);
  const std::vector<HistoryPoint>& history() const { return history_; }

  // The trained model as a versioned file: config, weights, optimizer state, step count, checksum.
  std::vector<std::uint8_t> save_model() const;
  // Replaces data and model with a saved one. A corrupt, truncated, wrong-version or mismatched
  // file throws with the reason, and the current session is kept unchanged.
  void load_model(const std::uint8_t* bytes, std::size_t n);

  models::Vae* vae() { return vae_.get(); }
  models::Gan* gan() { return gan_.get(); }
  std::size_t data_dim() const;
  bool image_data() const;
  // The mixture components of the current 2-D data set (ring8, grid25), or nothing.
  std::optional<Modes> data_modes() const;
  // Mean and scale of the data for display: the box that holds the real samples (2-D only).
  metrics::Box data_box() const { return data_box_; }

 private:
  struct ImagePair {
    ImageSet train, test;
  };
  void next_batch();
  void record(const StepStats& s);
  void add_history(double step, float a, float b, float c);
  Metrics evaluate_vae(int iwae_k);
  Metrics evaluate_gan();
  void image_metrics(const Tensor2& generated, Metrics& m);
  void ensure_classifier();
  const Tensor2& test_block(std::size_t n);  // first n held-out examples (images) or fresh 2-D

  Config cfg_;
  std::map<std::string, ImagePair> images_;
  Tensor2 points_;
  std::unique_ptr<models::Vae> vae_;
  std::unique_ptr<models::Gan> gan_;
  std::unique_ptr<Batcher> batcher_;
  std::unique_ptr<models::Classifier> classifier_;
  std::string classifier_for_;
  double classifier_acc_ = 0, real_score_ = 0;
  Rng train_rng_, data_rng_, eval_seed_rng_;
  Tensor2 x_, z_fixed_, test_2d_;
  metrics::Box data_box_{-1, 1, -1, 1};
  long long steps_ = 0;
  std::vector<HistoryPoint> history_;
  std::size_t history_span_ = 1;  // steps per history point; doubles when the history is full
  HistoryPoint pending_;
  std::size_t pending_n_ = 0;
  std::vector<std::uint8_t> checkpoint_;
  long long checkpoint_steps_ = -1;
};

}  // namespace genlab
