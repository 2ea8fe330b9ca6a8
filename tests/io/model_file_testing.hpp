// Test helpers for model files: hand-built byte layouts (so tests can state exactly what a hostile
// file claims) and a rejection check that looks at the error's type and message.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/io/model_file.hpp"

namespace genlab::test {

// A model file assembled field by field; sealed() adds the true length and checksum.
struct RawFile {
  std::vector<std::uint8_t> b;
  explicit RawFile(std::uint32_t version = io::kModelFileVersion) {
    b = {'G', 'L', 'M', 'F'};
    u32(version);
    u64(0);
    u64(0);
  }
  RawFile& u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  RawFile& u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  RawFile& str(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  RawFile& f32(float v) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &v, 4);
    return u32(bits);
  }
  // The usual start of a body: kind, steps, no config entries.
  RawFile& preamble(const std::string& kind = "vae") { return str(kind).u64(0).u32(0); }
  std::vector<std::uint8_t> sealed() const {
    std::vector<std::uint8_t> out = b;
    io::seal_model_file(out);
    return out;
  }
};

// Overwrites 4 bytes at `at` with v (little-endian) and reseals.
inline void patch_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  io::seal_model_file(b);
}

// Offset of the first occurrence of `s` in b's body (the tests patch fields they know are there).
inline std::size_t find_bytes(const std::vector<std::uint8_t>& b, const std::string& s) {
  for (std::size_t i = io::kHeaderBytes; i + s.size() <= b.size(); ++i)
    if (std::memcmp(b.data() + i, s.data(), s.size()) == 0) return i;
  FAIL("'" << s << "' not found in the file");
  return 0;
}

// Reads n bytes from a heap copy of exactly that size (so a sanitizer sees any overread) and
// expects a ModelFileError mentioning `part`; returns the message.
inline std::string rejection(const std::uint8_t* bytes, std::size_t n, const std::string& part) {
  const std::vector<std::uint8_t> copy(bytes, bytes + n);
  try {
    io::read_model_file(copy.data(), copy.size());
  } catch (const io::ModelFileError& e) {
    CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos,
                  "message \"" << e.what() << "\" lacks \"" << part << "\"");
    return e.what();
  } catch (const std::exception& e) {
    FAIL_CHECK("wrong exception type: " << e.what());
    return e.what();
  }
  FAIL_CHECK("a bad file of " << n << " bytes was accepted (expected: " << part << ")");
  return "";
}
inline std::string rejection(const std::vector<std::uint8_t>& b, const std::string& part) {
  return rejection(b.data(), b.size(), part);
}

}  // namespace genlab::test
