// Labelled grey-scale image sets and their compact binary asset format (".glds"), read by the
// native code and the web page alike. Layout (all integers little-endian; README.md beside this):
//
//   offset size  field
//        0    4  magic "GLDS"
//        4    4  u32 format version (1)
//        8    4  u32 count      number of images, 1 .. 1,000,000
//       12    4  u32 rows       1 .. 256
//       16    4  u32 cols       1 .. 256
//       20    4  u32 classes    1 .. 256 (labels are u8 < classes)
//       24    8  u64 checksum   FNV-1a 64 over every byte of the file except these 8
//       32   32  name           printable ASCII (0x20..0x7e), at most 31 bytes, NUL-padded
//       64       pixels         count·rows·cols u8, image by image, row-major, 0 = background
//          count labels         u8 each
//
// The total length is exactly 64 + count·(rows·cols + 1), and the payload at most 512 MiB; the
// reader checks the header's bounds and the exact length before it allocates anything, so a
// corrupt or hostile header cannot ask for a huge buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "genlab/core/tensor.hpp"

namespace genlab {

struct ImageSet {
  std::string name;
  std::size_t rows = 0, cols = 0, classes = 0;
  std::vector<std::uint8_t> pixels;  // count · rows · cols, image-major then row-major
  std::vector<std::uint8_t> labels;  // count, each < classes

  std::size_t count() const { return labels.size(); }
  std::size_t pixels_per_image() const { return rows * cols; }
  const std::uint8_t* image(std::size_t i) const { return pixels.data() + i * rows * cols; }
};

constexpr std::uint32_t kImageAssetVersion = 1;
constexpr std::size_t kImageAssetHeaderBytes = 64;
constexpr std::size_t kImageAssetChecksumOffset = 24;
constexpr std::size_t kImageAssetNameOffset = 32;
constexpr std::size_t kImageAssetNameBytes = 32;  // name ≤ 31 bytes + NUL padding
constexpr std::size_t kImageAssetMaxCount = 1000000;
constexpr std::size_t kImageAssetMaxSide = 256;
constexpr std::size_t kImageAssetMaxClasses = 256;
constexpr std::uint64_t kImageAssetMaxPayloadBytes = 512ull << 20;  // 512 MiB: 10× Fashion-MNIST's train set

// What the fixed header says, after every field has been checked against the bounds above.
struct ImageAssetHeader {
  std::uint32_t version = 0;
  std::size_t count = 0, rows = 0, cols = 0, classes = 0;
  std::uint64_t checksum = 0;
  std::string name;

  // In 64 bits: on wasm32 the product of the largest allowed fields would overflow size_t.
  std::uint64_t payload_bytes() const { return std::uint64_t{count} * (std::uint64_t{rows} * cols + 1); }
  std::uint64_t total_bytes() const { return kImageAssetHeaderBytes + payload_bytes(); }
};

// FNV-1a, 64-bit, continuing from hash h (start with the offset basis, the default).
std::uint64_t fnv1a64(const std::uint8_t* bytes, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ULL);

// Throws std::invalid_argument if the set is inconsistent (sizes, label range, name, bounds).
void check_image_set(const ImageSet& set);

// Parses and bound-checks the first 64 bytes (n ≥ 64 required); does not look at the payload.
ImageAssetHeader parse_image_asset_header(const std::uint8_t* bytes, std::size_t n);

// Reads a whole asset strictly: header, exact length, checksum, labels. Throws std::runtime_error.
ImageSet read_image_asset(const std::uint8_t* bytes, std::size_t n);

// The asset bytes of a (checked) image set.
std::vector<std::uint8_t> write_image_asset(const ImageSet& set);

// Reads an asset file; checks the header and the file size before reading the payload.
ImageSet load_image_asset(const std::string& path);

// Images first .. first+n−1 as floats v/255 ∈ [0, 1] into out (n, rows·cols), already shaped.
void images_to_tensor(const ImageSet& set, std::size_t first, std::size_t n, Tensor2& out);

// The float an 8-bit intensity becomes: v / 255, correctly rounded. Loops over many pixels (the
// batcher, images_to_tensor) use kernels::bytes_to_unit, which gives the same bits.
float byte_to_unit(std::uint8_t v);

}  // namespace genlab
