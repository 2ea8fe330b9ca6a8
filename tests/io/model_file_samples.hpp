// Small, deterministic model files shared by the io tests and the fuzzer's seed generator
// (tests/fuzz/src/make_seeds.cc): whatever the seeds hold, the tests read back too.
#pragma once

#include <cfloat>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "genlab/io/model_file.hpp"

namespace genlab::test {

// A tensor whose values follow an integer hash of (salt, index): the same bits on every platform.
inline io::NamedTensor sample_tensor(const std::string& name, std::vector<std::uint32_t> shape, std::uint32_t salt) {
  std::size_t n = 1;
  for (std::uint32_t d : shape) n *= d;
  io::NamedTensor t{name, std::move(shape), std::vector<float>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t h = (static_cast<std::uint32_t>(i) + 1u) * 2654435761u ^ salt * 40503u;
    h ^= h >> 15;
    t.values[i] = static_cast<float>(static_cast<int>(h % 2001u) - 1000) / 997.0f;
  }
  return t;
}

// A VAE on 2-D points: encoder 2 → 3 → (μ, log σ²), decoder 2 → 3 → 2, RMSprop state, and the
// values that tend to lose bits in careless code (−0, a denormal, the extremes).
inline io::ModelFile sample_vae() {
  io::ModelFile f;
  f.kind = "vae";
  f.config = {"dataset=moons", "latent=2", "enc_hidden=3", "dec_hidden=3", "opt=rmsprop", "lr=0.01"};
  f.steps = 1234;
  f.tensors = {sample_tensor("enc.0.W", {3, 2}, 1), sample_tensor("enc.0.b", {3}, 2),
               sample_tensor("enc.2.W", {4, 3}, 3),  sample_tensor("enc.2.b", {4}, 4),
               sample_tensor("dec.0.W", {3, 2}, 5),  sample_tensor("dec.0.b", {3}, 6),
               sample_tensor("dec.2.W", {2, 3}, 7),  sample_tensor("dec.2.b", {2}, 8)};
  f.tensors[1].values = {-0.0f, FLT_MIN / 4.0f, FLT_MAX};
  f.tensors[3].values[0] = -FLT_MAX;
  f.tensors.push_back(sample_tensor("opt.0", {48}, 9));
  f.tensors.push_back(sample_tensor("opt.1", {48}, 10));
  return f;
}

// A GAN: G 2 → 4 → 2 and D 2 → 4 → 1, with a step count beyond 32 bits.
inline io::ModelFile sample_gan() {
  io::ModelFile f;
  f.kind = "gan";
  f.config = {"model=gan", "noise=2", "g_hidden=4", "d_hidden=4", "loss=wgan", "g_lr=5e-05"};
  f.steps = 5'000'000'000LL;
  f.tensors = {sample_tensor("G.0.W", {4, 2}, 11), sample_tensor("G.0.b", {4}, 12),
               sample_tensor("G.2.W", {2, 4}, 13), sample_tensor("G.2.b", {2}, 14),
               sample_tensor("D.0.W", {4, 2}, 15), sample_tensor("D.0.b", {4}, 16),
               sample_tensor("D.2.W", {1, 4}, 17), sample_tensor("D.2.b", {1}, 18)};
  return f;
}

// The smallest valid file: a kind and nothing else.
inline io::ModelFile sample_empty() {
  io::ModelFile f;
  f.kind = "vae";
  return f;
}

// Every dimension count, empty tensors, the longest name.
inline io::ModelFile sample_shapes() {
  io::ModelFile f;
  f.kind = "gan";
  f.config = {"model=gan", "seed=7"};
  f.steps = 3;
  f.tensors = {sample_tensor("a", {5}, 21), sample_tensor("b.c", {2, 3}, 22), sample_tensor("d", {1, 2, 2}, 23),
               sample_tensor("e", {2, 1, 3, 1}, 24), sample_tensor("empty", {0}, 25),
               sample_tensor("empty2", {3, 0}, 26), sample_tensor(std::string(io::kMaxNameBytes, 'n'), {1}, 27)};
  return f;
}

// The seed corpus: file name → contents.
inline std::vector<std::pair<std::string, io::ModelFile>> seed_models() {
  return {{"vae.glmf", sample_vae()}, {"gan.glmf", sample_gan()}, {"empty.glmf", sample_empty()},
          {"shapes.glmf", sample_shapes()}};
}

}  // namespace genlab::test
