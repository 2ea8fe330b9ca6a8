#include "genlab/data/toy2d.hpp"

#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace genlab {

namespace {

constexpr double kPi = 3.14159265358979323846;

struct NamedKind {
  const char* name;
  Toy2d kind;
};

constexpr NamedKind kKinds[] = {
    {"ring8", Toy2d::ring8},     {"grid25", Toy2d::grid25},         {"spiral", Toy2d::spiral},
    {"moons", Toy2d::moons},     {"circles", Toy2d::circles},       {"swiss_roll", Toy2d::swiss_roll},
    {"checkerboard", Toy2d::checkerboard},
};

constexpr float kRing8Sigma = 0.01f;
constexpr float kGrid25Sigma = 0.05f;
constexpr float kCurveSigma = 0.1f;  // spiral, moons, circles, swiss_roll

// (cos θ, sin θ) as floats through the portable sincos.
std::array<float, 2> unit(double theta) {
  double s = 0.0, c = 0.0;
  detail::portable_sincos(theta, s, c);
  return {static_cast<float>(c), static_cast<float>(s)};
}

// Mean i of ring8: angle 2πi/8 on the unit circle.
std::array<float, 2> ring8_mean(std::uint32_t i) { return unit(2.0 * kPi * i / 8.0); }

// Mean i of grid25: row-major over {−4,−2,0,2,4}², x varying fastest.
std::array<float, 2> grid25_mean(std::uint32_t i) {
  return {-4.0f + 2.0f * static_cast<float>(i % 5), -4.0f + 2.0f * static_cast<float>(i / 5)};
}

// Writes point p plus isotropic Gaussian noise of scale sigma into row i of out.
void put(Tensor2& out, std::size_t i, double px, double py, float sigma, Rng& rng) {
  const float nx = rng.normal();
  const float ny = rng.normal();
  out(i, 0) = static_cast<float>(px) + sigma * nx;
  out(i, 1) = static_cast<float>(py) + sigma * ny;
}

// One sample of the given kind into row i (draw order is part of the seed contract: keep it);
// a mixture's component index into *label when given.
void sample_one(Toy2d kind, Rng& rng, Tensor2& out, std::size_t i, std::uint8_t* label = nullptr) {
  switch (kind) {
    case Toy2d::ring8: {
      const std::uint32_t k = rng.below(8);
      if (label != nullptr) *label = static_cast<std::uint8_t>(k);
      const auto m = ring8_mean(k);
      put(out, i, m[0], m[1], kRing8Sigma, rng);
      return;
    }
    case Toy2d::grid25: {
      const std::uint32_t k = rng.below(25);
      if (label != nullptr) *label = static_cast<std::uint8_t>(k);
      const auto m = grid25_mean(k);
      put(out, i, m[0], m[1], kGrid25Sigma, rng);
      return;
    }
    case Toy2d::spiral: {
      const double sign = rng.below(2) == 0 ? 1.0 : -1.0;
      // Arc length of r = θ/π grows like θ², so θ = 3π·√u spreads points evenly along the arm.
      const double theta = 3.0 * kPi * std::sqrt(rng.uniform_double());
      double s = 0.0, c = 0.0;
      detail::portable_sincos(theta, s, c);
      const double r = sign * theta / kPi;
      put(out, i, r * c, r * s, kCurveSigma, rng);
      return;
    }
    case Toy2d::moons: {
      const bool lower = rng.below(2) == 1;
      double s = 0.0, c = 0.0;
      detail::portable_sincos(kPi * rng.uniform_double(), s, c);
      const double x = lower ? 1.0 - c : c;
      const double y = lower ? 0.5 - s : s;
      put(out, i, 2.0 * (x - 0.5), 2.0 * (y - 0.25), kCurveSigma, rng);
      return;
    }
    case Toy2d::circles: {
      const double r = rng.below(2) == 0 ? 1.5 : 3.0;
      double s = 0.0, c = 0.0;
      detail::portable_sincos(2.0 * kPi * rng.uniform_double(), s, c);
      put(out, i, r * c, r * s, kCurveSigma, rng);
      return;
    }
    case Toy2d::swiss_roll: {
      const double t = 1.5 * kPi * (1.0 + 2.0 * rng.uniform_double());
      double s = 0.0, c = 0.0;
      detail::portable_sincos(t, s, c);
      put(out, i, 0.25 * t * c, 0.25 * t * s, kCurveSigma, rng);
      return;
    }
    case Toy2d::checkerboard: {
      // 8 dark squares: two per row j, at columns i ≡ j (mod 2).
      const std::uint32_t cell = rng.below(8);
      const std::uint32_t row = cell / 2;
      const std::uint32_t col = 2 * (cell % 2) + row % 2;
      const float u = rng.uniform();
      const float v = rng.uniform();
      out(i, 0) = -4.0f + 2.0f * (static_cast<float>(col) + u);
      out(i, 1) = -4.0f + 2.0f * (static_cast<float>(row) + v);
      return;
    }
  }
  throw std::invalid_argument("sample_toy2d: invalid Toy2d value " + std::to_string(static_cast<int>(kind)));
}

}  // namespace

