// From the one Config to model specs: the only place that maps configuration keys onto models.
#pragma once

#include "genlab/config/config.hpp"
#include "genlab/models/gan.hpp"
#include "genlab/models/vae.hpp"

namespace genlab::models {

VaeSpec vae_spec(const Config& c);
GanSpec gan_spec(const Config& c);
optim::OptimConfig optim_config(const Config& c, const std::string& kind, float lr);

}  // namespace genlab::models
