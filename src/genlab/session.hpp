// Session: the façade both the WebAssembly module and the command-line trainer drive.
//   configure(config) → train(steps) → metrics / samples / fields, all as batched calls.
// It owns the data, the model (any kind of models/registry.hpp, behind models::Model), the RNG
// streams and a bounded loss history. It never asks which kind of model it holds: training,
// save/load and checkpoints go through the model's lists (networks, extra state), views and
// metrics through its capabilities (critic, autoencoder). It does no I/O: image sets are handed to
// it (the CLI reads asset files, the page fetches them).
#pragma once

#include <map>
#include <memory>
#include <optional>
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
#include "genlab/models/model.hpp"
#include "genlab/models/registry.hpp"

namespace genlab {

using models::Metrics;
using models::StepStats;

// The loss history: one point per `span` steps (averaged), one value per channel (the model
// kind's StepStats fields, ModelKind::channels).
struct History {
  std::vector<std::string> channels;
  std::vector<double> steps;   // the mean step of each point
  std::vector<float> values;   // steps.size() × channels.size(), point-major
  std::size_t size() const { return steps.size(); }
  float value(std::size_t point, std::size_t channel) const { return values[point * channels.size() + channel]; }
};

class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Hands the session the train and test images of an image data set (e.g. "mnist28").
  void provide_images(const std::string& dataset, ImageSet train, ImageSet test);
  bool has_images(const std::string& dataset) const { return images_.count(dataset) != 0; }
  // The points of the "points" data set (n, 2): finite, at least 2 rows.
  void set_points(const Tensor2& points);

  // Validates the config and rebuilds data and model. On any error the session is unchanged.
  void configure(const Config& c);
  // Applies a configuration that differs from the running one only in live settings
  // (Field::live) to the running model: weights, optimizer state, step count and history stay.
  // Throws ConfigError naming the first setting that needs a new run (nothing changes then).
  void retune(const Config& c);
  bool configured() const { return model_ != nullptr; }
  const Config& config() const { return cfg_; }
  // The kind of the configured model (its views, channels, parts, settings groups).
  const models::ModelKind& kind() const;
  models::Model* model() { return model_.get(); }
  const models::ArchSpec& arch() const;

  // n training iterations (a VAE step; a GAN's k_D discriminator + k_G generator steps).
  StepStats train(int n);
  // n steps of one part of the iteration (ModelKind::parts, e.g. "d" or "g" for a GAN); they do
  // not count as iterations.
  StepStats train_part(const std::string& part, int n);
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
  // judge = false leaves out what needs the image classifier (class_* and classifier_*), so that
  // none is trained now: a VAE's bound on held-out images is there at once.
  Metrics evaluate(int iwae_k = 0, bool judge = true);
  // Accuracy of the image classifier used by the metrics (trained on first use). Each image set keeps
  // its classifier (trained or installed) until provide_images gives that set new images.
  double classifier_accuracy();
  // That classifier for an image data set as flat weights (trained now if it is not yet), so that
  // another Session — the page trains it in a helper worker, on the other core — installs them
  // instead of training its own. Fixed seeds: both ways give the same bits.
  std::vector<float> judge_weights(const std::string& dataset);
  // Takes weights from judge_weights (of the same data set's images) as that set's classifier, whichever
  // set is configured; std::invalid_argument if they do not fit it or are not finite, and then nothing
  // changes.
  void install_judge(const std::string& dataset, std::vector<float> weights);
  // How many metrics' judges this Session has trained itself (1,500–4,000 batches each), rather than
  // had installed: the page's training worker should train none (tests read it, not timings).
  std::size_t judges_trained() const { return judges_trained_; }
  // What makes that classifier's bits, in words: the version, its tensors' shapes, seed, steps and
  // the images' counts. A judge stored with its recipe (the site ships one per image data set,
  // scripts/make_judges.mjs) is installed only where the recipe still reads the same.
  std::string judge_recipe(const std::string& dataset) const;
  // A second judge of n generated images, built and trained apart from the metrics' classifier
  // (a small conv net, its own seed and length; seconds natively on first use, so the native
  // trainer's final line has it, not the page): classifier2_score, class2_modes,
  // class2_max_fraction, classifier2_accuracy, real_classifier2_score. Image data only.
  void second_opinion(Metrics& m, std::size_t n = 2000);

