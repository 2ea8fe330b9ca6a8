#include "genlab/data/resample.hpp"

#include <stdexcept>
#include <vector>

namespace genlab {

namespace {

struct Tap {
  std::size_t index;  // source pixel
  std::uint32_t weight;  // overlap in units of 1/(N·M)
};

// For each of m target pixels along an axis of n source pixels: the source pixels it overlaps.
std::vector<std::vector<Tap>> axis_taps(std::size_t n, std::size_t m) {
  std::vector<std::vector<Tap>> taps(m);
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t lo = j * n, hi = (j + 1) * n;  // target j in source-scaled units
    for (std::size_t i = lo / m; i < n && i * m < hi; ++i) {
      const std::size_t a = i * m > lo ? i * m : lo;
      const std::size_t b = (i + 1) * m < hi ? (i + 1) * m : hi;
      if (b > a) taps[j].push_back({i, static_cast<std::uint32_t>(b - a)});
    }
  }
  return taps;
}

void check_side(const char* what, std::size_t v) {
  if (v < 1 || v > kImageAssetMaxSide)
    throw std::invalid_argument(std::string("resample_area: ") + what + " " + std::to_string(v) + " is outside 1.." +
                                std::to_string(kImageAssetMaxSide));
}

// Resamples one image with precomputed taps; total = Σ weights = src_rows · src_cols.
void apply(const std::uint8_t* src, std::size_t src_cols, const std::vector<std::vector<Tap>>& row_taps,
           const std::vector<std::vector<Tap>>& col_taps, std::uint32_t total, std::uint8_t* dst) {
  std::size_t k = 0;
  for (const auto& ry : row_taps) {
    for (const auto& cx : col_taps) {
      std::uint32_t s = 0;  // ≤ 255 · 256² < 2^25: no overflow
      for (const Tap& ty : ry)
        for (const Tap& tx : cx) s += ty.weight * tx.weight * src[ty.index * src_cols + tx.index];
      dst[k++] = static_cast<std::uint8_t>((s + total / 2) / total);
    }
  }
}

}  // namespace

void resample_area(const std::uint8_t* src, std::size_t src_rows, std::size_t src_cols, std::uint8_t* dst,
                   std::size_t rows, std::size_t cols) {
  check_side("source rows", src_rows);
  check_side("source cols", src_cols);
  check_side("rows", rows);
  check_side("cols", cols);
  apply(src, src_cols, axis_taps(src_rows, rows), axis_taps(src_cols, cols),
        static_cast<std::uint32_t>(src_rows * src_cols), dst);
}

ImageSet resample_area(const ImageSet& src, std::size_t rows, std::size_t cols, const std::string& name) {
  check_image_set(src);
  check_side("rows", rows);
  check_side("cols", cols);
  ImageSet out;
  out.name = name;
  out.rows = rows;
  out.cols = cols;
  out.classes = src.classes;
  out.labels = src.labels;
  out.pixels.resize(src.count() * rows * cols);
  const auto row_taps = axis_taps(src.rows, rows);
  const auto col_taps = axis_taps(src.cols, cols);
  const auto total = static_cast<std::uint32_t>(src.rows * src.cols);
  for (std::size_t i = 0; i < src.count(); ++i)
    apply(src.image(i), src.cols, row_taps, col_taps, total, out.pixels.data() + i * rows * cols);
  return out;
}

}  // namespace genlab
