// Input checks shared by the metrics (internal: included by metrics/*.cpp only).
#pragma once

#include <stdexcept>
#include <string>

#include "genlab/core/tensor.hpp"

namespace genlab::metrics::detail {

// Throws std::invalid_argument unless `points` is a non-empty (n, 2) set of 2-D points.
inline void require_points(const Tensor2& points, const char* func, const char* name) {
  if (rows(points) == 0 || cols(points) != 2)
    throw std::invalid_argument(std::string(func) + ": " + name + " must be (n, 2) with n ≥ 1, got (" +
                                std::to_string(rows(points)) + ", " + std::to_string(cols(points)) + ")");
}

}  // namespace genlab::metrics::detail
