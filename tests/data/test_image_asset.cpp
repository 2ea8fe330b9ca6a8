// The .glds image asset format: byte layout, round trips, and strict rejection of every kind of
// damaged or hostile file; area resampling by hand-computed cases.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/core/rng.hpp"
#include "genlab/data/image_asset.hpp"
#include "genlab/data/resample.hpp"
#include "genlab/kernels/vec.hpp"

using namespace genlab;

namespace {

// 3 images of 2×3 pixels, 4 classes.
ImageSet tiny_set() {
  ImageSet s;
  s.name = "tiny";
  s.rows = 2;
  s.cols = 3;
  s.classes = 4;
  for (int i = 0; i < 18; ++i) s.pixels.push_back(static_cast<std::uint8_t>(i * 15));
  s.labels = {3, 0, 2};
  return s;
}

// The reader's error message for bytes (or "no exception").
std::string read_error(const std::vector<std::uint8_t>& bytes) {
  try {
    read_image_asset(bytes.data(), bytes.size());
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no exception";
}

void put_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Recomputes the checksum field after a test edits other bytes on purpose.
void reseal(std::vector<std::uint8_t>& b) {
  std::uint64_t h = fnv1a64(b.data(), kImageAssetChecksumOffset);
  h = fnv1a64(b.data() + kImageAssetChecksumOffset + 8, b.size() - kImageAssetChecksumOffset - 8, h);
  for (std::size_t i = 0; i < 8; ++i) b[kImageAssetChecksumOffset + i] = static_cast<std::uint8_t>(h >> (8 * i));
}

void check_contains(const std::string& msg, const std::string& needle) {
  INFO("message: " << msg);
  CHECK(msg.find(needle) != std::string::npos);
}

bool same(const ImageSet& a, const ImageSet& b) {
  return a.name == b.name && a.rows == b.rows && a.cols == b.cols && a.classes == b.classes &&
         a.pixels == b.pixels && a.labels == b.labels;
}

}  // namespace

TEST_CASE("FNV-1a 64 matches its published test vectors") {
  const auto* a = reinterpret_cast<const std::uint8_t*>("a");
  const auto* foobar = reinterpret_cast<const std::uint8_t*>("foobar");
  CHECK(fnv1a64(nullptr, 0) == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64(a, 1) == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv1a64(foobar, 6) == 0x85944171f73967e8ULL);
  CHECK(fnv1a64(foobar + 3, 3, fnv1a64(foobar, 3)) == 0x85944171f73967e8ULL);  // chaining
}

TEST_CASE("the header layout is exactly as documented") {
  const auto b = write_image_asset(tiny_set());
  REQUIRE(b.size() == 64 + 3 * (6 + 1));
  CHECK(std::memcmp(b.data(), "GLDS", 4) == 0);
  const std::uint8_t fields[20] = {1, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0};
  CHECK(std::memcmp(b.data() + 4, fields, 20) == 0);
  CHECK(std::memcmp(b.data() + 32, "tiny\0\0\0", 8) == 0);
  for (std::size_t i = 36; i < 64; ++i) CHECK(b[i] == 0);
  CHECK(b[64] == 0);
  CHECK(b[64 + 17] == 255);
  CHECK(b[64 + 18] == 3);  // labels follow the pixels
  CHECK(b[64 + 20] == 2);
  std::uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = stored << 8 | b[24 + static_cast<std::size_t>(i)];
  const std::uint64_t expected = fnv1a64(b.data() + 32, b.size() - 32, fnv1a64(b.data(), 24));
  CHECK(stored == expected);
}

TEST_CASE("write then read gives the same set") {
  const ImageSet s = tiny_set();
  const auto b = write_image_asset(s);
  CHECK(same(read_image_asset(b.data(), b.size()), s));
  const ImageAssetHeader h = parse_image_asset_header(b.data(), b.size());
  CHECK(h.count == 3);
  CHECK(h.total_bytes() == b.size());
  ImageSet empty_name = s;
  empty_name.name = "";
  const auto b2 = write_image_asset(empty_name);
  CHECK(same(read_image_asset(b2.data(), b2.size()), empty_name));
}

TEST_CASE("truncated, padded and header-only data are rejected") {
  const auto good = write_image_asset(tiny_set());
  auto shorter = good;
  shorter.pop_back();
  check_contains(read_error(shorter), "truncated");
  auto longer = good;
  longer.push_back(0);
  check_contains(read_error(longer), "needs 85");
  const std::vector<std::uint8_t> header_only(good.begin(), good.begin() + 63);
  check_contains(read_error(header_only), "shorter than the 64-byte header");
  check_contains(read_error({}), "shorter than");
  CHECK_THROWS_AS(read_image_asset(nullptr, 100), std::runtime_error);
}

TEST_CASE("any flipped byte outside the checksum is caught") {
  const auto good = write_image_asset(tiny_set());
  for (std::size_t at : {std::size_t{64}, std::size_t{70}, std::size_t{81}, std::size_t{82}, std::size_t{33}}) {
    INFO("byte " << at);
    auto bad = good;
    bad[at] ^= 0x01;
    check_contains(read_error(bad), "checksum mismatch");
  }
  auto bad = good;
  bad[25] ^= 0x80;  // the checksum itself
  check_contains(read_error(bad), "checksum mismatch");
}

TEST_CASE("wrong magic, unknown version and bad header fields are named") {
  const auto good = write_image_asset(tiny_set());
  auto b = good;
  b[0] = 'P';
  check_contains(read_error(b), "bad magic");
  b = good;
  put_u32(b, 4, 2);
  check_contains(read_error(b), "unsupported format version 2");
  b = good;
  put_u32(b, 12, 0);
  check_contains(read_error(b), "rows 0 is outside 1..256");
  b = good;
  put_u32(b, 16, 300);
  check_contains(read_error(b), "cols 300 is outside 1..256");
  b = good;
  put_u32(b, 20, 0);
  check_contains(read_error(b), "classes 0");
  b = good;
  put_u32(b, 8, 0);
  check_contains(read_error(b), "count 0");
  b = good;
  b[40] = 'x';  // garbage after the name's NUL
  check_contains(read_error(b), "padding");
  b = good;
  for (std::size_t i = 32; i < 64; ++i) b[i] = 'n';
  check_contains(read_error(b), "not NUL-terminated");
  b = good;
  b[33] = 0x07;
  check_contains(read_error(b), "non-printable");
}

TEST_CASE("absurd declared sizes fail on the header alone, without allocating") {
  // A 64-byte buffer claiming huge payloads: the reader must refuse before any allocation (an
  // attempt would surface as std::bad_alloc, which is not the std::runtime_error checked here).
  auto b = write_image_asset(tiny_set());
  b.resize(64);
  put_u32(b, 8, 1000000);
  put_u32(b, 12, 256);
  put_u32(b, 16, 256);
  check_contains(read_error(b), "more than the limit");
  put_u32(b, 8, 0xffffffffu);
  check_contains(read_error(b), "count 4294967295 is outside");
  put_u32(b, 8, 100000);
  put_u32(b, 12, 28);
  put_u32(b, 16, 28);
  check_contains(read_error(b), "needs 78500064 (truncated)");
}

TEST_CASE("labels must be below the class count, even with a valid checksum") {
  auto b = write_image_asset(tiny_set());
  b[64 + 18 + 1] = 4;  // image 1 gets label 4 of 4 classes
  reseal(b);
  check_contains(read_error(b), "label 4 of image 1 is not below the class count 4");
}

TEST_CASE("the writer refuses inconsistent sets") {
  ImageSet s = tiny_set();
  s.pixels.pop_back();
  CHECK_THROWS_AS(write_image_asset(s), std::invalid_argument);
  s = tiny_set();
  s.labels[2] = 9;
  CHECK_THROWS_AS(write_image_asset(s), std::invalid_argument);
  s = tiny_set();
  s.name = std::string(32, 'a');
  CHECK_THROWS_AS(write_image_asset(s), std::invalid_argument);
  s.name = "tab\there";
  CHECK_THROWS_AS(write_image_asset(s), std::invalid_argument);
  s = tiny_set();
  s.labels.clear();
  s.pixels.clear();
  CHECK_THROWS_AS(write_image_asset(s), std::invalid_argument);
}

TEST_CASE("load_image_asset reads files and checks their size first") {
#ifdef __EMSCRIPTEN__
  const std::string path = "/tmp/genlab_test_image_asset_wasm.glds";  // native and wasm suites may run at once
#else
  const std::string path = "/tmp/genlab_test_image_asset_native.glds";
#endif
  const auto b = write_image_asset(tiny_set());
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }
  CHECK(same(load_image_asset(path), tiny_set()));
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size() - 5));
  }
  try {
    load_image_asset(path);
    FAIL("a truncated file was accepted");
  } catch (const std::runtime_error& e) {
    check_contains(e.what(), "truncated");
    check_contains(e.what(), path);
  }
  std::remove(path.c_str());
  CHECK_THROWS_WITH_AS(load_image_asset("/nonexistent/x.glds"), "image asset /nonexistent/x.glds: cannot open the file",
                       std::runtime_error);
}