  // Views, each one batched call. 2-D data: rows (x, y). Images: rows of pixels in [0, 1].
  Tensor2 real_samples(std::size_t n);           // from the data (fixed per configure)
  Tensor2 samples(std::size_t n);                // from fixed noise: the same z every call
  // Class-conditional models (classes() > 0): the class samples, the manifold and the
  // interpolation's decoding are drawn for; −1 (the default): row r of samples gets class r mod
  // classes() (the metrics always use that), the manifold and interpolation their first example's.
  std::size_t classes() const;
  void set_sample_class(int c);
  int sample_class() const { return sample_class_; }
  Tensor2 discriminator_field(const metrics::Box& box, std::size_t res);  // (res², 1), row-major, y up
  Tensor2 generator_gradients(std::size_t n);    // (n, D) ∂L_G/∂x at samples(n)
  Tensor2 noise_grid_warp(std::size_t res);      // the model over a res×res grid of noise dims 0, 1
  Tensor2 reconstructions(std::size_t n, Tensor2* inputs = nullptr);
  Tensor2 latent_codes(std::size_t n, std::vector<std::uint8_t>* labels = nullptr);  // μ of test examples
  Tensor2 latent_grid(std::size_t res, float extent, std::size_t dim_x = 0, std::size_t dim_y = 1);
  Tensor2 interpolate(std::size_t i, std::size_t j, std::size_t steps);
  const History& history() const { return history_; }
  // Epochs of data seen (a loaded model's counted on from its file); 0 on analytic 2-D data.
  double epoch() const;
  static constexpr std::size_t kHistoryCapacity = 2048;  // points; then pairs merge, span doubles
  // Whether the current model offers a view (ModelKind::views_2d / views_image for the data).
  bool offers_view(const std::string& view) const;
  const std::vector<std::string>& views() const;

  // The trained model as a versioned file: config, weights, optimizer state, extra state, step
  // count, the loss history and the epoch, checksum.
  std::vector<std::uint8_t> save_model() const;
  // The same into `out`, reusing its capacity (periodic saves allocate once).
  void save_model(std::vector<std::uint8_t>& out) const;
  // Bytes a save of this run needs at most (the model and a full history): reserve a kept buffer.
  std::size_t save_capacity() const { return checkpoint_.capacity(); }
  // Replaces data and model with a saved one. A corrupt, truncated, wrong-version or mismatched
  // file (a tensor missing, mis-shaped or extra) throws with the reason, and the current session
  // is kept unchanged. Files without a history or epoch (older ones) load with none.
  void load_model(const std::uint8_t* bytes, std::size_t n);
  // The weights as a .safetensors file with PyTorch's names and GenLab's metadata (config,
  // architecture spec, step; session_export.cpp), in float32 or float16.
  std::vector<std::uint8_t> export_safetensors(bool half = false) const;
  // A compact file for a trained starting point (the page's checkpoints): bits 16 is
  // export_safetensors(true); bits 2–8 store every weight matrix as signed bytes with a scale per
  // row (io/quantize.hpp), everything else in float16, and a GAN that keeps G's moving average
  // stores only that, G's trained tensors being set from it on import ("genlab.g_from_ema").
  // per_network overrides the bits of one network's matrices, named by the tensors' first part
  // ("enc", "dec", "G_ema", "D"): {{"D", 3}}.
  std::vector<std::uint8_t> export_checkpoint(int bits, const std::vector<std::pair<std::string, int>>& per_network = {}) const;
  // Weights from a .safetensors file: a GenLab one (exported here or written by the generated
  // PyTorch module) replaces the model with the one its metadata names; a file without GenLab
  // metadata loads into the model configured now. Every tensor is checked by name, shape and
  // type first; on any error the session is unchanged. Optimizer state starts afresh. Compact
  // files (export_checkpoint) are expanded first.
  void import_safetensors(const std::uint8_t* bytes, std::size_t n);
  // For training elsewhere on a drawn 2-D set: n fresh draws of it as .safetensors, x (n, 2) and
  // y (n, 1) (each point's mixture component; 0 for sets without components); for `points`, the
  // points themselves. Throws on image data (those train from their packaged .glds files).
  std::vector<std::uint8_t> export_training_points(std::size_t n) const;

