// bench_phases: where the time of one genlab VAE training step goes, phase by phase.
//   build/bench-native/bench/bench_phases [--workload mnist-vae|seed-vae] [--data build/data] [--steps 300]
//   node build/bench-wasm/bench/bench_phases.js [same options]     (the wasm build reads the host files)
//
// It rebuilds the step of W1 (mnist-vae: 784-400-(20,20) / 20-400-784 ReLU, Bernoulli, Adam,
// batch 128) or W3 (seed-vae: 100-16-(2,2) / 2-16-100, batch 256) from the library's own pieces — Batcher, the encoder and decoder as nn::Sequential layers,
// nn::bce_with_logits, nn::gaussian_kl, the Adam optimizer — and times every piece separately.
// The reparameterisation loops are mirrored from models::Vae (a few lines each). To show that the
// mirror is faithful, it also times the real Session::train on the same settings and prints both
// totals. Output: one JSON line per phase, then a summary line.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "genlab/config/config.hpp"
#include "genlab/core/param_store.hpp"
#include "genlab/data/batcher.hpp"
#include "genlab/data/image_asset.hpp"
#include "genlab/kernels/simd.hpp"
#include "genlab/nn/losses.hpp"
#include "genlab/nn/sequential.hpp"
#include "genlab/optim/optimizer.hpp"
#include "genlab/session.hpp"

using namespace genlab;

namespace {

using Clock = std::chrono::steady_clock;

// Accumulates seconds per named phase, in first-seen order.
class Phases {
 public:
  template <class F>
  void time(const std::string& name, F f) {
    const auto t0 = Clock::now();
    f();
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!index_.count(name)) {
      index_[name] = names_.size();
      names_.push_back(name);
      seconds_.push_back(0.0);
    }
    seconds_[index_[name]] += dt;
  }
  void reset() { std::fill(seconds_.begin(), seconds_.end(), 0.0); }
  const std::vector<std::string>& names() const { return names_; }
  double seconds(std::size_t i) const { return seconds_[i]; }

 private:
  std::map<std::string, std::size_t> index_;
  std::vector<std::string> names_;
  std::vector<double> seconds_;
};

std::string layer_name(const char* net, std::size_t i, nn::Layer& l) {
  return std::string(net) + "." + std::to_string(i) + " " + l.kind() + " " + std::to_string(l.in_dim()) + "→" +
         std::to_string(l.out_dim());
}

// The two VAE workloads of bench/workloads.json, as genlab settings and as layer widths.
struct Workload {
  std::string name, dataset;
  std::size_t in, hidden, latent, batch;
  std::vector<std::string> settings;
};

Workload workload(const std::string& name) {
  if (name == "seed-vae")
    return {name, "mnist10", 100, 16, 2, 256,
            {"model=vae", "dataset=mnist10", "latent=2", "enc_hidden=16", "dec_hidden=16", "opt=adam", "batch=256"}};
  if (name != "mnist-vae") throw std::invalid_argument("--workload: mnist-vae or seed-vae");
  return {name, "mnist28", 784, 400, 20, 128,
          {"model=vae", "dataset=mnist28", "latent=20", "enc_hidden=400", "dec_hidden=400", "act=relu",
           "likelihood=bernoulli", "opt=adam", "lr=0.001", "batch=128"}};
}

// One VAE step, phase by phase.
class TimedVae {
 public:
  TimedVae(const ImageSet& train, const Workload& w)
      : latent_(w.latent), batcher_(train, w.batch, Rng(1u, 2u)), rng_(3u, 4u) {
    nn::MlpSpec e{w.in, {w.hidden}, 2 * latent_, nn::Act::ReLU, nn::Act::None, 0.2f, nn::Init::He};
    nn::MlpSpec d{latent_, {w.hidden}, w.in, nn::Act::ReLU, nn::Act::None, 0.2f, nn::Init::He};
    enc_ = nn::build_mlp(e);
    dec_ = nn::build_mlp(d);
    enc_.declare(store_, "enc.");
    dec_.declare(store_, "dec.");
    store_.finalize();
    enc_.bind(store_);
    dec_.bind(store_);
    Rng init(5u, 6u);
    enc_.init(store_, init);
    dec_.init(store_, init);
    optim::OptimConfig oc;
    oc.lr = 1e-3f;
    opt_ = optim::make_optimizer(oc);
  }

