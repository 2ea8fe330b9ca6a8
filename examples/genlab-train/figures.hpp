// The trainer's --out figures: sample grids, reconstructions, latent scatter and manifold,
// 2-D real-vs-generated scatter with the modes marked.
#pragma once

#include <string>
#include <vector>

#include "genlab/session.hpp"

namespace genlab::cli {

// Writes every figure that fits the session's model and data into dir; returns the file names.
std::vector<std::string> write_figures(Session& s, const std::string& dir);

}  // namespace genlab::cli
