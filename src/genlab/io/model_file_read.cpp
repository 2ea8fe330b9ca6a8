// The strict model file reader. Order of checks: size, magic, version, declared length (bounded,
// then equal to the input's), checksum; then the body, where every count and length is checked
// against its limit and against the bytes that remain before anything is allocated. Nothing is
// read outside [bytes, bytes + n); the memory used stays below the input's size plus small caps.
#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <string_view>

#include "genlab/config/config.hpp"
#include "genlab/io/model_file.hpp"
#include "genlab/io/model_file_rules.hpp"

namespace genlab::io {

static_assert(kMaxTotalFloats >= 3 * kMaxParameters,
              "a model file must hold the largest model's weights and two optimizer moments");

namespace {

using namespace detail;

// The smallest tensor record: name length, a 1-byte name, dimension count, one dimension of 0.
constexpr std::size_t kMinTensorBytes = 4 + 1 + 4 + 4;

// Walks the body of a file whose length and checksum are already verified. Every read checks the
// remaining bytes first; errors say at which byte the file stops making sense.
class Cursor {
 public:
  Cursor(const std::uint8_t* bytes, std::size_t n) : b_(bytes), n_(n), pos_(kHeaderBytes) {}

  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return n_ - pos_; }

  [[noreturn]] void fail(const std::string& what) const {
    throw ModelFileError("model file malformed at byte " + std::to_string(pos_) + " of " + std::to_string(n_) +
                         ": " + what);
  }
  // Ensures k more bytes exist before `what` is read.
  void need(std::uint64_t k, const std::string& what) const {
    if (k > remaining())
      fail(what + " needs " + std::to_string(k) + " bytes, only " + std::to_string(remaining()) + " remain");
  }
  std::uint32_t u32(const char* what) {
    need(4, what);
    const std::uint32_t v = get_u32(b_ + pos_);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64(const char* what) {
    need(8, what);
    const std::uint64_t v = get_u64(b_ + pos_);
    pos_ += 8;
    return v;
  }
  // A length-prefixed byte string of at most `max` bytes, viewed in place in the input.
  std::string_view view(std::size_t max, const char* what) {
    const std::uint32_t len = u32(what);
    if (len > max)
      fail(std::string(what) + " of " + std::to_string(len) + " bytes (at most " + std::to_string(max) + ")");
    need(len, what);
    const std::string_view s(reinterpret_cast<const char*>(b_ + pos_), len);
    pos_ += len;
    return s;
  }
  // The same, copied (the limit is checked before anything is allocated).
  std::string str(std::size_t max, const char* what) { return std::string(view(max, what)); }
  const std::uint8_t* take(std::size_t k, const std::string& what) {
    need(k, what);
    const std::uint8_t* p = b_ + pos_;
    pos_ += k;
    return p;
  }

 private:
  const std::uint8_t* b_;
  std::size_t n_;
  std::size_t pos_;
};

// The 24-byte header against the input: magic, version, length, checksum.
void check_header(const std::uint8_t* bytes, std::size_t n) {
  if (n == 0) throw ModelFileError("empty model file (0 bytes)");
  const std::size_t magic_bytes = n < 4 ? n : 4;
  if (std::string_view(reinterpret_cast<const char*>(bytes), magic_bytes) != std::string_view(kMagic, magic_bytes)) {
    static const char* hex = "0123456789ABCDEF";
    std::string seen;
    for (std::size_t i = 0; i < magic_bytes; ++i) {
      seen += i ? " " : "";
      seen += hex[bytes[i] >> 4];
      seen += hex[bytes[i] & 15];
    }
    throw ModelFileError("not a GenLab model file: it starts with " + seen + ", not \"GLMF\"");
  }
  if (n < kHeaderBytes)
    throw ModelFileError("model file truncated at byte " + std::to_string(n) + " of its " +
                         std::to_string(kHeaderBytes) + "-byte header");
  const std::uint32_t version = get_u32(bytes + kVersionOffset);
  if (version == 0) throw ModelFileError("model file version 0 is invalid");
  if (version > kModelFileVersion)
    throw ModelFileError("model file version " + std::to_string(version) + " is newer than this GenLab (" +
                         std::to_string(kModelFileVersion) + ")");
  const std::uint64_t length = get_u64(bytes + kLengthOffset);
  if (length < kHeaderBytes || length > kMaxFileBytes)
    throw ModelFileError("model file declares a length of " + std::to_string(length) + " bytes (valid files have " +
                         std::to_string(kHeaderBytes) + " to " + std::to_string(kMaxFileBytes) + ")");
  if (n < length)
    throw ModelFileError("model file truncated at byte " + std::to_string(n) + " of " + std::to_string(length));
  if (n > length)
    throw ModelFileError("model file is " + std::to_string(n) + " bytes, but its header says " +
                         std::to_string(length));
  const std::uint64_t stored = get_u64(bytes + kChecksumOffset);
  const std::uint64_t computed = model_file_checksum(bytes, n);
  if (stored != computed) {
    static const char* hex = "0123456789abcdef";
    auto hex64 = [](std::uint64_t v) {
      std::string s = "0x";
      for (int i = 60; i >= 0; i -= 4) s += hex[(v >> i) & 15];
      return s;
    };
    throw ModelFileError("model file checksum mismatch (stored " + hex64(stored) + ", computed " + hex64(computed) +
                         "): the file is damaged");
  }
}

// One tensor record: name, dimensions, values (bounded before the values are allocated).
// `names` views the input buffer, which outlives the read.
NamedTensor read_tensor(Cursor& c, std::set<std::string_view>& names, std::uint64_t& total) {
  NamedTensor t;
  const std::string_view name = c.view(kMaxNameBytes, "tensor name");
  if (std::string p = name_problem(name); !p.empty()) c.fail(p);
  t.name = std::string(name);
  if (!names.insert(name).second) c.fail("duplicate tensor name '" + t.name + "'");
  const std::uint32_t dims = c.u32("dimension count");
  if (dims == 0 || dims > kMaxDims)
    c.fail("tensor '" + t.name + "' has " + std::to_string(dims) + " dimensions (1 to " + std::to_string(kMaxDims) +
           " allowed)");
  t.shape.resize(dims);
  for (std::uint32_t& d : t.shape) d = c.u32("dimension");
  std::uint64_t count = 0;
  if (std::string p = shape_problem(t.shape, count); !p.empty()) c.fail("tensor '" + t.name + "' " + p);
  total += count;
  if (total > kMaxTotalFloats)
    c.fail("the tensors hold more than " + std::to_string(kMaxTotalFloats) + " values in total");
  const std::uint8_t* raw =
      c.take(static_cast<std::size_t>(4 * count), "tensor '" + t.name + "' (" + shape_string(t.shape) + " values)");
  t.values.resize(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    const std::uint32_t bits = get_u32(raw + 4 * i);
    if (!bits_finite(bits))
      c.fail("tensor '" + t.name + "' value " + std::to_string(i) + " is " + non_finite_name(bits));
    std::memcpy(&t.values[i], &bits, 4);
  }
  return t;
}

}  // namespace

ModelFile read_model_file(const std::uint8_t* bytes, std::size_t n) {
  if (bytes == nullptr && n > 0) throw std::invalid_argument("read_model_file: null buffer");
  check_header(bytes, n);
  Cursor c(bytes, n);
  ModelFile f;
  f.version = get_u32(bytes + kVersionOffset);
  f.kind = c.str(kMaxKindBytes, "model kind");
  if (std::string p = kind_problem(f.kind); !p.empty()) c.fail(p);
  const std::uint64_t steps = c.u64("step count");
  // Two's complement: a "negative" count reads as a huge unsigned one, and is reported as negative.
  f.steps = static_cast<std::int64_t>(steps);
  if (std::string p = steps_problem(f.steps); !p.empty()) c.fail(p);

  const std::uint32_t entries = c.u32("config entry count");
  if (entries > kMaxConfigEntries)
    c.fail(std::to_string(entries) + " config entries (at most " + std::to_string(kMaxConfigEntries) + ")");
  // Reserve no more than the remaining bytes could hold (an entry takes ≥ 5 bytes).
  f.config.reserve(std::min<std::size_t>(entries, c.remaining() / 5));
  for (std::uint32_t i = 0; i < entries; ++i) {
    f.config.push_back(c.str(kMaxConfigEntryBytes, "config entry"));
    if (std::string p = config_entry_problem(f.config.back()); !p.empty()) c.fail(p);
  }

  const std::uint32_t count = c.u32("tensor count");
  if (count > kMaxTensors) c.fail(std::to_string(count) + " tensors (at most " + std::to_string(kMaxTensors) + ")");
  f.tensors.reserve(std::min<std::size_t>(count, c.remaining() / kMinTensorBytes));
  std::set<std::string_view> names;
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < count; ++i) f.tensors.push_back(read_tensor(c, names, total));
  if (c.remaining() != 0) c.fail(std::to_string(c.remaining()) + " unused bytes after the last tensor");
  return f;
}

}  // namespace genlab::io
