// Mode coverage of a 2-D Gaussian mixture, the protocol of VEEGAN (Srivastava et al. 2017,
// "VEEGAN: Reducing Mode Collapse in GANs using Implicit Variational Learning", §5.1) and
// PacGAN (Lin et al. 2018, "PacGAN: The power of two samples in generative adversarial
// networks", §5): draw samples from the generator (they use 2,500), assign each to its nearest
// mode, call it high-quality when it lies within 3σ of that mode's mean.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "genlab/core/tensor.hpp"

namespace genlab::metrics {

struct ModeStats {
  int modes_covered;             // modes that are the nearest mode of ≥ 1 high-quality sample
  int modes_total;               // K = means.size()
  double hq_fraction;            // #high-quality / n
  double reverse_kl;             // KL(q ‖ uniform over K) in nats, q = HQ histogram; NaN if #HQ = 0
  std::vector<int> hq_per_mode;  // K counts of high-quality samples per nearest mode
  double asked_fraction = 0;     // with `asked`: #(high-quality and nearest mode = asked) / n
};

// samples (n, 2), means K points, sigma the mixture's per-axis standard deviation.
// A sample is high-quality iff ‖x − μ_nearest‖ ≤ 3σ: the boundary is INCLUSIVE (compared as
// squared distances in double, so a sample exactly 3σ away counts). Distance ties between modes
// go to the lower mode index. Samples with a NaN coordinate are never high-quality but count in
// n. reverse_kl = Σ_{qᵢ>0} qᵢ log(qᵢ·K) ∈ [0, log K]; with no high-quality sample q does not
// exist and reverse_kl is NaN (not +∞: "undefined", so it never poses as a worst-but-valid
// score; read hq_fraction = 0 instead).
// Throws std::invalid_argument if samples is empty or not (n, 2), means is empty or
// has a non-finite coordinate, or sigma is
// not a positive finite number.
// asked (conditional models): the mode each sample was drawn for, one per row (or empty).
ModeStats mode_stats(const Tensor2& samples, const std::vector<std::array<float, 2>>& means, float sigma,
                     const std::vector<std::uint8_t>& asked = {});

}  // namespace genlab::metrics
