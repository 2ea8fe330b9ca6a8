// Seeded random numbers that give the same bits natively and in WebAssembly.
// PCG32 (O'Neill 2014: 64-bit LCG state, xorshift-high + random rotation output). Normals come from
// the ziggurat method with tables built by our own log and exp (basic IEEE arithmetic only),
// because libm's log/exp and std::normal_distribution differ between glibc and Emscripten's musl.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace genlab {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0x853c49e6748fea9bULL, std::uint64_t stream = 0xda3e39cb94b95bdbULL);

  std::uint32_t next_u32();
  // Uniform in [0, n) without modulo bias.
  std::uint32_t below(std::uint32_t n);
  // Uniform float in [0, 1) with 24 random bits.
  float uniform();
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Uniform double in [0, 1) with 53 random bits.
  double uniform_double();
  // Standard normal (mean 0, variance 1): one 32-bit draw for ~98.8 % of the values.
  float normal();
  float normal(float mean, float stddev) { return mean + stddev * normal(); }

  // Fisher–Yates shuffle of any random-access range.
  template <class It>
  void shuffle(It first, It last) {
    const auto n = static_cast<std::uint32_t>(last - first);
    for (std::uint32_t i = n; i > 1; --i) {
      const std::uint32_t j = below(i);
      using std::swap;
      swap(first[i - 1], first[j]);
    }
  }

  std::uint64_t state() const { return state_; }

 private:
  std::uint64_t state_;
  std::uint64_t inc_;
};

namespace detail {
// Natural log from +, −, ×, ÷ and frexp/ldexp only: identical bits on every IEEE-754 platform.
double portable_log(double x);
// e^x from +, −, ×, ÷, floor and ldexp only.
double portable_exp(double x);
}  // namespace detail

}  // namespace genlab
