// Area-weighted resampling of 8-bit images in exact integer arithmetic, so the asset build script
// (JavaScript) and this code produce the same bytes.
//
// Along one axis, source pixel i (of N) covers [i·M, (i+1)·M) and target pixel j (of M) covers
// [j·N, (j+1)·N), both in units of 1/(N·M) of the image; a target pixel is the overlap-weighted
// mean of the source pixels it touches, weights = row overlap × column overlap (they sum to
// T = N_rows·N_cols), rounded half up: (S + ⌊T/2⌋) / T in integers. 28 → 14 is exactly the mean of
// each 2×2 block, (a+b+c+d+2)/4; 28 → 10 averages 2.8×2.8-pixel areas.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "genlab/data/image_asset.hpp"

namespace genlab {

// One image src (src_rows, src_cols) into dst (rows, cols), both row-major.
void resample_area(const std::uint8_t* src, std::size_t src_rows, std::size_t src_cols, std::uint8_t* dst,
                   std::size_t rows, std::size_t cols);

// Every image of a set resampled to rows × cols; labels and classes kept, the new set named `name`.
ImageSet resample_area(const ImageSet& src, std::size_t rows, std::size_t cols, const std::string& name);

}  // namespace genlab
