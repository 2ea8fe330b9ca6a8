// The GenLab model file: one binary blob with everything a trained model needs to come back — its
// kind, its configuration, its step count and named float tensors (parameters, optimizer state).
// Byte layout, checksum and limits: io/README.md. The reader is strict because users upload
// arbitrary files: every count is bounded before anything is allocated, and every problem is a
// ModelFileError whose message says what is wrong and where.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace genlab::io {

constexpr std::uint32_t kModelFileVersion = 1;
constexpr std::size_t kHeaderBytes = 24;  // magic, version, total length, checksum

// Limits, checked by the reader before it allocates and by the writer before it writes.
constexpr std::size_t kMaxKindBytes = 16;
constexpr std::size_t kMaxConfigEntries = 64;
constexpr std::size_t kMaxConfigEntryBytes = 256;
constexpr std::size_t kMaxTensors = 1000;
constexpr std::size_t kMaxNameBytes = 128;
constexpr std::size_t kMaxDims = 4;
// Step counts up to 2⁵³ − 1: every one of them is exact as a JavaScript number (the page shows it).
constexpr std::int64_t kMaxSteps = (std::int64_t{1} << 53) - 1;
// Floats over all tensors: room for the largest model (Config kMaxParameters = 20 M weights) plus
// two optimizer moments each as large (Adam, RMSprop) — checked in model_file_read.cpp.
constexpr std::uint64_t kMaxTotalFloats = 64'000'000;
// The largest file the limits above allow; longer declared lengths are rejected at once.
constexpr std::uint64_t kMaxFileBytes = kHeaderBytes + (4 + kMaxKindBytes) + 8 +
                                        4 + kMaxConfigEntries * (4 + kMaxConfigEntryBytes) +
                                        4 + kMaxTensors * (4 + kMaxNameBytes + 4 + 4 * kMaxDims) +
                                        4 * kMaxTotalFloats;

struct NamedTensor {
  std::string name;                  // 1–128 visible ASCII bytes, e.g. "enc.0.W", "opt.G.0"
  std::vector<std::uint32_t> shape;  // 1–4 dimensions; their product is values.size()
  std::vector<float> values;         // row-major, finite
};

struct ModelFile {
  std::uint32_t version = kModelFileVersion;
  std::string kind;                  // "vae" or "gan"
  std::vector<std::string> config;   // "key=value" assignments (Config::changed_assignments)
  std::int64_t steps = 0;            // training steps so far (≥ 0)
  std::vector<NamedTensor> tensors;  // parameters, optimizer state, anything named
};

// The same file by reference, for writing without a copy of the tensors: each tensor's `count`
// floats are read from `values` (nullptr: all zeros). The referenced memory must outlive the call.
struct TensorRef {
  std::string name;
  std::vector<std::uint32_t> shape;
  const float* values = nullptr;
  std::size_t count = 0;
};

struct ModelFileRef {
  std::uint32_t version = kModelFileVersion;
  std::string kind;
  std::vector<std::string> config;
  std::int64_t steps = 0;
  std::vector<TensorRef> tensors;
};

// A file that cannot be read (damaged, hostile, newer, or for another model).
class ModelFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Serialises `file`; throws std::invalid_argument when it breaks a rule the reader enforces.
std::vector<std::uint8_t> write_model_file(const ModelFile& file);
// Serialises into `out`, reusing its capacity: a session checkpointing every few seconds then
// allocates nothing once its buffer is large enough (fresh 8 MB buffers each time grew the wasm
// heap in steps of 20 % as the allocator's holes fell just short). Every rule is checked before
// `out` is touched, so on a throw it keeps what it held.
void write_model_file(const ModelFileRef& file, std::vector<std::uint8_t>& out);
// The exact byte size write_model_file will produce for `file`.
std::size_t model_file_size(const ModelFileRef& file);
// References to the tensors of `file` (valid while `file` lives and is not changed).
ModelFileRef refs_of(const ModelFile& file);
// Parses and checks n bytes; throws ModelFileError on anything but a well-formed file.
ModelFile read_model_file(const std::uint8_t* bytes, std::size_t n);
// Same, from a buffer.
inline ModelFile read_model_file(const std::vector<std::uint8_t>& bytes) {
  return read_model_file(bytes.data(), bytes.size());
}

// A tensor a model expects: its name and shape.
using TensorSpec = std::pair<std::string, std::vector<std::uint32_t>>;
// Throws ModelFileError naming the first expected tensor that is missing or mis-shaped, then the
// first tensor of the file that is not expected. Call before touching a model, so that a file
// for another model is rejected and the current model is kept.
void check_tensors_match(const ModelFile& file, const std::vector<TensorSpec>& expected);

// True when both hold the same version, kind, config, steps and tensors (names, shapes, value bits).
bool bit_equal(const ModelFile& a, const ModelFile& b);
// "400×784" (and "scalar" for an empty shape).
std::string shape_string(const std::vector<std::uint32_t>& shape);

// FNV-1a 64 over bytes [0, 16) and [24, n): the whole file except the checksum field itself.
std::uint64_t model_file_checksum(const std::uint8_t* bytes, std::size_t n);
// Writes the total length and checksum fields of a file of at least kHeaderBytes bytes (used by
// the writer, and by tests and the fuzzer to make hand-crafted files pass the header checks).
void seal_model_file(std::vector<std::uint8_t>& bytes);

}  // namespace genlab::io
