// What the model fixture tests share (test_model_fixtures.cpp, test_trajectories.cpp): the small
// VAE, GAN and VAE-GAN that make_model_fixtures.py and make_trajectory_fixtures.py define, Adam as PyTorch
// configures it, and filling a ParamStore from fixture tensors named like its entries.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "genlab/core/param_store.hpp"
#include "genlab/models/gan.hpp"
#include "genlab/models/vae.hpp"
#include "genlab/models/vaegan.hpp"

namespace genlab::test {

using Fixture = std::map<std::string, Tensor2>;

inline const Tensor2& fixture_tensor(const Fixture& f, const std::string& name) {
  const auto it = f.find(name);
  if (it == f.end()) throw std::runtime_error("fixture has no tensor " + name);
  return it->second;
}

// Every entry of `store` from the fixture tensor `prefix + entry name`.
inline void load_store(ParamStore& store, const Fixture& f, const std::string& prefix = "") {
  for (std::size_t id = 0; id < store.count(); ++id) {
    const auto& e = store.entry(id);
    const Tensor2& t = fixture_tensor(f, prefix + e.name);
    REQUIRE(t.size() == e.size);
    std::copy(t.begin(), t.end(), store.value(id));
  }
}

inline optim::OptimConfig torch_adam(float lr, float beta1) {
  optim::OptimConfig c;
  c.kind = optim::Kind::Adam;
  c.lr = lr;
  c.beta1 = beta1;
  return c;
}

// x (B, 6) → encoder 6-5-(2+2) tanh → decoder 2-5-6 tanh, Bernoulli, β = 0.5, Adam lr 0.01.
inline models::VaeSpec fixture_vae_spec() {
  models::VaeSpec s;
  s.in = 6;
  s.latent = 2;
  s.enc_hidden = {5};
  s.dec_hidden = {5};
  s.act = nn::Act::Tanh;
  s.likelihood = models::Likelihood::Bernoulli;
  s.beta = 0.5f;
  s.opt = torch_adam(0.01f, 0.9f);
  return s;
}

// G 3-5-2 ReLU; D packs 2 samples, 4-5-1 LeakyReLU(0.2); non-saturating with smoothing 0.1;
// Adam lr 0.01, β1 0.5 for both.
inline models::GanSpec fixture_gan_spec() {
  models::GanSpec s;
  s.data_dim = 2;
  s.noise = 3;
  s.g_hidden = {5};
  s.d_hidden = {5};
  s.g_act = nn::Act::ReLU;
  s.d_act = nn::Act::LeakyReLU;
  s.alpha = 0.2f;
  s.loss = models::GanLoss::NonSaturating;
  s.label_smooth = 0.1f;
  s.pack = 2;
  s.g_opt = torch_adam(0.01f, 0.5f);
  s.d_opt = torch_adam(0.01f, 0.5f);
  return s;
}

// make_trajectory_fixtures.py's vaegan(): encoder 6-5-(2+2) and decoder 2-5-6 tanh with a sigmoid
// output; D 6-5-4-1 LeakyReLU(0.2), its features from the 2nd layer; β 0.8 warmed up over 3 steps,
// γ 0.6, non-saturating with smoothing 0.1; Adam lr 0.01 (encoder, decoder), 0.02 β1 0.5 (D).
inline models::VaeGanSpec fixture_vaegan_spec() {
  models::VaeGanSpec s;
  s.in = 6;
  s.latent = 2;
  s.enc_hidden = {5};
  s.dec_hidden = {5};
  s.d_hidden = {5, 4};
  s.act = nn::Act::Tanh;
  s.d_act = nn::Act::LeakyReLU;
  s.alpha = 0.2f;
  s.out = nn::Act::Sigmoid;
  s.beta = 0.8f;
  s.kl_warmup = 3;
  s.gamma = 0.6f;
  s.feature_layer = 2;
  s.loss = models::GanLoss::NonSaturating;
  s.label_smooth = 0.1f;
  s.opt = torch_adam(0.01f, 0.9f);
  s.d_opt = torch_adam(0.02f, 0.5f);
  return s;
}

}  // namespace genlab::test