TEST_CASE("images_to_tensor gives v/255 for a range of images") {
  const ImageSet s = tiny_set();
  Tensor2 x({2, 6});
  images_to_tensor(s, 1, 2, x);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 6; ++j) CHECK(x(i, j) == static_cast<float>((6 * (i + 1) + j) * 15) / 255.0f);
  CHECK(byte_to_unit(255) == 1.0f);
  CHECK(byte_to_unit(0) == 0.0f);
  // The SIMD conversion the batcher and images_to_tensor use gives the table's bits for every v.
  std::vector<std::uint8_t> all(256 + 7);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>((i * 37 + 11) % 256);
  std::vector<float> y(all.size());
  genlab::kernels::bytes_to_unit(all.data(), y.data(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    INFO("v = " << int(all[i]));
    CHECK(y[i] == byte_to_unit(all[i]));
  }
  CHECK_THROWS_AS(images_to_tensor(s, 2, 2, x), std::invalid_argument);
  Tensor2 wrong({2, 5});
  CHECK_THROWS_AS(images_to_tensor(s, 0, 2, wrong), std::invalid_argument);
}

TEST_CASE("area resampling: hand-computed cases") {
  // 1×3 → 1×2: target 0 = (2·0 + 1·90)/3 = 30, target 1 = (1·90 + 2·180)/3 = 150.
  const std::uint8_t row[3] = {0, 90, 180};
  std::uint8_t out[2] = {7, 7};
  resample_area(row, 1, 3, out, 1, 2);
  CHECK(out[0] == 30);
  CHECK(out[1] == 150);
  // 2×2 → 1×1 rounds half up: (0+0+1+1)/4 = 0.5 → 1, (0+0+0+1)/4 = 0.25 → 0.
  const std::uint8_t half[4] = {0, 0, 1, 1}, quarter[4] = {0, 0, 0, 1};
  resample_area(half, 2, 2, out, 1, 1);
  CHECK(out[0] == 1);
  resample_area(quarter, 2, 2, out, 1, 1);
  CHECK(out[0] == 0);
  CHECK_THROWS_AS(resample_area(row, 1, 3, out, 0, 2), std::invalid_argument);
}

