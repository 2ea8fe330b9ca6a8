// Toy 2-D distributions for GANs and VAEs, sampled from our Rng so a seed gives the same points
// natively and in WebAssembly. Every sample is a row (x, y) of a Tensor2 (n, 2).
//
//   name          definition                                                      extent
//   ring8         8 Gaussians, means (cos 2πi/8, sin 2πi/8), i = 0..7, σ 0.01     |x|,|y| ≤ ~1.05
//                 (PacGAN's "2D-ring")
//   grid25        25 Gaussians, means {−4,−2,0,2,4}², σ 0.05 (PacGAN's "2D-grid")  ±4.3
//   spiral        two arms r = θ/π, θ ∈ [0, 3π], the second arm rotated by π;       ±3.4
//                 θ = 3π·√u so points are spread evenly along the arc; noise σ 0.1
//   moons         sklearn-style two moons (unit radius), centred and scaled ×2:    x ±3.4, y ±1.9
//                 upper (cos t, sin t), lower (1 − cos t, ½ − sin t), t ∈ [0, π],
//                 then (2(x − ½), 2(y − ¼)); noise σ 0.1
//   circles       two concentric circles, radii 1.5 and 3 (equal mass), noise σ 0.1  ±3.4
//   swiss_roll    2-D swiss roll (t cos t, t sin t)/4, t ∈ [1.5π, 4.5π] uniform;     ±3.9
//                 noise σ 0.1
//   checkerboard  uniform on the 8 dark squares of a 4×4 board of side-2 squares   [−4, 4)
//                 covering [−4, 4)², square (i, j) dark when i + j is even; no noise
//
// "Noise" is isotropic Gaussian added after the shape is drawn. Extents include ~4σ of noise.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "genlab/core/rng.hpp"
#include "genlab/core/tensor.hpp"

namespace genlab {

enum class Toy2d { ring8, grid25, spiral, moons, circles, swiss_roll, checkerboard };

// All dataset names, in the order of the Toy2d enum.
std::vector<std::string> toy2d_names();

// The enum value for a name; throws std::invalid_argument listing the valid names if unknown.
Toy2d parse_toy2d(const std::string& name);

// The name of an enum value.
std::string toy2d_name(Toy2d kind);

// Fills every row of out (n, 2), already shaped, with independent samples. Allocates nothing.
void sample_toy2d(Toy2d kind, Rng& rng, Tensor2& out);
void sample_toy2d(const std::string& name, Rng& rng, Tensor2& out);

// The same samples (the same draws) with each one's mixture component in labels (ring8: 0–7,
// grid25: 0–24, row by row); throws for the sets that are not mixtures.
void sample_toy2d(const std::string& name, Rng& rng, Tensor2& out, std::vector<std::uint8_t>& labels);

// n fresh samples in a new (n, 2) tensor.
Tensor2 sample_toy2d(const std::string& name, Rng& rng, std::size_t n);

// The mixture components of a Gaussian-mixture dataset (equal weights, isotropic σ).
struct Modes {
  std::vector<std::array<float, 2>> means;
  float sigma = 0.0f;
};

// Modes of ring8 and grid25; std::nullopt for the datasets that are not mixtures.
std::optional<Modes> toy2d_modes(Toy2d kind);
std::optional<Modes> toy2d_modes(const std::string& name);

namespace detail {
// sin and cos of x from +, −, ×, ÷ and nearbyint only: identical bits on every IEEE-754 platform
// (libm's sin/cos differ in the last bit between glibc and Emscripten's musl). Accurate to a few
// ulp for |x| < 1e6.
void portable_sincos(double x, double& sin_x, double& cos_x);
}  // namespace detail

}  // namespace genlab
