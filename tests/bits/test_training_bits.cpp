// Same bits on every build, end to end: each model kind trains 100 iterations from a fixed seed and
// the hash of everything it trained (weights, gradients, buffers, optimizer state, extra state such
// as a GAN's moving average of G) must equal one committed constant. The constant is the same for
// every build — native AVX2 (x86-64-v3), native AVX-512 (x86-64-v4), the sanitizer build and
// WebAssembly (SIMD128, run under node) — so this suite passing in all of them proves they agree bit
// for bit. What makes that hold is in src/genlab/kernels/simd.hpp: no fused multiply-add, reductions
// over a fixed number of partial sums, and exp/log/tanh built from + − × ÷ only.
//
// When a deliberate change to training alters the numbers, update the constants from one build and
// confirm the others give the same; never make them per-platform.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "genlab/models/registry.hpp"
#include "genlab/session.hpp"

using namespace genlab;

namespace {

// FNV-1a 64 over the bit patterns of the floats, little-endian byte by byte.
struct Fnv {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void byte(std::uint8_t b) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  void floats(const float* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t u;
      std::memcpy(&u, &x[i], sizeof u);
      for (int k = 0; k < 4; ++k) byte(static_cast<std::uint8_t>(u >> (8 * k)));
    }
  }
  void tensor(const Tensor1& t) { floats(t.data(), t.size()); }
};

std::string hex(std::uint64_t h) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llxULL", static_cast<unsigned long long>(h));
  return buf;
}

// Everything the model trained, network by network, then its extra state.
std::uint64_t state_hash(models::Model& m) {
  Fnv f;
  for (const models::Network& n : m.networks()) {
    f.tensor(n.params->values());
    f.tensor(n.params->grads());
    f.tensor(n.params->buffers());
    for (Tensor1* s : n.optimizer->state()) f.tensor(*s);
  }
  for (const models::StateTensor& s : m.extra_state()) f.tensor(*s.values);
  return f.h;
}

// A synthetic 10×10 image set (the shape of mnist10): class k has a bright row k, noise elsewhere.
ImageSet fake_images(std::size_t n, std::uint64_t seed) {
  ImageSet s;
  s.name = "fake";
  s.rows = s.cols = 10;
  s.classes = 10;
  Rng r(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::uint8_t>(i % 10);
    s.labels.push_back(k);
    for (std::size_t p = 0; p < 100; ++p)
      s.pixels.push_back(static_cast<std::uint8_t>(p / 10 == k ? 200 + r.below(56) : r.below(60)));
  }
  return s;
}

Config with(Config c, const std::vector<std::string>& settings) {
  for (const std::string& s : settings) apply_assignment(c, s);
  validate(c);
  return c;
}

struct Case {
  std::string name;
  Config config;
  bool images;            // provide the synthetic mnist10
  std::uint64_t expected;
};

// Small but covering every kernel path: widths that are not multiples of any vector width (tails
// and partial GEMM tiles), depth ≤ 8 and dot-product GEMM paths, a GEMM depth above the 256 block,
// every activation, BCE from logits, Gaussian likelihood, all three optimizers, dropout, PacGAN,
// k_D > 1, G's moving average with its warm-up, and the GAN's batch ramp (128 → 256 → 300).
std::vector<Case> cases() {
  return {
      {"gan ring8 (ring8-gan, small)",
       with(preset("ring8-gan"), {"g_hidden=40,24", "d_hidden=36,20", "batch=300", "pack=2", "batch_every=40", "k_d=2",
                                  "g_ema=0.99", "seed=7"}),
       false, 0x436175fb47333018ULL},
      {"gan mnist10 (tanh/elu/sigmoid, rmsprop/sgd, minimax, dropout)",
       with(Config{}, {"model=gan", "dataset=mnist10", "noise=12", "g_hidden=20", "d_hidden=18,9", "g_act=tanh",
                       "d_act=elu", "g_out=sigmoid", "loss=minimax", "g_opt=rmsprop", "d_opt=sgd", "momentum=0.9",
                       "g_lr=0.001", "d_lr=0.01", "batch=50", "label_smooth=0.1", "d_dropout=0.2", "g_ema=0.9",
                       "weight_decay=0.0001", "seed=3"}),
       true, 0x20feed15fc71f0c7ULL},
      {"vae ring8 (ring8-vae, small)",
       with(preset("ring8-vae"), {"enc_hidden=40,24", "dec_hidden=24,40", "batch=100", "seed=5"}), false, 0x1790e5d4514892c6ULL},
      {"vae mnist10 (bernoulli, sigmoid, rmsprop, KL warm-up)",
       with(Config{}, {"model=vae", "dataset=mnist10", "latent=3", "enc_hidden=30", "dec_hidden=17", "act=sigmoid",
                       "likelihood=bernoulli", "opt=rmsprop", "lr=0.002", "batch=64", "kl_warmup=50", "seed=11"}),
       true, 0xe3d80bd2bd1d6cf4ULL},
      {"vae moons (tanh, sgd with momentum and L2)",
       with(Config{}, {"model=vae", "dataset=moons", "latent=2", "enc_hidden=33", "dec_hidden=21", "act=tanh",
                       "opt=sgd", "momentum=0.8", "lr=0.01", "weight_decay=0.001", "batch=90", "seed=2"}),
       false, 0x407d950bd3f193a0ULL},
      {"vaegan mnist10 (hinge, features in D's second layer, rmsprop D, KL warm-up)",
       with(Config{}, {"model=vaegan", "dataset=mnist10", "latent=3", "enc_hidden=30", "dec_hidden=17", "d_hidden=19,11",
                       "feature_layer=2", "loss=hinge", "gamma=0.3", "beta=0.5", "kl_warmup=40", "d_opt=rmsprop",
                       "lr=0.002", "d_lr=0.001", "batch=64", "seed=13"}),
       true, 0x0a0721665d92139eULL},
      {"vae ring8 (elu, adam, gradient clipping)",
       with(Config{}, {"model=vae", "dataset=ring8", "latent=2", "enc_hidden=19", "dec_hidden=26", "act=elu",
                       "opt=adam", "lr=0.003", "clip_norm=1", "batch=70", "seed=9"}),
       false, 0x85bd8d59caedc535ULL},
  };
}

}  // namespace

TEST_CASE("every model kind trains to the same bits on every build (hash of 100 iterations)") {
  const std::vector<Case> all = cases();
  for (const models::ModelKind& kind : models::model_kinds()) {
    bool covered = false;
    for (const Case& c : all) covered = covered || c.config.model == kind.name;
    INFO("model kind " << kind.name << " needs a case in tests/bits/test_training_bits.cpp");
    CHECK(covered);
  }
  for (const Case& c : all) {
    Session s;
    if (c.images) s.provide_images("mnist10", fake_images(500, 1), fake_images(100, 2));
    s.configure(c.config);
    const StepStats st = s.train(100);
    const std::uint64_t h = state_hash(*s.model());
    INFO(c.name << ": hash " << hex(h) << ", expected " << hex(c.expected));
    CHECK(st.steps == 100);
    CHECK(st.finite);
    CHECK(h == c.expected);
  }
}
