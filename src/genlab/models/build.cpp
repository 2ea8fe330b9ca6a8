#include "genlab/models/build.hpp"

namespace genlab::models {

std::vector<std::size_t> widths(const std::vector<int>& v) { return {v.begin(), v.end()}; }

nn::Init parse_init(const std::string& s) {
  if (s == "xavier") return nn::Init::Xavier;
  if (s == "torch") return nn::Init::TorchDefault;
  if (s == "dcgan") return nn::Init::Dcgan;
  return nn::Init::He;
}

void check_conv_widths(const std::string& key, const std::vector<int>& w, bool up, const std::string& example) {
  if (w.size() < 2 || w.size() > 3)
    throw ConfigError(key, std::string("with net=conv give two or three channel counts (at ") +
                               (up ? "side/4 and side/2" : "side/2 and side/4") + "), e.g. " + example);
}

optim::OptimConfig optim_config(const Config& c, const std::string& kind, float lr) {
  optim::OptimConfig o;
  o.kind = optim::parse_kind(kind);
  o.lr = lr;
  o.beta1 = c.beta1;
  o.beta2 = c.beta2;
  o.momentum = c.momentum;
  o.rho = c.rho;
  o.weight_decay = c.weight_decay;
  o.clip_norm = c.clip_norm;
  return o;
}

}  // namespace genlab::models
