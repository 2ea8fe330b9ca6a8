#include "genlab/io/model_file_rules.hpp"

#include "genlab/io/model_file.hpp"

namespace genlab::io::detail {

namespace {
constexpr std::size_t kQuoteMax = 48;  // bytes of an untrusted string shown in a message
}

std::string printable(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < kQuoteMax; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (s.size() > kQuoteMax) out += "…";
  return out;
}

std::string steps_problem(std::int64_t steps) {
  if (steps < 0) return "negative step count " + std::to_string(steps);
  if (steps > kMaxSteps)
    return "step count " + std::to_string(steps) + " (at most 2^53 - 1 = " + std::to_string(kMaxSteps) + ")";
  return {};
}

std::string kind_problem(std::string_view kind) {
  if (kind == "vae" || kind == "gan" || kind == "vaegan") return "";
  return "unknown model kind '" + printable(kind) + "' (expected vae, gan or vaegan)";
}

std::string config_entry_problem(std::string_view entry) {
  if (entry.empty() || entry.size() > kMaxConfigEntryBytes)
    return "config entry of " + std::to_string(entry.size()) + " bytes (1 to " +
           std::to_string(kMaxConfigEntryBytes) + " allowed)";
  for (std::size_t i = 0; i < entry.size(); ++i) {
    const auto c = static_cast<unsigned char>(entry[i]);
    if (c < 0x20 || c > 0x7e)
      return "config entry '" + printable(entry) + "' has a non-printable byte at " + std::to_string(i);
  }
  const std::size_t eq = entry.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return "config entry '" + printable(entry) + "' is not of the form key=value";
  return "";
}

std::string name_problem(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes)
    return "tensor name of " + std::to_string(name.size()) + " bytes (1 to " + std::to_string(kMaxNameBytes) +
           " allowed)";
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x21 || c > 0x7e)
      return "tensor name '" + printable(name) + "' has a byte that is not visible ASCII at " + std::to_string(i);
  }
  return "";
}

std::string shape_problem(const std::vector<std::uint32_t>& shape, std::uint64_t& count) {
  if (shape.empty() || shape.size() > kMaxDims)
    return "has " + std::to_string(shape.size()) + " dimensions (1 to " + std::to_string(kMaxDims) + " allowed)";
  // Each factor and each partial product stays ≤ kMaxTotalFloats < 2^32, so nothing overflows.
  std::uint64_t n = 1;
  for (std::uint32_t d : shape) {
    if (d > kMaxTotalFloats || n * d > kMaxTotalFloats)
      return "has shape " + shape_string(shape) + ", more than " + std::to_string(kMaxTotalFloats) + " values";
    n *= d;
  }
  count = n;
  return "";
}

}  // namespace genlab::io::detail