TEST_CASE("area resampling: 28 to 14 is the rounded 2x2 mean, constants stay constant") {
  Rng rng(3);
  std::vector<std::uint8_t> img(28 * 28), half(14 * 14), tenth(10 * 10), same28(28 * 28);
  for (auto& p : img) p = static_cast<std::uint8_t>(rng.below(256));
  resample_area(img.data(), 28, 28, half.data(), 14, 14);
  for (std::size_t r = 0; r < 14; ++r) {
    for (std::size_t c = 0; c < 14; ++c) {
      const unsigned sum = img[2 * r * 28 + 2 * c] + img[2 * r * 28 + 2 * c + 1] + img[(2 * r + 1) * 28 + 2 * c] +
                           img[(2 * r + 1) * 28 + 2 * c + 1];
      CHECK(half[r * 14 + c] == (sum + 2) / 4);
    }
  }
  resample_area(img.data(), 28, 28, same28.data(), 28, 28);
  CHECK(same28 == img);
  std::vector<std::uint8_t> flat(28 * 28, 173);
  resample_area(flat.data(), 28, 28, tenth.data(), 10, 10);
  for (auto p : tenth) CHECK(p == 173);
  // Area weights preserve the mean (up to rounding of each output pixel).
  resample_area(img.data(), 28, 28, tenth.data(), 10, 10);
  double m28 = 0.0, m10 = 0.0;
  for (auto p : img) m28 += p;
  for (auto p : tenth) m10 += p;
  CHECK(m10 / 100.0 == doctest::Approx(m28 / 784.0).epsilon(0.005));
}

TEST_CASE("resampling a set keeps labels and names the result") {
  ImageSet s = tiny_set();
  const ImageSet r = resample_area(s, 1, 1, "tiny1");
  CHECK(r.name == "tiny1");
  CHECK(r.rows == 1);
  CHECK(r.labels == s.labels);
  REQUIRE(r.pixels.size() == 3);
  CHECK(r.pixels[0] == (0 + 15 + 30 + 45 + 60 + 75 + 3) / 6);  // (S + ⌊6/2⌋) / 6
}