  float step(Phases& p) {
    const std::size_t B = batcher_.batch_size(), L = latent_;
    p.time("data: next batch (u8 → float)", [&] { batcher_.next(x_); });
    p.time("noise: ε ~ N(0,1)", [&] {
      ensure_shape(eps_, B, L);
      for (auto& v : eps_) v = rng_.normal();
    });
    p.time("zero_grad", [&] { store_.zero_grad(); });
    const Tensor2* h = &x_;
    for (std::size_t i = 0; i < enc_.size(); ++i)
      p.time("fwd " + layer_name("enc", i, enc_.layer(i)), [&] { h = &enc_.layer(i).forward(*h); });
    p.time("fwd reparameterise", [&] {
      ensure_shape(mu_, B, L), ensure_shape(lv_, B, L), ensure_shape(sd_, B, L), ensure_shape(z_, B, L);
      for (std::size_t r = 0; r < B; ++r)
        for (std::size_t l = 0; l < L; ++l) {
          mu_(r, l) = (*h)(r, l), lv_(r, l) = (*h)(r, L + l);
          sd_(r, l) = std::exp(0.5f * lv_(r, l));
          z_(r, l) = mu_(r, l) + eps_(r, l) * sd_(r, l);
        }
    });
    const Tensor2* o = &z_;
    for (std::size_t i = 0; i < dec_.size(); ++i)
      p.time("fwd " + layer_name("dec", i, dec_.layer(i)), [&] { o = &dec_.layer(i).forward(*o); });
    const float scale = 1.0f / static_cast<float>(B);
    float loss = 0;
    p.time("loss: BCE-with-logits + grad", [&] { loss += nn::bce_with_logits(*o, x_, dout_, scale); });
    p.time("loss: KL + grad", [&] { loss += nn::gaussian_kl(mu_, lv_, dmu_, dlv_, scale); });
    const Tensor2* g = &dout_;
    for (std::size_t i = dec_.size(); i-- > 0;)
      p.time("bwd " + layer_name("dec", i, dec_.layer(i)), [&] { g = &dec_.layer(i).backward(*g, true); });
    p.time("bwd reparameterise", [&] {
      ensure_shape(dh_, B, 2 * L);
      for (std::size_t r = 0; r < B; ++r)
        for (std::size_t l = 0; l < L; ++l) {
          dh_(r, l) = (*g)(r, l) + dmu_(r, l);
          dh_(r, L + l) = (*g)(r, l) * eps_(r, l) * 0.5f * sd_(r, l) + dlv_(r, l);
        }
    });
    g = &dh_;
    for (std::size_t i = enc_.size(); i-- > 0;)
      p.time("bwd " + layer_name("enc", i, enc_.layer(i)), [&] { g = &enc_.layer(i).backward(*g, i != 0); });
    p.time("adam step (" + std::to_string(store_.values().size()) + " params)", [&] { opt_->step(store_); });
    return loss;
  }

 private:
  const std::size_t latent_;
  Batcher batcher_;
  Rng rng_;
  nn::Sequential enc_, dec_;
  ParamStore store_;
  std::unique_ptr<optim::Optimizer> opt_;
  Tensor2 x_, eps_, mu_, lv_, sd_, z_, dout_, dmu_, dlv_, dh_;
};

// ms per step of the real thing: Session::train on the workload's settings.
double session_ms_per_step(const Workload& w, const ImageSet& train, const ImageSet& test, int steps) {
  Config c;
  for (const std::string& kv : w.settings) apply_assignment(c, kv);
  Session s;
  s.provide_images(w.dataset, train, test);
  s.configure(c);
  s.train(steps / 4);  // warm-up
  const auto t0 = Clock::now();
  s.train(steps);
  return 1e3 * std::chrono::duration<double>(Clock::now() - t0).count() / steps;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = "build/data", name = "mnist-vae";
  int steps = 300;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--data") == 0) data = argv[i + 1];
    if (std::strcmp(argv[i], "--workload") == 0) name = argv[i + 1];
    if (std::strcmp(argv[i], "--steps") == 0) steps = std::max(10, std::atoi(argv[i + 1]));
  }
  const Workload w = workload(name);
  const ImageSet train = load_image_asset(data + "/" + w.dataset + "-train.glds");
  const ImageSet test = load_image_asset(data + "/" + w.dataset + "-test.glds");

  TimedVae vae(train, w);
  Phases phases;
  float first = 0, last = 0;
  for (int i = 0; i < steps / 4; ++i) first = vae.step(phases);  // warm-up (first = loss after it)
  phases.reset();
  for (int i = 0; i < steps; ++i) last = vae.step(phases);
  double total = 0;
  for (std::size_t i = 0; i < phases.names().size(); ++i) total += phases.seconds(i);
  for (std::size_t i = 0; i < phases.names().size(); ++i)
    std::printf("{\"phase\": \"%s\", \"us_per_step\": %.1f, \"percent\": %.1f}\n", phases.names()[i].c_str(),
                1e6 * phases.seconds(i) / steps, 100.0 * phases.seconds(i) / total);
  const double real_ms = session_ms_per_step(w, train, test, steps);
  std::printf("{\"workload\": \"%s\", \"simd\": \"%s\", \"steps\": %d, \"phases_ms_per_step\": %.3f, "
              "\"session_ms_per_step\": %.3f, \"loss_after_warmup\": %.2f, \"loss_last\": %.2f}\n",
              w.name.c_str(), kernels::simd_name(), steps, 1e3 * total / steps, real_ms, first, last);
  return 0;
}
