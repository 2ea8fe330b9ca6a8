#include "genlab/models/model.hpp"

#include <stdexcept>

namespace genlab::models {

const std::vector<StatField>& stat_fields() {
  static const std::vector<StatField> f = {
      {"loss", "loss", &StepStats::loss, false},        {"recon", "recon", &StepStats::recon, false},
      {"kl", "kl", &StepStats::kl, false},              {"beta", "beta", &StepStats::beta, true},
      {"d_loss", "dLoss", &StepStats::d_loss, false},   {"g_loss", "gLoss", &StepStats::g_loss, false},
      {"d_real", "dReal", &StepStats::d_real, false},   {"d_fake", "dFake", &StepStats::d_fake, false},
      {"enc_grad", "encGrad", &StepStats::enc_grad, true}, {"dec_grad", "decGrad", &StepStats::dec_grad, true},
      {"g_grad", "gGrad", &StepStats::g_grad, true},    {"d_grad", "dGrad", &StepStats::d_grad, true},
  };
  return f;
}

const StatField& stat_field(const std::string& name) {
  for (const StatField& f : stat_fields())
    if (name == f.name) return f;
  throw std::invalid_argument("no step statistic named '" + name + "'");
}

void accumulate(StepStats& sum, const StepStats& one) {
  for (const StatField& f : stat_fields()) {
    if (f.last) sum.*f.member = one.*f.member;
    else sum.*f.member += one.*f.member;
  }
  sum.steps += one.steps;
  sum.finite = sum.finite && one.finite;
}

void finish_average(StepStats& sum) {
  if (sum.steps <= 0) return;
  const float inv = 1.0f / static_cast<float>(sum.steps);
  for (const StatField& f : stat_fields())
    if (!f.last) sum.*f.member *= inv;
}

StepStats Model::train_part(const std::string& part, DataStream&, Rng&) {
  throw std::invalid_argument("the " + arch().model + " has no partial step '" + part + "'");
}

void Model::retune(const Config&) {
  throw std::invalid_argument("the " + arch().model + " cannot change settings while it runs");
}

void Model::heldout_metrics(const Tensor2&, const Rng&, int, Metrics&) {}

}  // namespace genlab::models
