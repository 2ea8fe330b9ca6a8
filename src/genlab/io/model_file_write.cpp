// The model file writer: checks the ModelFile against the reader's rules, then lays it out (see
// io/README.md) and seals it with its length and checksum.
#include <cstring>
#include <set>
#include <stdexcept>

#include "genlab/io/model_file.hpp"
#include "genlab/io/model_file_rules.hpp"

namespace genlab::io {

namespace {

using namespace detail;

[[noreturn]] void refuse(const std::string& why) {
  throw std::invalid_argument("cannot write model file: " + why);
}

// Throws std::invalid_argument for anything read_model_file would reject.
void check_writable(const ModelFileRef& f) {
  if (f.version != kModelFileVersion)
    refuse("version " + std::to_string(f.version) + " (this GenLab writes version " +
           std::to_string(kModelFileVersion) + ")");
  if (std::string p = kind_problem(f.kind); !p.empty()) refuse(p);
  if (std::string p = steps_problem(f.steps); !p.empty()) refuse(p);
  if (f.config.size() > kMaxConfigEntries)
    refuse(std::to_string(f.config.size()) + " config entries (at most " + std::to_string(kMaxConfigEntries) + ")");
  for (const std::string& e : f.config)
    if (std::string p = config_entry_problem(e); !p.empty()) refuse(p);
  if (f.tensors.size() > kMaxTensors)
    refuse(std::to_string(f.tensors.size()) + " tensors (at most " + std::to_string(kMaxTensors) + ")");
  std::set<std::string> names;
  std::uint64_t total = 0;
  for (const TensorRef& t : f.tensors) {
    if (std::string p = name_problem(t.name); !p.empty()) refuse(p);
    if (!names.insert(t.name).second) refuse("duplicate tensor name '" + t.name + "'");
    std::uint64_t count = 0;
    if (std::string p = shape_problem(t.shape, count); !p.empty()) refuse("tensor '" + t.name + "' " + p);
    if (count != t.count)
      refuse("tensor '" + t.name + "' has shape " + shape_string(t.shape) + " (" + std::to_string(count) +
             " values) but holds " + std::to_string(t.count));
    total += count;
    if (total > kMaxTotalFloats)
      refuse("the tensors hold more than " + std::to_string(kMaxTotalFloats) + " values in total");
    if (!t.values) continue;  // zeros
    for (std::size_t i = 0; i < t.count; ++i) {
      std::uint32_t bits = 0;
      std::memcpy(&bits, &t.values[i], 4);
      if (!bits_finite(bits))
        refuse("tensor '" + t.name + "' value " + std::to_string(i) + " is " + non_finite_name(bits));
    }
  }
}

// Appends little-endian fields to a buffer reserved to the file's size.
struct Out {
  std::vector<std::uint8_t>& b;
  void u32(std::uint32_t v) {
    b.resize(b.size() + 4);
    put_u32(b.data() + b.size() - 4, v);
  }
  void u64(std::uint64_t v) {
    b.resize(b.size() + 8);
    put_u64(b.data() + b.size() - 8, v);
  }
  void str(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
  }
};

}  // namespace

// The rules above keep it below kMaxFileBytes.
std::size_t model_file_size(const ModelFileRef& f) {
  std::size_t n = kHeaderBytes + 4 + f.kind.size() + 8 + 4 + 4;
  for (const std::string& e : f.config) n += 4 + e.size();
  for (const TensorRef& t : f.tensors) n += 4 + t.name.size() + 4 + 4 * t.shape.size() + 4 * t.count;
  return n;
}

ModelFileRef refs_of(const ModelFile& file) {
  ModelFileRef r{file.version, file.kind, file.config, file.steps, {}};
  r.tensors.reserve(file.tensors.size());
  for (const NamedTensor& t : file.tensors) r.tensors.push_back({t.name, t.shape, t.values.data(), t.values.size()});
  return r;
}

void write_model_file(const ModelFileRef& file, std::vector<std::uint8_t>& bytes) {
  check_writable(file);
  Out out{bytes};
  out.b.clear();
  out.b.reserve(model_file_size(file));
  out.b.insert(out.b.end(), kMagic, kMagic + 4);
  out.u32(file.version);
  out.u64(0);  // total length and checksum: sealed below
  out.u64(0);
  out.str(file.kind);
  out.u64(static_cast<std::uint64_t>(file.steps));
  out.u32(static_cast<std::uint32_t>(file.config.size()));
  for (const std::string& e : file.config) out.str(e);
  out.u32(static_cast<std::uint32_t>(file.tensors.size()));
  for (const TensorRef& t : file.tensors) {
    out.str(t.name);
    out.u32(static_cast<std::uint32_t>(t.shape.size()));
    for (std::uint32_t d : t.shape) out.u32(d);
    const std::size_t at = out.b.size();
    out.b.resize(at + 4 * t.count);  // zeros
    if (!t.values) continue;
    for (std::size_t i = 0; i < t.count; ++i) {
      std::uint32_t bits = 0;
      std::memcpy(&bits, &t.values[i], 4);
      put_u32(out.b.data() + at + 4 * i, bits);
    }
  }
  seal_model_file(out.b);
}

std::vector<std::uint8_t> write_model_file(const ModelFile& file) {
  std::vector<std::uint8_t> bytes;
  write_model_file(refs_of(file), bytes);
  return bytes;
}

std::uint64_t model_file_checksum(const std::uint8_t* bytes, std::size_t n) {
  if (n < kHeaderBytes) throw std::invalid_argument("model_file_checksum: fewer bytes than a header");
  const std::uint64_t h = fnv1a(kFnvOffset, bytes, kChecksumOffset);
  return fnv1a(h, bytes + kHeaderBytes, n - kHeaderBytes);
}

void seal_model_file(std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < kHeaderBytes) throw std::invalid_argument("seal_model_file: fewer bytes than a header");
  put_u64(bytes.data() + kLengthOffset, bytes.size());
  put_u64(bytes.data() + kChecksumOffset, model_file_checksum(bytes.data(), bytes.size()));
}

}  // namespace genlab::io
