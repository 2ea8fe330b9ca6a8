// The one configuration of a GenLab run. Every key has a schema entry (type, range or choices,
// default, help) shared by the CLI (--set key=value), the presets and the page's URL. Setting a
// key validates it on the spot; validate() checks the relations between keys.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace genlab {

struct Config {
  // What to train on what.
  std::string model = "vae";      // a model kind (models/registry.hpp): vae | gan
  std::string dataset = "ring8";  // see dataset_names()
  int seed = 1;
  int batch = 128;
  std::string init = "he";        // he | xavier | torch | dcgan
  std::string net = "mlp";        // mlp | conv (images: convolutional networks, models/conv_nets.hpp)
  bool batch_norm = false;        // net=conv: batch normalisation before hidden activations (DCGAN)
  bool conditional = false;       // class-conditional: the one-hot class into both networks (images, mlp)
  float leaky_alpha = 0.2f;

  // VAE
  int latent = 2;
  std::vector<int> enc_hidden = {64, 64};
  std::vector<int> dec_hidden = {64, 64};
  std::string act = "relu";
  float beta = 1.0f;
  int kl_warmup = 0;                 // steps over which β ramps linearly from 0 (0 = off)
  std::string likelihood = "auto";   // auto | bernoulli | gaussian (auto: images → bernoulli)
  bool binarize = false;             // dynamic binarisation of image batches
  std::string gauss_var = "learned"; // fixed | learned (Gaussian likelihood)
  float gauss_logvar = -4.0f;        // log σ² when fixed
  std::string opt = "adam";
  float lr = 1e-3f;

  // GAN
  int noise = 8;
  std::string noise_dist = "gaussian";  // gaussian | uniform
  std::vector<int> g_hidden = {128, 128};
  std::vector<int> d_hidden = {128, 128};
  std::string g_act = "relu";
  std::string d_act = "leaky_relu";
  std::string g_out = "auto";           // auto | none | tanh | sigmoid (auto: images → sigmoid)
  std::string loss = "nonsaturating";   // minimax | nonsaturating | lsgan | hinge | wgan
  int k_d = 1;
  int k_g = 1;
  float label_smooth = 0.0f;            // one-sided: real targets become 1 − s
  int pack = 1;                         // PacGAN: D judges `pack` samples at once
  float wgan_clip = 0.01f;
  float g_ema = 0.0f;                   // moving average of G's weights for samples (0 = off)
  int g_ema_warmup = 0;                 // > 0: the average's decay is at most (1 + t)/(N + t) after t G steps
  int batch_start = 0;                  // 0 < it < batch: the batch starts here and doubles every batch_every G steps
  int batch_every = 1000;               //      up to `batch`; each doubling divides the learning rates by √2
  float d_dropout = 0.0f;               // dropout rate after D's hidden layers while training (0 = off)
  std::string g_opt = "adam";
  std::string d_opt = "adam";
  float g_lr = 1e-4f;
  float d_lr = 1e-4f;

  // VAE-GAN (its other settings are the VAE's and the GAN's D)
  float gamma = 1.0f;                   // weight of the feature-space reconstruction in the decoder's loss
  int feature_layer = 1;                // D's hidden layer (1 = the first) that the reconstruction is measured in

  // Optimizer details shared by every network.
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float momentum = 0.0f;
  float rho = 0.9f;
  float weight_decay = 0.0f;
  float clip_norm = 0.0f;               // 0 = no clipping
};

// An error in a configuration: names the key, the value and what is allowed.
class ConfigError : public std::invalid_argument {
 public:
  ConfigError(const std::string& key, const std::string& message)
      : std::invalid_argument(key + ": " + message), key_(key) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

enum class FieldType { Int, Float, Bool, Enum, IntList };

struct Field {
  std::string key;
  FieldType type;
  std::string group;  // "general", "vae", "gan", "optimizer"
  std::string help;
  double min = 0, max = 0;             // Int, Float, IntList elements (inclusive)
  std::vector<std::string> choices;    // Enum
  std::variant<int Config::*, float Config::*, bool Config::*, std::string Config::*, std::vector<int> Config::*>
      member;
  // When the setting does anything, for the page to hide it otherwise (the CLI and links accept
  // it regardless): alternatives joined by " or ", each a conjunction of "key=v1|v2" (or
  // "key!=v") clauses joined by " and "; the pseudo-key `data` is "image" or "2d". Empty: always.
  std::string when;
  // true: changing it on a running model keeps the weights and optimizer state (Session::retune);
  // false: the networks, data stream or optimizer kind change, so a new run starts.
  bool live = false;
};

// Every key, in display order.
const std::vector<Field>& schema();
const Field& field(const std::string& key);  // throws ConfigError for unknown keys

// Parses and range-checks one value; throws ConfigError naming key, value and allowed range.
void set_value(Config& c, const std::string& key, const std::string& value);
// Applies "key=value".
void apply_assignment(Config& c, const std::string& assignment);
std::string get_value(const Config& c, const std::string& key);
// All keys as one JSON object (values typed).
std::string to_json(const Config& c);
// Keys whose value differs from the defaults, as "key=value" strings (for URLs and model files).
std::vector<std::string> changed_assignments(const Config& c);

// Data sets (data/datasets.txt, through data/datasets.hpp): names, and the width of one example
// (2 for the 2-D sets, pixels for images). dataset_dim throws ConfigError for an unknown name.
const std::vector<std::string>& dataset_names();
bool is_image_dataset(const std::string& name);
std::size_t dataset_dim(const std::string& name);
// The classes a conditional model can be given: an image set's labels, a 2-D mixture's components
// (ring8 8, grid25 25); 0 for the other sets.
std::size_t dataset_classes(const std::string& name);

// The model kinds, the relations between keys and the parameter budget are the model registry's
// (models/registry.hpp, which defines these three): the schema's `model` choices, validate() (each
// kind's own relations such as latent vs input width or batch vs packing, then ≤ kMaxParameters
// from the kind's architecture spec) and the parameter count of that spec.
const std::vector<std::string>& model_kind_names();
void validate(const Config& c);
std::size_t parameter_count(const Config& c);
constexpr std::size_t kMaxParameters = 20'000'000;  // ≈ 80 MB of weights (+ 3× for grads and Adam)

// Presets: one source of truth for the CLI and the page.
const std::vector<std::string>& preset_names();
Config preset(const std::string& name);
std::string preset_description(const std::string& name);
// {steps, what} a preset typically needs before its picture is meaningful (bench/expectations);
// what: "modes", "elbo" or "classes"; {0, ""} when not measured.
std::pair<long long, std::string> preset_expectation(const std::string& name);

}  // namespace genlab
