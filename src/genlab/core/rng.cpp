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

namespace {

// The ziggurat of Marsaglia & Tsang (2000, J. Stat. Softw. 5(8)) for the standard normal: the
// half-density is covered by 128 stacked layers of equal area V — layer 0 is the base strip
// (a rectangle ending at Q = V / f(R) whose part beyond R stands for the tail), layers 1…127
// are rectangles whose right edges x₁ < … < x₁₂₇ = R shrink towards the peak. A draw picks a
// layer and a signed abscissa in it; ~98.8 % of draws land in the part of the rectangle that
// lies under the curve in every row and are returned at once (one PCG step, one multiply).
// Following Doornik (2005), the layer index and the abscissa come from disjoint bits of the draw.
constexpr int kLayers = 128;
constexpr double kR = 3.442619855899;       // x₁₂₇: where the tail begins
constexpr double kV = 9.91256303526217e-3;  // the area of every layer
constexpr double kScale = 16777216.0;       // 2²⁴: the abscissa is a signed 25-bit integer j, x = j·w[i]

double half_density(double x) { return detail::portable_exp(-0.5 * x * x); }  // f(x) = exp(−x²/2)

struct Ziggurat {
  double w[kLayers];        // x = j·w[i]: the layer's right edge over 2²⁴
  std::int32_t k[kLayers];  // |j| < k[i] ⇔ |x| < the right edge of the layer above: under the curve
  double f[kLayers];        // f(right edge of layer i); f[0] = f(0) = 1

  // The tables from the recurrence x_{i−1} = f⁻¹(V / x_i + f(x_i)), with the portable log and
  // exp: the same bits on every platform, so the draws are too.
  Ziggurat() {
    double x = kR;
    const double q = kV / half_density(kR);
    k[0] = static_cast<std::int32_t>(kR / q * kScale);
    k[1] = 0;  // the top layer (above it, x₀ = 0) has no part under the curve in every row: always a wedge test
    w[0] = q / kScale;
    w[kLayers - 1] = kR / kScale;
    f[0] = 1.0;
    f[kLayers - 1] = half_density(kR);
    for (int i = kLayers - 2; i >= 1; --i) {
      const double below = x;
      x = std::sqrt(-2.0 * detail::portable_log(kV / x + half_density(x)));
      k[i + 1] = static_cast<std::int32_t>(x / below * kScale);
      f[i] = half_density(x);
      w[i] = x / kScale;
    }
  }
};

const Ziggurat& ziggurat() {
  static const Ziggurat z;
  return z;
}

}  // namespace

float Rng::normal() {
  const Ziggurat& z = ziggurat();
  for (;;) {
    const std::uint32_t u = next_u32();
    const auto i = static_cast<int>(u & (kLayers - 1));                       // bits 0–6: the layer
    const std::int32_t j = static_cast<std::int32_t>(u >> 7) - (1 << 24);     // bits 7–31: [−2²⁴, 2²⁴)
    const double x = j * z.w[i];
    if ((j < 0 ? -j : j) < z.k[i]) return static_cast<float>(x);
    if (i == 0) {
      // The tail beyond R (Marsaglia 1964): x = −log(U₁)/R is exponential; accept when
      // −2·log(U₂) > x², which leaves x + R distributed as the normal's tail. 1 − U is in (0, 1].
      double t, y;
      do {
        t = -detail::portable_log(1.0 - uniform_double()) / kR;
        y = -detail::portable_log(1.0 - uniform_double());
      } while (y + y < t * t);
      return static_cast<float>(j < 0 ? -(kR + t) : kR + t);
    }
    // The wedge between the layer above's edge and this layer's: accept under the curve.
    if (z.f[i] + uniform_double() * (z.f[i - 1] - z.f[i]) < half_density(x)) return static_cast<float>(x);
  }
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

double portable_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.8) return HUGE_VAL;
  if (x < -745.2) return 0.0;
  // x = n·ln 2 + r with |r| ≤ ½ ln 2, exp x = 2ⁿ·exp r. ln 2 in two parts (Cody & Waite): the
  // high part has trailing zero bits, so n·ln2_hi is exact and r keeps its precision.
  const double n = std::floor(x * 1.44269504088896340736 + 0.5);
  const double r = (x - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10;
  // Taylor series of exp r: with |r| ≤ 0.347 the 18th term is below 2⁻⁵³ of the sum.
  double term = 1.0, sum = 1.0;
  for (int m = 1; m < 18; ++m) {
    term *= r / m;
    sum += term;
  }
  return std::ldexp(sum, static_cast<int>(n));
}

}  // namespace detail
}  // namespace genlab
