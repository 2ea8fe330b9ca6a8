// Presets: named configurations, the one source of truth for the CLI and the page.
#include <utility>

#include "genlab/config/config.hpp"

namespace genlab {
namespace {

struct Preset {
  std::string name, description;
  std::vector<std::string> settings;  // applied over the defaults, in order
};

// Steps each preset typically needs before its picture means something, measured natively with
// bench/expectations (seed 1, metrics every 1/40 of the quality budget; 2026-12-03; ring8-gan and
// mnist-gan 2026-12-05, after their batch and rate changes; mnist-gan again later that day, rates 5e-4: 6,000;
// grid25-gan 2026-12-07 late night, one D step and its batch of 256 for 15,000 steps: 15,000, was 13,500):
//   "modes"   every mode covered and ≥ 50 % of the samples high-quality
//   "elbo"    held-out −ELBO within 10 % of its value at the quality budget
//   "classes" ≥ 8 classes generated, classifier score ≥ 80 % of its value at the budget
struct Expectation {
  const char* preset;
  long long steps;
  const char* what;
};
const Expectation kExpectations[] = {
    {"pytorch-vae", 1053, "elbo"}, {"pytorch-vae-z2", 351, "elbo"}, {"fashion-vae", 702, "elbo"},
    {"ring8-gan", 5425, "modes"},  {"grid25-gan", 15000, "modes"},  {"ring8-vae", 2500, "elbo"},
    {"mnist-gan", 6000, "classes"}, {"seed-vae", 587, "elbo"}, {"seed-gan", 4500, "classes"},
    {"mnist-conv-vae", 1055, "elbo"},  // 2026-12-06 (batch 32), budget 30 epochs of 9,000 images = 8,440 steps
    {"mnist-cvae", 468, "elbo"},      // 2026-12-04, budget 30 epochs of 9,000 images = 2,110 steps
    {"mnist-vaegan", 2000, "classes"},  // 2026-12-07 (batch 16), budget 40,000 steps
    {"mnist-cgan", 11250, "classes"},  // 2026-12-04, budget 30,000
};

const std::vector<Preset>& presets() {
  static const std::vector<Preset> p = {
      {"pytorch-vae",
       "The pytorch/examples VAE: 784-400-20 ReLU, Bernoulli decoder on continuous pixels, Adam 1e-3, batch 128",
       {"model=vae", "dataset=mnist28", "latent=20", "enc_hidden=400", "dec_hidden=400", "act=relu",
        "likelihood=bernoulli", "opt=adam", "lr=0.001", "batch=128", "init=torch"}},
      {"pytorch-vae-z2", "The pytorch/examples VAE with a 2-D latent space (for the manifold view)",
       {"model=vae", "dataset=mnist28", "latent=2", "enc_hidden=400", "dec_hidden=400", "act=relu",
        "likelihood=bernoulli", "opt=adam", "lr=0.001", "batch=128", "init=torch"}},
      {"fashion-vae", "The same VAE on Fashion-MNIST",
       {"model=vae", "dataset=fashion28", "latent=20", "enc_hidden=400", "dec_hidden=400", "act=relu",
        "likelihood=bernoulli", "opt=adam", "lr=0.001", "batch=128", "init=torch"}},
      {"mnist-cvae",
       "Class-conditional VAE on MNIST: the pytorch/examples VAE with a 2-D latent space and the digit's class one-hot "
       "into encoder and decoder",
       {"model=vae", "dataset=mnist28", "latent=2", "enc_hidden=400", "dec_hidden=400", "act=relu",
        "likelihood=bernoulli", "conditional=true", "opt=adam", "lr=0.001", "batch=128", "init=torch"}},
      {"mnist-conv-vae",
       "Conv VAE on MNIST: conv 32-64, latent 20, convT 64-32, Bernoulli, Adam 1e-3, batch 32",
       {"model=vae", "dataset=mnist28", "latent=20", "net=conv", "enc_hidden=32,64", "dec_hidden=64,32",
        "act=relu", "likelihood=bernoulli", "opt=adam", "lr=0.001", "batch=32", "init=torch"}},
      // Batch 16: a step of 64 took ~150 ms in the page, and a frame comes only between steps
      // (6–7 frames/s); at 16 it is ~35 ms (22–27 frames/s), and 40,000 steps see the images that
      // 10,000 of 64 did (docs/journal.md, 2026-12-07).
      {"mnist-vaegan",
       "VAE-GAN on MNIST (Larsen et al. 2016): mnist-conv-vae's networks, the decoder also G against a conv D "
       "32-64 whose first hidden layer measures the reconstruction; Adam 3e-4, beta1 0.5, batch 16",
       {"model=vaegan", "dataset=mnist28", "latent=20", "net=conv", "enc_hidden=32,64", "dec_hidden=64,32",
        "d_hidden=32,64", "feature_layer=1", "act=relu", "opt=adam", "lr=0.0003", "d_opt=adam", "d_lr=0.0003",
        "beta1=0.5", "batch=16", "init=torch"}},
      {"ring8-gan", "GAN on 8 Gaussians in a ring (PacGAN's benchmark)",
       {"model=gan", "dataset=ring8", "noise=8", "g_hidden=128,128", "d_hidden=128,128", "g_act=relu",
        "d_act=leaky_relu", "loss=nonsaturating", "g_opt=adam", "d_opt=adam", "g_lr=0.004", "d_lr=0.004",
        "beta1=0.5", "batch=1024", "batch_start=128", "batch_every=6000", "pack=4", "g_ema=0.9995", "g_ema_warmup=10"}},
      // A batch of 256 for its first 15,000 steps (4× the steps per second of 1,024: grid25's plateau
      // is counted in steps, not examples), then 512 and 1,024 with the rates annealed; Adam β2 0.9
      // with rates 4e-3 shortens the plateau. One D step per iteration: two made each iteration ~1.4×
      // as long and reached the mark in about as many iterations (docs/journal.md, 2026-12-07, late night:
      // the mark at 17,000–27,000 steps on seeds 1–5).
      {"grid25-gan", "GAN on a 5×5 grid of Gaussians (PacGAN's benchmark)",
       {"model=gan", "dataset=grid25", "noise=8", "g_hidden=128,128", "d_hidden=128,128", "g_act=relu",
        "d_act=leaky_relu", "loss=nonsaturating", "g_opt=adam", "d_opt=adam", "g_lr=0.004", "d_lr=0.004",
        "beta1=0.5", "beta2=0.9", "batch=1024", "batch_start=256", "batch_every=15000", "pack=4", "g_ema=0.999",
        "k_d=1"}},
      {"ring8-vae", "VAE with a Gaussian decoder on the 8-mode ring",
       {"model=vae", "dataset=ring8", "latent=2", "enc_hidden=64,64", "dec_hidden=64,64", "act=relu",
        "likelihood=gaussian", "gauss_var=learned", "opt=adam", "lr=0.001", "batch=128"}},
      {"mnist-gan",
       "MLP GAN on MNIST: G 64-256-512-784 sigmoid, D 784-512-256-1 with dropout 0.3, hinge loss, batch 32",
       {"model=gan", "dataset=mnist28", "noise=64", "g_hidden=256,512", "d_hidden=512,256", "g_act=relu",
        "d_act=leaky_relu", "g_out=sigmoid", "loss=hinge", "d_dropout=0.3", "g_opt=adam", "d_opt=adam",
        "g_lr=0.0005", "d_lr=0.0005", "beta1=0.5", "batch=32", "g_ema=0.999", "g_ema_warmup=20"}},
      {"mnist-cgan",
       "Class-conditional MLP GAN on MNIST: mnist-gan with the digit's class one-hot into G (beside z) and D (beside "
       "the image)",
       {"model=gan", "dataset=mnist28", "noise=64", "g_hidden=256,512", "d_hidden=512,256", "g_act=relu",
        "d_act=leaky_relu", "g_out=sigmoid", "loss=hinge", "d_dropout=0.3", "g_opt=adam", "d_opt=adam",
        "g_lr=0.0002", "d_lr=0.0002", "beta1=0.5", "batch=64", "g_ema=0.999", "conditional=true"}},
      {"seed-vae",
       "The article's Keras VAE made to work: 100 → 16 ReLU → latent 2 → 16 ReLU → 100 sigmoid, BCE, RMSprop, "
       "batch 256, on 10×10 MNIST",
       {"model=vae", "dataset=mnist10", "latent=2", "enc_hidden=16", "dec_hidden=16", "act=relu",
        "likelihood=bernoulli", "opt=rmsprop", "lr=0.001", "batch=256", "init=xavier"}},
      {"seed-gan",
       "The article's Keras GAN made to work: noise 100 → 16 ReLU → 100 sigmoid; D 100 → 16 → 1; binary "
       "cross-entropy; RMSprop; 10×10 MNIST. Made to train with a smaller learning rate, 3 D steps per G step, "
       "one-sided label smoothing and a moving average of G",
       {"model=gan", "dataset=mnist10", "noise=100", "g_hidden=16", "d_hidden=16", "g_act=relu", "d_act=leaky_relu",
        "g_out=sigmoid", "loss=nonsaturating", "g_opt=rmsprop", "d_opt=rmsprop", "g_lr=0.0002", "d_lr=0.0002",
        "batch=256", "init=xavier", "k_d=3", "label_smooth=0.1", "g_ema=0.999"}},
  };
  return p;
}

const Preset& find(const std::string& name) {
  for (const Preset& p : presets())
    if (p.name == name) return p;
  std::string known;
  for (const Preset& p : presets()) known += (known.empty() ? "" : ", ") + p.name;
  throw ConfigError("preset", "unknown preset '" + name + "'; known: " + known);
}

}  // namespace

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const Preset& p : presets()) n.push_back(p.name);
    return n;
  }();
  return names;
}

Config preset(const std::string& name) {
  Config c;
  for (const std::string& s : find(name).settings) apply_assignment(c, s);
  validate(c);
  return c;
}

std::string preset_description(const std::string& name) { return find(name).description; }

std::pair<long long, std::string> preset_expectation(const std::string& name) {
  find(name);  // throws for an unknown preset
  for (const Expectation& e : kExpectations)
    if (name == e.preset) return {e.steps, e.what};
  return {0, ""};
}

}  // namespace genlab
