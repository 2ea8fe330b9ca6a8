#include "genlab/core/rng.hpp"

#include <cmath>

namespace genlab {

Rng::Rng(std::uint64_t seed, std::uint64_t stream) : state_(0), inc_((stream << 1u) | 1u) {
  next_u32();
  state_ += seed;
  next_u32();
}

std::uint32_t Rng::next_u32() {
  const std::uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + inc_;
  const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
  const auto rot = static_cast<std::uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

std::uint32_t Rng::below(std::uint32_t n) {
  if (n <= 1) return 0;
  // Reject the low values that would make some residues more likely (Lemire's threshold).
  const std::uint32_t threshold = (0u - n) % n;
  for (;;) {
    const std::uint32_t r = next_u32();
    if (r >= threshold) return r % n;
  }
}

float Rng::uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }

double Rng::uniform_double() {
  const std::uint64_t hi = next_u32() >> 5;  // 27 bits
  const std::uint64_t lo = next_u32() >> 6;  // 26 bits
  return static_cast<double>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

float Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return static_cast<float>(spare_);
  }
  double u, v, s;
  do {
    u = 2.0 * uniform_double() - 1.0;
    v = 2.0 * uniform_double() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  // sqrt is correctly rounded by IEEE-754, so it is as portable as + and ×.
  const double f = std::sqrt(-2.0 * detail::portable_log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return static_cast<float>(u * f);
}

namespace detail {

double portable_log(double x) {
  if (!(x > 0.0)) return x == 0.0 ? -HUGE_VAL : std::nan("");
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m · 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {  // move m into [√½, √2) so the series below converges fast
    m *= 2.0;
    --e;
  }
  // log m = 2·atanh(t), t = (m−1)/(m+1), |t| < 0.1716: t^2k+1/(2k+1) terms shrink by ≥ 34× each.
  const double t = (m - 1.0) / (m + 1.0);
  const double t2 = t * t;
  double term = t, sum = 0.0;
  for (int k = 0; k < 12; ++k) {
    sum += term / (2 * k + 1);
    term *= t2;
  }
  return 2.0 * sum + e * 0.69314718055994530942;
}

}  // namespace detail
}  // namespace genlab
