// Divergences between real and generated 2-D samples through histograms on a shared G × G grid,
// the live "KL / JS divergence" readout of GAN Lab (Kahng et al. 2018, "GAN Lab: Understanding
// Complex Deep Generative Models using Interactive Visual Experimentation", IEEE VIS 2018).
#pragma once

#include <vector>

#include "genlab/core/tensor.hpp"

namespace genlab::metrics {

// Axis-aligned box [x0, x1] × [y0, y1]; valid when finite with x0 < x1 and y0 < y1.
struct Box {
  float x0, x1, y0, y1;
};

struct GridDivergence {
  double kl_real_gen;  // KL(real ‖ gen) in nats
  double js;           // Jensen–Shannon divergence in nats, 0 ≤ js ≤ log 2
};

constexpr int kDefaultGridSize = 20;

// Smoothing added to every cell's probability before renormalising: p̃ᵢ = (cᵢ/n + ε)/(1 + G²ε).
// Why 1e-6: it is far below 1/n for any sample count we use (n ≤ 10⁵), so occupied cells barely
// move, while a cell that is empty in `gen` but not in `real` costs at most log(1/ε) ≈ 13.8 nats
// per unit of mass instead of +∞. Being in probability units, it does not depend on n.
constexpr double kGridSmoothing = 1e-6;

// Counts of `points` (n, 2) in the G × G cells of `box`, row-major with index iy·G + ix, where
// cell ix covers [x0 + ix·w, x0 + (ix+1)·w), w = (x1 − x0)/G, and likewise in y. Points outside
// the box (±∞ included) are CLAMPED into the nearest edge cell, so every point is counted once
// and a generator that wanders off the box shows up as mass on the border; a point exactly on
// x1 (or y1) falls into the last cell.
// Throws std::invalid_argument for an empty or non-(n, 2) point set, a NaN coordinate, an
// invalid box, or grid_size < 1.
std::vector<int> grid_histogram(const Tensor2& points, const Box& box, int grid_size = kDefaultGridSize);

// KL(real ‖ gen) and JS(real, gen) of the smoothed grid histograms of the two sets (which may
// differ in size). Throws as grid_histogram does, for either set.
GridDivergence grid_divergence(const Tensor2& real, const Tensor2& gen, const Box& box,
                               int grid_size = kDefaultGridSize);

// The bounding box of `points` (n, 2), grown on every side by margin × the larger of its two
// extents (so a flat set still gets a box of non-zero height); if all points coincide, by margin
// itself. Compute it from the REAL samples and keep it fixed: a box that follows the generator
// would coarsen the grid as the generator diverges and hide the damage.
// Throws std::invalid_argument for an empty or non-(n, 2) set, a non-finite coordinate, or a
// margin that is not positive and finite.
Box covering_box(const Tensor2& points, float margin = 0.1f);

}  // namespace genlab::metrics
