// The .safetensors format (the weights format of the PyTorch ecosystem), written and read here
// without a library: an unsigned 64-bit little-endian header length N, N bytes of JSON mapping
// each tensor's name to {"dtype", "shape", "data_offsets": [begin, end]} (plus an optional
// "__metadata__" object of string values), then the raw little-endian data. Layout, limits and
// GenLab's metadata keys: io/README.md.
//
// The reader is strict, like the model file's: every length is checked against the input before
// anything is allocated, the tensors must tile the data exactly (no gaps, no overlaps, nothing
// after), names are unique, dtypes known, float values finite. A file with GenLab's metadata
// ("genlab.*" keys) must carry all of them, and its CRC-32 must match: then a flipped byte
// anywhere in the file is caught, not only in its structure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace genlab::io {

constexpr std::size_t kMaxSafetensorsHeader = 1 << 20;     // bytes of JSON
constexpr std::size_t kMaxSafetensorsTensors = 1000;
constexpr std::size_t kMaxSafetensorsDims = 4;
constexpr std::uint64_t kMaxSafetensorsValues = 64'000'000;  // as the model file's kMaxTotalFloats

enum class Dtype { F32, F16, BF16, I64, I8 };
const char* dtype_name(Dtype d);  // "F32", "F16", "BF16", "I64", "I8"
std::size_t dtype_bytes(Dtype d);

class SafetensorsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A tensor to write: `count` floats from `values`, stored as F32 or F16 (rounded to nearest even);
// or, when `ints` is set, `count` signed bytes stored as I8 (quantized weights, io/quantize.hpp).
struct SafeTensorOut {
  std::string name;
  std::vector<std::size_t> shape;
  const float* values = nullptr;
  const std::int8_t* ints = nullptr;
  bool f32 = false;  // F32 even in an F16 file (quantization scales)
};

using Metadata = std::vector<std::pair<std::string, std::string>>;

// The key GenLab's checksum lives under; its value is 8 lowercase hex digits: the CRC-32 (zlib's)
// of the whole file with those 8 digits read as "00000000".
constexpr const char* kCrcKey = "genlab.crc32";

// Serialises tensors in the order given after the metadata; when the metadata has genlab.* keys,
// a genlab.crc32 entry is added and sealed. Throws std::invalid_argument on names, shapes or
// metadata the reader would refuse.
std::vector<std::uint8_t> write_safetensors(const std::vector<SafeTensorOut>& tensors, const Metadata& metadata,
                                            Dtype dtype = Dtype::F32);

struct SafeTensorIn {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<std::size_t> shape;
  std::vector<float> values;  // converted to float (I8: the integers; I64 tensors: empty, see `ints`)
  std::vector<std::int64_t> ints;
};

struct SafeTensors {
  Metadata metadata;                 // in file order
  std::vector<SafeTensorIn> tensors;  // in data order
  const std::string* meta(const std::string& key) const;  // nullptr when absent
  const SafeTensorIn* find(const std::string& name) const;
};

// Parses and checks n bytes; throws SafetensorsError saying what is wrong and where.
SafeTensors read_safetensors(const std::uint8_t* bytes, std::size_t n);
// Writes the right genlab.crc32 digits into a file whose header holds `"genlab.crc32":"` and 8
// bytes after it (nothing else changes; no-op without). For tests and the fuzzer, which make
// hand-made or mutated files pass the checksum so that they reach the parser behind it.
void seal_safetensors(std::vector<std::uint8_t>& bytes);
// Whether the bytes start like a safetensors file (a plausible header length, then '{').
bool looks_like_safetensors(const std::uint8_t* bytes, std::size_t n);

// CRC-32 (the polynomial of zlib and PNG), continuing from `crc` (0 to start).
std::uint32_t crc32(const std::uint8_t* bytes, std::size_t n, std::uint32_t crc = 0);

// IEEE half ↔ float (round to nearest even; overflow to ±Inf, which the reader then refuses).
std::uint16_t float_to_half(float f);
float half_to_float(std::uint16_t h);

}  // namespace genlab::io
