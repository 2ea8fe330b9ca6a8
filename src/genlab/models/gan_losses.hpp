// The GAN objectives, as functions of D's raw scores a (one per packed example), so each can be
// checked against its definition. Every function returns the mean over the n scores and writes
// (not adds) its gradient with respect to a into da (n, 1), scaled by 1/n.
//
//   loss           D's objective (minimised)                         G's objective (minimised)
//   minimax        −log σ(a_real) − log(1 − σ(a_fake))                log(1 − σ(a_fake))   (saturating)
//   nonsaturating  the same                                           −log σ(a_fake)
//   lsgan          ½(a_real − 1)² + ½ a_fake²                         ½(a_fake − 1)²
//   hinge          max(0, 1 − a_real) + max(0, 1 + a_fake)            −a_fake
//   wgan           a_fake − a_real   (with weight clipping)           −a_fake
//
// One-sided label smoothing s (cross-entropy losses only) makes the real target 1 − s.
#pragma once

#include <string>

#include "genlab/core/tensor.hpp"

namespace genlab::models {

enum class GanLoss { Minimax, NonSaturating, LeastSquares, Hinge, Wasserstein };
GanLoss parse_gan_loss(const std::string& name);
std::string gan_loss_name(GanLoss l);
// The cross-entropy losses read a as a logit: D's output is then the probability σ(a).
bool outputs_probability(GanLoss l);

// D's objective on one side (real or generated examples). `target` is scratch (n, 1).
double d_side_loss(GanLoss loss, const Tensor2& a, bool real, float label_smooth, Tensor2& da, Tensor2& target);
// G's objective on D's scores of generated examples.
double g_side_loss(GanLoss loss, const Tensor2& a, Tensor2& da, Tensor2& target);
// D's mean output over the scores a, as the page shows it: σ(a) for the cross-entropy losses, a
// itself for the others.
float mean_output(GanLoss loss, const Tensor2& a);

}  // namespace genlab::models
