// Points a user pastes or uploads: text with one "x,y" pair per line, into a Tensor2 (n, 2).
//
// Accepted, line by line (lines end in \n, \r\n or \r):
//   - two numbers separated by ',' or ';' (spaces around them ignored), or by spaces/tabs alone;
//     numbers are decimal, optionally signed, with optional fraction and exponent ("-1.5e-3"),
//     optionally wrapped in double quotes as spreadsheets export them;
//   - blank lines, and comments from '#' to the end of the line;
//   - one header line of two non-numeric names (e.g. "x,y") before the first point;
//   - a UTF-8 byte-order mark at the very start.
// Rejected with std::invalid_argument naming the line number and showing the line: anything else,
// NaN, infinities, |value| > 1e6, nonzero values that underflow a float (|value| < 1.2e-38), no
// points at all, more than 100,000 points.
// Linear in the input size; never reads past the text; stops at the first error.
#pragma once

#include <cstddef>
#include <string>

#include "genlab/core/tensor.hpp"

namespace genlab {

constexpr std::size_t kMaxCsvPoints = 100000;
constexpr double kMaxCsvAbsValue = 1e6;

// Parses the text described above into (n, 2), rows in file order.
Tensor2 parse_points_csv(const std::string& text);

}  // namespace genlab
