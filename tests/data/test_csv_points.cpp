// The points CSV parser: accepted dialects, every class of error with its line number, and
// random inputs that must end in either points or a clean std::invalid_argument.
#include <cmath>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "genlab/core/rng.hpp"
#include "genlab/data/csv_points.hpp"

using namespace genlab;

namespace {

// The parser's error message for text (or "no exception").
std::string error_for(const std::string& text) {
  try {
    parse_points_csv(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

// Checks that parsing text fails at the given line with a message containing `needle`.
void check_error(const std::string& text, std::size_t line, const std::string& needle) {
  const std::string msg = error_for(text);
  INFO("input: " << text.substr(0, 80));
  INFO("message: " << msg);
  CHECK(msg.find("line " + std::to_string(line) + ":") != std::string::npos);
  CHECK(msg.find(needle) != std::string::npos);
}

void check_points(const Tensor2& t, std::initializer_list<float> expected) {
  REQUIRE(cols(t) == 2);
  REQUIRE(t.size() == expected.size());
  std::size_t i = 0;
  for (float e : expected) CHECK(t.data()[i++] == e);
}

}  // namespace

TEST_CASE("plain x,y lines") {
  check_points(parse_points_csv("1,2\n3.5,-4\n"), {1.0f, 2.0f, 3.5f, -4.0f});
  check_points(parse_points_csv("0.25,1e-3"), {0.25f, 1e-3f});  // no final newline
  check_points(parse_points_csv("+.5,5.\n-0,1E+2"), {0.5f, 5.0f, -0.0f, 100.0f});
}

TEST_CASE("line endings, whitespace, comments, blank lines, separators, quotes, BOM, header") {
  check_points(parse_points_csv("1,2\r\n3,4\r\n"), {1, 2, 3, 4});
  check_points(parse_points_csv("1,2\r3,4\r"), {1, 2, 3, 4});
  check_points(parse_points_csv("  1 ,\t2  \n\n\t\n 3 , 4 \n"), {1, 2, 3, 4});
  check_points(parse_points_csv("# my points\n1,2 # first\n\n#\n3,4"), {1, 2, 3, 4});
  check_points(parse_points_csv("1;2\n3 ; 4"), {1, 2, 3, 4});
  check_points(parse_points_csv("1\t2\n3   4\n"), {1, 2, 3, 4});
  check_points(parse_points_csv("\"1.5\",\"2\"\n"), {1.5f, 2});
  check_points(parse_points_csv("\xEF\xBB\xBFx,y\n1,2"), {1, 2});
  check_points(parse_points_csv("# exported\nX;Y\r\n1;2\r\n"), {1, 2});
  check_points(parse_points_csv("\"x\",\"y\"\n-1e6,1e6\n"), {-1e6f, 1e6f});
}

TEST_CASE("malformed lines are reported with their line number and content") {
  check_error("1,2\n3\n", 2, "found 1");
  check_error("1,2\n3,4,5\n", 2, "found 3");
  check_error("1,2,\n", 1, "found 3");
  check_error("1,2\n,4\n", 2, "empty value");
  check_error("1,2\n\"\",4\n", 2, "empty value");
  check_error("1,2\n\n# c\n1.2.3,4\n", 4, "cannot read '1.2.3'");
  check_error("1,abc\n", 1, "cannot read 'abc'");
  check_error("1,2\nx,y\n", 2, "allowed, before the first point");
  check_error("x,y\nx,y\n", 2, "cannot read 'x'");
  check_error("1,0x10\n", 1, "cannot read '0x10'");
  check_error("1,2\n3,4e\n", 2, "cannot read '4e'");
  check_error("5,1" + std::string(70, '0') + "\n", 1, "longer than 64");
  const std::string msg = error_for("1,2\n3,4,5\n");
  CHECK(msg.find("3,4,5") != std::string::npos);  // the line itself is shown
}

TEST_CASE("NaN, infinities and out-of-range values are rejected") {
  check_error("1,2\nnan,1\n", 2, "NaN");
  check_error("1,-NaN\n", 1, "NaN");
  check_error("inf,1\n", 1, "infinite");
  check_error("1,-Infinity\n", 1, "infinite");
  check_error("1,1000001\n", 1, "outside the allowed range");
  check_error("-2e6,0\n", 1, "outside the allowed range");
  check_error("1e400,0\n", 1, "outside the allowed range");
  // Underflow is refused like overflow (issue 19: 1e-400 was read as 0), also below float's range.
  check_error("1e-400,0\n", 1, "value 1e-400 is too close to zero for a 32-bit float");
  check_error("0,-0.5e-300\n", 1, "value -0.5e-300 is too close to zero");
  check_error("1e-39,0\n", 1, "too close to zero");
  // Zero written in any way, and the smallest normal floats, are fine.
  check_points(parse_points_csv("0,-0.0\n0e-400,0.000e5\n1.2e-38,-1e-30\n"), {0.f, -0.f, 0.f, 0.f, 1.2e-38f, -1e-30f});
}

TEST_CASE("no points at all is an error") {
  for (const char* text : {"", "\n\n", "# only a comment\n", "x,y\n", "   \r\n\t\n", "\xEF\xBB\xBF"}) {
    INFO("input: " << text);
    const std::string msg = error_for(text);
    CHECK(msg.find("no points") != std::string::npos);
  }
}

TEST_CASE("at most 100,000 points, and the message says so") {
  std::string text = "x,y\n";
  for (std::size_t i = 0; i < kMaxCsvPoints; ++i) text += "1,2\n";
  CHECK(rows(parse_points_csv(text)) == kMaxCsvPoints);
  text += "3,4\n";
  check_error(text, kMaxCsvPoints + 2, "at most 100000 rows");
}

TEST_CASE("error messages escape control bytes and cut long lines") {
  const std::string msg = error_for(std::string("1,\x01\x7f") + std::string(200, 'z'));
  CHECK(msg.find("\\x01") != std::string::npos);
  CHECK(msg.find("...") != std::string::npos);
  CHECK(msg.size() < 300);
}

TEST_CASE("random and mutated inputs give points or a clean error, never anything else") {
  Rng rng(5);
  const std::string alphabet = "0123456789.,;+-eE \t\r\n#\"xyNaIf\x01\xff";
  const std::string valid = "x,y\n0.5,-1.25\n3e2;4\n# c\n-7 8\n";
  std::size_t parsed = 0, rejected = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string text;
    if (iter % 2 == 0) {
      const std::uint32_t len = rng.below(60);
      for (std::uint32_t i = 0; i < len; ++i) text += alphabet[rng.below(static_cast<std::uint32_t>(alphabet.size()))];
    } else {
      text = valid;
      for (std::uint32_t m = rng.below(4) + 1; m > 0; --m)
        text[rng.below(static_cast<std::uint32_t>(text.size()))] = static_cast<char>(rng.below(256));
    }
    try {
      const Tensor2 t = parse_points_csv(text);
      REQUIRE(cols(t) == 2);
      REQUIRE(rows(t) >= 1);
      for (float v : t) REQUIRE((std::isfinite(v) && std::fabs(v) <= 1e6f));
      ++parsed;
    } catch (const std::invalid_argument& e) {
      REQUIRE(std::string(e.what()).find("points CSV") != std::string::npos);
      ++rejected;
    }
  }
  CHECK(parsed > 100);  // the generator does reach both outcomes
  CHECK(rejected > 100);
}
