#include "genlab/data/csv_points.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace genlab {

namespace {

constexpr std::size_t kMaxShownChars = 60;  // longer lines are cut in error messages
constexpr std::size_t kMaxNumberChars = 64;  // no real coordinate needs more digits

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A printable copy of (the start of) a line for error messages: other bytes become \xNN.
std::string excerpt(std::string_view line) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < line.size() && i < kMaxShownChars; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (line.size() > kMaxShownChars) out += "...";
  return out;
}

[[noreturn]] void fail(std::size_t line_no, std::string_view line, const std::string& what) {
  throw std::invalid_argument("points CSV line " + std::to_string(line_no) + ": " + what + " (line: \"" +
                              excerpt(line) + "\")");
}

// Case-insensitive comparison with a lower-case ASCII word.
bool equals_lower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// True when s is [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?, nothing else.
bool is_decimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mantissa_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == s.size();
}

// A digit 1–9 in the mantissa (before any exponent): the text is not a way of writing zero.
bool has_nonzero_digit(std::string_view s) {
  for (char c : s) {
    if (c == 'e' || c == 'E') break;
    if (c >= '1' && c <= '9') return true;
  }
  return false;
}

enum class Token { number, word };

// Classifies a field and, for numbers, reads its value; reports bad numbers against the line.
Token read_field(std::string_view field, std::size_t line_no, std::string_view line, double& value) {
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = trim(field.substr(1, field.size() - 2));
  if (field.empty()) fail(line_no, line, "empty value");
  std::string_view unsigned_part = field;
  if (unsigned_part.front() == '+' || unsigned_part.front() == '-') unsigned_part.remove_prefix(1);
  if (equals_lower(unsigned_part, "nan")) fail(line_no, line, "NaN is not a valid coordinate");
  if (equals_lower(unsigned_part, "inf") || equals_lower(unsigned_part, "infinity"))
    fail(line_no, line, "infinite values are not valid coordinates");
  if (!is_decimal(field)) {
    // Only something that looks like a column name may be a header word; "1.2.3" is just wrong.
    const auto c = static_cast<unsigned char>(field.front());
    const bool name_like = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    if (!name_like) fail(line_no, line, "cannot read '" + excerpt(field) + "' as a number");
    return Token::word;
  }
  if (field.size() > kMaxNumberChars)
    fail(line_no, line, "number longer than " + std::to_string(kMaxNumberChars) + " characters");
  char buf[kMaxNumberChars + 1];
  field.copy(buf, field.size());
  buf[field.size()] = '\0';
  // strtod sees only the checked decimal text, so hex floats and locale words cannot sneak in.
  value = std::strtod(buf, nullptr);
  if (!std::isfinite(value) || std::fabs(value) > kMaxCsvAbsValue)
    fail(line_no, line, "value " + std::string(field) + " is outside the allowed range [-1e6, 1e6]");
  // The other end, treated alike: a nonzero number that would reach the model as 0 (or as a
  // subnormal float, which loses digits) is refused rather than silently changed.
  if (std::fabs(value) < static_cast<double>(std::numeric_limits<float>::min()) && has_nonzero_digit(field))
    fail(line_no, line,
         "value " + std::string(field) + " is too close to zero for a 32-bit float (nonzero values need |v| >= 1.2e-38; write 0 for zero)");
  return Token::number;
}

// Splits a line's content into fields: on ',' or ';' when either is present, else on whitespace.
std::vector<std::string_view> split_fields(std::string_view content) {
  std::vector<std::string_view> fields;
  const bool explicit_sep = content.find_first_of(",;") != std::string_view::npos;
  std::size_t start = 0;
  if (explicit_sep) {
    for (std::size_t i = 0; i <= content.size(); ++i) {
      if (i == content.size() || content[i] == ',' || content[i] == ';') {
        fields.push_back(trim(content.substr(start, i - start)));
        start = i + 1;
      }
    }
    return fields;
  }
  std::size_t i = 0;
  while (i < content.size()) {
    while (i < content.size() && is_space(content[i])) ++i;
    start = i;
    while (i < content.size() && !is_space(content[i])) ++i;
    if (i > start) fields.push_back(content.substr(start, i - start));
  }
  return fields;
}

}  // namespace

Tensor2 parse_points_csv(const std::string& text) {
  std::string_view rest(text);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // UTF-8 byte-order mark
  std::vector<float> xy;
  std::vector<std::string_view> fields;
  bool header_allowed = true;
  std::size_t line_no = 0;
  while (!rest.empty()) {
    ++line_no;
    const std::size_t end = rest.find_first_of("\r\n");
    const std::string_view line = rest.substr(0, end);
    if (end == std::string_view::npos) {
      rest = {};
    } else {
      const bool crlf = rest[end] == '\r' && end + 1 < rest.size() && rest[end + 1] == '\n';
      rest.remove_prefix(end + (crlf ? 2 : 1));
    }
    const std::string_view content = trim(line.substr(0, line.find('#')));
    if (content.empty()) continue;

    fields = split_fields(content);
    if (fields.size() != 2)
      fail(line_no, line, "expected two values x,y but found " + std::to_string(fields.size()));
    double v[2] = {0.0, 0.0};
    const Token t0 = read_field(fields[0], line_no, line, v[0]);
    const Token t1 = read_field(fields[1], line_no, line, v[1]);
    if (t0 == Token::word && t1 == Token::word && header_allowed) {
      header_allowed = false;  // a header like "x,y"; only one, and only before the first point
      continue;
    }
    if (t0 == Token::word || t1 == Token::word) {
      const std::string_view bad = t0 == Token::word ? fields[0] : fields[1];
      fail(line_no, line,
           "cannot read '" + excerpt(bad) + "' as a number" +
               (header_allowed ? "" : " (one header line of two names is allowed, before the first point)"));
    }
    if (xy.size() / 2 >= kMaxCsvPoints)
      fail(line_no, line, "too many points: at most " + std::to_string(kMaxCsvPoints) + " rows are accepted");
    xy.push_back(static_cast<float>(v[0]));
    xy.push_back(static_cast<float>(v[1]));
    header_allowed = false;
  }
  if (xy.empty()) throw std::invalid_argument("points CSV: no points found (expected lines like \"0.5,-1.2\")");

  Tensor2 out({xy.size() / 2, 2});
  std::copy(xy.begin(), xy.end(), out.begin());
  return out;
}

}  // namespace genlab
