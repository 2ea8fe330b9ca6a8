#include "genlab/models/gan_losses.hpp"

#include <algorithm>
#include <stdexcept>

#include "genlab/kernels/vec.hpp"
#include "genlab/nn/losses.hpp"

namespace genlab::models {

GanLoss parse_gan_loss(const std::string& name) {
  if (name == "minimax") return GanLoss::Minimax;
  if (name == "nonsaturating") return GanLoss::NonSaturating;
  if (name == "lsgan") return GanLoss::LeastSquares;
  if (name == "hinge") return GanLoss::Hinge;
  if (name == "wgan") return GanLoss::Wasserstein;
  throw std::invalid_argument("unknown GAN loss '" + name + "' (expected minimax, nonsaturating, lsgan, hinge, wgan)");
}

std::string gan_loss_name(GanLoss l) {
  switch (l) {
    case GanLoss::Minimax: return "minimax";
    case GanLoss::NonSaturating: return "nonsaturating";
    case GanLoss::LeastSquares: return "lsgan";
    case GanLoss::Hinge: return "hinge";
    case GanLoss::Wasserstein: break;
  }
  return "wgan";
}

bool outputs_probability(GanLoss l) { return l == GanLoss::Minimax || l == GanLoss::NonSaturating; }

double d_side_loss(GanLoss loss, const Tensor2& a, bool real, float label_smooth, Tensor2& da, Tensor2& target) {
  const std::size_t n = rows(a);
  const float inv_n = 1.0f / static_cast<float>(n);
  ensure_shape(da, n, 1);
  switch (loss) {
    case GanLoss::Minimax:
    case GanLoss::NonSaturating:  // −log D(x) − log(1 − D(G(z))), with one-sided smoothing of the real target
      ensure_shape(target, n, 1);
      kernels::fill(target.data(), n, real ? 1.0f - label_smooth : 0.0f);
      return nn::bce_with_logits(a, target, da, inv_n);
    case GanLoss::LeastSquares:  // ½(D(x) − 1)² + ½ D(G(z))²  (Mao et al. 2017, a = 0, b = c = 1)
      ensure_shape(target, n, 1);
      kernels::fill(target.data(), n, real ? 1.0f : 0.0f);
      return nn::mse(a, target, da, 0.5f * inv_n);
    case GanLoss::Hinge: {  // max(0, 1 − D(x)) + max(0, 1 + D(G(z)))
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const float m = real ? 1.0f - a(i, 0) : 1.0f + a(i, 0);
        s += std::max(m, 0.0f);
        da(i, 0) = m > 0.0f ? (real ? -inv_n : inv_n) : 0.0f;
      }
      return s * inv_n;
    }
    case GanLoss::Wasserstein: {  // D(G(z)) − D(x)  (the critic maximises the gap)
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        s += real ? -a(i, 0) : a(i, 0);
        da(i, 0) = real ? -inv_n : inv_n;
      }
      return s * inv_n;
    }
  }
  return 0.0;
}

double g_side_loss(GanLoss loss, const Tensor2& a, Tensor2& da, Tensor2& target) {
  const std::size_t n = rows(a);
  const float inv_n = 1.0f / static_cast<float>(n);
  ensure_shape(da, n, 1);
  ensure_shape(target, n, 1);
  switch (loss) {
    case GanLoss::Minimax:  // min E log(1 − D(G(z))) = −BCE(a, 0): the original, saturating form
      kernels::fill(target.data(), n, 0.0f);
      return nn::bce_with_logits(a, target, da, -inv_n);
    case GanLoss::NonSaturating:  // min −E log D(G(z))
      kernels::fill(target.data(), n, 1.0f);
      return nn::bce_with_logits(a, target, da, inv_n);
    case GanLoss::LeastSquares:  // ½(D(G(z)) − 1)²
      kernels::fill(target.data(), n, 1.0f);
      return nn::mse(a, target, da, 0.5f * inv_n);
    case GanLoss::Hinge:
    case GanLoss::Wasserstein: {  // −D(G(z))
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        s -= a(i, 0);
        da(i, 0) = -inv_n;
      }
      return s * inv_n;
    }
  }
  return 0.0;
}

float mean_output(GanLoss loss, const Tensor2& a) {
  const bool probability = outputs_probability(loss);
  double s = 0.0;
  for (float v : a) s += probability ? 1.0 / (1.0 + static_cast<double>(kernels::exp1(-v))) : v;
  return static_cast<float>(s / static_cast<double>(a.size()));
}

}  // namespace genlab::models
