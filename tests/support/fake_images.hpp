// A synthetic labelled image set for tests that need image data without the data sets: n images
// of side×side, class k (i mod 10) has a bright row k mod side, faint noise elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>

#include "genlab/core/rng.hpp"
#include "genlab/data/image_asset.hpp"

namespace genlab::test {

inline ImageSet fake_images(std::size_t n, std::size_t side, std::uint64_t seed) {
  ImageSet s;
  s.name = "fake";
  s.rows = s.cols = side;
  s.classes = 10;
  Rng r(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::uint8_t>(i % 10);
    s.labels.push_back(k);
    for (std::size_t p = 0; p < side * side; ++p)
      s.pixels.push_back(static_cast<std::uint8_t>(p / side == k % side ? 230 : r.below(30)));
  }
  return s;
}

}  // namespace genlab::test