std::vector<std::string> toy2d_names() {
  std::vector<std::string> names;
  for (const auto& k : kKinds) names.emplace_back(k.name);
  return names;
}

Toy2d parse_toy2d(const std::string& name) {
  for (const auto& k : kKinds)
    if (name == k.name) return k.kind;
  std::string valid;
  for (const auto& k : kKinds) valid += (valid.empty() ? "" : ", ") + std::string(k.name);
  throw std::invalid_argument("unknown 2-D dataset '" + name + "' (valid: " + valid + ")");
}

std::string toy2d_name(Toy2d kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.name;
  throw std::invalid_argument("toy2d_name: invalid Toy2d value " + std::to_string(static_cast<int>(kind)));
}

void sample_toy2d(Toy2d kind, Rng& rng, Tensor2& out) {
  if (cols(out) != 2)
    throw std::invalid_argument("sample_toy2d: output must have 2 columns, has " + std::to_string(cols(out)));
  const std::size_t n = rows(out);
  for (std::size_t i = 0; i < n; ++i) sample_one(kind, rng, out, i);
}

void sample_toy2d(const std::string& name, Rng& rng, Tensor2& out) { sample_toy2d(parse_toy2d(name), rng, out); }

void sample_toy2d(const std::string& name, Rng& rng, Tensor2& out, std::vector<std::uint8_t>& labels) {
  const Toy2d kind = parse_toy2d(name);
  if (!toy2d_modes(kind)) throw std::invalid_argument("sample_toy2d: " + name + " has no mixture components to label");
  if (cols(out) != 2)
    throw std::invalid_argument("sample_toy2d: output must have 2 columns, has " + std::to_string(cols(out)));
  labels.resize(rows(out));
  for (std::size_t i = 0; i < rows(out); ++i) sample_one(kind, rng, out, i, &labels[i]);
}

Tensor2 sample_toy2d(const std::string& name, Rng& rng, std::size_t n) {
  const Toy2d kind = parse_toy2d(name);
  Tensor2 out({n, 2});
  sample_toy2d(kind, rng, out);
  return out;
}

std::optional<Modes> toy2d_modes(Toy2d kind) {
  Modes m;
  if (kind == Toy2d::ring8) {
    for (std::uint32_t i = 0; i < 8; ++i) m.means.push_back(ring8_mean(i));
    m.sigma = kRing8Sigma;
    return m;
  }
  if (kind == Toy2d::grid25) {
    for (std::uint32_t i = 0; i < 25; ++i) m.means.push_back(grid25_mean(i));
    m.sigma = kGrid25Sigma;
    return m;
  }
  return std::nullopt;
}

std::optional<Modes> toy2d_modes(const std::string& name) { return toy2d_modes(parse_toy2d(name)); }

namespace detail {

void portable_sincos(double x, double& sin_x, double& cos_x) {
  if (!std::isfinite(x)) {
    sin_x = cos_x = std::nan("");
    return;
  }
  // Reduce to r ∈ [−π/4, π/4], x = r + k·π/2. π/2 is split in two (Cody–Waite): the float nearest
  // π/2 (24 bits, so k·hi is exact for |k| < 2^29) plus the remainder, keeping r accurate.
  constexpr double kHalfPiHi = 1.57079637050628662109375;
  constexpr double kHalfPiLo = -4.3711390001862426e-08;
  const double k = std::nearbyint(x * 0.63661977236758134308);  // x · 2/π
  const double r = (x - k * kHalfPiHi) - k * kHalfPiLo;
  const double r2 = r * r;
  // Taylor series in Horner form; |r| ≤ π/4 makes the first omitted term < 1e-19.
  const double sin_r =
      r * (1 - r2 / 6 * (1 - r2 / 20 * (1 - r2 / 42 * (1 - r2 / 72 * (1 - r2 / 110 * (1 - r2 / 156 *
                                                                        (1 - r2 / 210 * (1 - r2 / 272))))))));
  const double cos_r =
      1 - r2 / 2 * (1 - r2 / 12 * (1 - r2 / 30 * (1 - r2 / 56 * (1 - r2 / 90 * (1 - r2 / 132 *
                                                                   (1 - r2 / 182 * (1 - r2 / 240)))))));
  const double quarter = std::fmod(k, 4.0);
  const int q = static_cast<int>(quarter < 0 ? quarter + 4.0 : quarter);
  switch (q) {
    case 0: sin_x = sin_r; cos_x = cos_r; break;
    case 1: sin_x = cos_r; cos_x = -sin_r; break;
    case 2: sin_x = -sin_r; cos_x = -cos_r; break;
    default: sin_x = -cos_r; cos_x = sin_r; break;
  }
}

}  // namespace detail
}  // namespace genlab
