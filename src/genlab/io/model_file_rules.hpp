// Internal to io/: the byte-level helpers and the content rules shared by the model file's reader
// and writer, so both sides enforce exactly the same things. Each rule returns "" when the value is
// fine and otherwise a description of the problem for the caller's error message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genlab::io::detail {

constexpr char kMagic[4] = {'G', 'L', 'M', 'F'};
constexpr std::size_t kVersionOffset = 4;
constexpr std::size_t kLengthOffset = 8;
constexpr std::size_t kChecksumOffset = 16;

// Little-endian fields, independent of the host's byte order.
inline std::uint32_t get_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}
inline std::uint64_t get_u64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(get_u32(p)) | static_cast<std::uint64_t>(get_u32(p + 4)) << 32;
}
inline void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline void put_u64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// FNV-1a 64: state' = (state xor byte) × prime. Every step is a bijection of the state, so any
// single changed byte changes the result.
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
inline std::uint64_t fnv1a(std::uint64_t h, const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * kFnvPrime;
  return h;
}

// A float's bits say whether it is finite (exponent not all ones), NaN or infinite.
inline bool bits_finite(std::uint32_t bits) { return (bits & 0x7f800000u) != 0x7f800000u; }
inline const char* non_finite_name(std::uint32_t bits) { return (bits & 0x007fffffu) ? "NaN" : "infinite"; }

// Untrusted bytes made safe to quote in a message: non-printables as \xHH, long ones shortened.
std::string printable(std::string_view s);

// 0 to kMaxSteps.
std::string steps_problem(std::int64_t steps);
// "vae", "gan" or "vaegan".
std::string kind_problem(std::string_view kind);
// 1–256 printable ASCII bytes (space included) of the form key=value with a non-empty key.
std::string config_entry_problem(std::string_view entry);
// 1–128 visible ASCII bytes (0x21–0x7E: no spaces, no control or non-ASCII bytes).
std::string name_problem(std::string_view name);
// 1–4 dimensions, product within kMaxTotalFloats; on success stores the product in `count`.
std::string shape_problem(const std::vector<std::uint32_t>& shape, std::uint64_t& count);

}  // namespace genlab::io::detail