  std::size_t data_dim() const;
  bool image_data() const;
  // The mixture components of the current 2-D data set (ring8, grid25), or nothing.
  std::optional<Modes> data_modes() const;
  // Mean and scale of the data for display: the box that holds the real samples (2-D only).
  metrics::Box data_box() const { return data_box_; }

 private:
  // GenLab's metadata of an exported .safetensors file (session_export.cpp).
  std::vector<std::pair<std::string, std::string>> export_metadata() const;
  struct ImagePair {
    ImageSet train, test;
  };
  // Everything a configuration builds, made aside so that a failure leaves the session as it was.
  struct Run {
    Config cfg;
    std::unique_ptr<models::Model> model;
    std::unique_ptr<Batcher> batcher;
    metrics::Box box{-1, 1, -1, 1};
  };
  class Stream;

  Run prepare(const Config& c) const;
  void commit(Run run, long long steps);  // cannot fail
  void next_batch();
  void record(const StepStats& s);
  void image_metrics(const Tensor2& generated, Metrics& m);
  struct Judge;
  Judge& ensure_classifier(const std::string& dataset);  // that set's judge, trained now if it has none
  nn::NetSpec judge_net(const std::string& dataset) const;
  const Tensor2& test_block(std::size_t n);  // first n held-out examples (images) or fresh 2-D
  models::Critic& critic(const char* what);
  models::Autoencoder& autoencoder(const char* what);

  Config cfg_;
  std::map<std::string, ImagePair> images_;
  Tensor2 points_;
  std::unique_ptr<models::Model> model_;
  std::unique_ptr<Stream> stream_;
  std::unique_ptr<Batcher> batcher_;
  // A classifier that judges generated images, trained on first use (or installed) for one data set.
  struct Judge {
    std::unique_ptr<models::Classifier> clf;
    std::string dataset;
    double accuracy = 0, real_score = 0;  // on the test images; their score, for scale
  };
  Judge new_judge(const std::string& dataset, const nn::NetSpec& net, int seed);
  void score_judge(Judge& j);
  // Trains a judge for a data set: `steps` batches of B from seed's streams.
  Judge train_judge(const std::string& dataset, const nn::NetSpec& net, int seed, std::size_t B, std::size_t steps);
  // The metrics' judges, one per image data set, kept while that set's images stay (a run back on a
  // set finds its judge); the second opinion's, for the configured set only.
  std::vector<Judge> judges_;  // at most one per data set (a vector: a map's code costs the page's budget)
  Judge& keep_judge(Judge j);   // j as its set's judge, in place of any it had
  Judge judge2_;
  std::size_t judges_trained_ = 0;
  Rng train_rng_, data_rng_;
  Tensor2 x_, test_2d_;
  std::vector<std::uint8_t> labels_;  // the training batch's classes (conditional models)
  int sample_class_ = -1;
  // Tells a conditional model the classes of the next call's rows: the first n test labels, or
  // n copies of one class (or, for −1 and no test labels, none: row r gets class r mod C).
  void condition_on_test(std::size_t n);
  void condition_on_class(int c, std::size_t n);
  // The class a conditional model's manifold and interpolation are decoded for: the chosen one,
  // else test example `example`'s.
  int view_class(std::size_t example);
  std::vector<std::uint8_t> point_classes(const Tensor2& x) const;
  std::vector<std::uint8_t> test_classes(std::size_t n);
  // samples(n) for class cls (−1: every class in turn, as the metrics ask).
  Tensor2 samples_for(std::size_t n, int cls);
  std::vector<std::uint8_t> asked_classes(std::size_t n) const;
  metrics::Box data_box_{-1, 1, -1, 1};
  long long steps_ = 0;
  History history_;
  double epochs_before_ = 0;  // epochs a loaded model had seen (the batcher starts from 0)
  std::vector<float StepStats::*> channel_fields_;  // the StepStats field of each channel
  std::size_t history_span_ = 1;  // steps per history point; doubles when the history is full
  std::vector<double> pending_;   // sums of the point being filled: step, then one per channel
  std::size_t pending_n_ = 0;
  std::vector<std::uint8_t> checkpoint_;
  long long checkpoint_steps_ = -1;
};

}  // namespace genlab
