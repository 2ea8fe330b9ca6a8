// Helpers the model kinds share when they map Config keys onto their specs (each kind's mapping
// lives in its own file: vae_spec in vae.cpp, gan_spec in gan.cpp).
#pragma once

#include <string>
#include <vector>

#include "genlab/config/config.hpp"
#include "genlab/nn/linear.hpp"
#include "genlab/optim/optimizer.hpp"

namespace genlab::models {

std::vector<std::size_t> widths(const std::vector<int>& v);
nn::Init parse_init(const std::string& s);  // "he", "xavier", "torch"
// With net=conv a network's widths are two or three channel counts; throws ConfigError naming
// `key` otherwise. `up`: a generator or decoder (widths at side/4, then side/2), else a D or an
// encoder (side/2, then side/4); `example` is a pair to suggest.
void check_conv_widths(const std::string& key, const std::vector<int>& w, bool up, const std::string& example);
// The optimizer of one network: its kind and learning rate, the shared details from the config.
optim::OptimConfig optim_config(const Config& c, const std::string& kind, float lr);

}  // namespace genlab::models
