// The .safetensors writer and its strict reader (io/safetensors.hpp): round trips in F32 and F16,
// half-precision rounding against hand-worked values, CRC-32 against its published check value,
// and rejection of every truncation, every flipped byte of a sealed file and hand-made bad headers.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/io/safetensors.hpp"

using namespace genlab::io;

namespace {

std::vector<std::uint8_t> small_file(bool sealed) {
  static const float w[6] = {1.5f, -2.0f, 0.25f, 3.0f, -0.5f, 7.0f};
  static const float b[2] = {0.125f, -1.0f};
  Metadata meta;
  if (sealed) meta = {{"genlab.format", "1"}, {"genlab.config", "model=gan\ndataset=ring8"}};
  return write_safetensors({{"net.0.weight", {2, 3}, w}, {"net.0.bias", {2}, b}}, meta);
}

// A file from a header text and n data bytes (zeros).
std::vector<std::uint8_t> crafted(const std::string& header, std::size_t data) {
  std::vector<std::uint8_t> f(8 + header.size() + data, 0);
  for (int k = 0; k < 8; ++k) f[k] = static_cast<std::uint8_t>(header.size() >> (8 * k));
  std::memcpy(f.data() + 8, header.data(), header.size());
  return f;
}

std::string rejection(const std::vector<std::uint8_t>& f) {
  try {
    read_safetensors(f.data(), f.size());
  } catch (const SafetensorsError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("CRC-32 matches its published check value") {
  const char* s = "123456789";
  CHECK(crc32(reinterpret_cast<const std::uint8_t*>(s), 9) == 0xcbf43926u);
  // Continuing a CRC over pieces gives the CRC of the whole.
  CHECK(crc32(reinterpret_cast<const std::uint8_t*>(s + 4), 5, crc32(reinterpret_cast<const std::uint8_t*>(s), 4)) ==
        0xcbf43926u);
}

TEST_CASE("half precision rounds to nearest even, with subnormals and overflow") {
  CHECK(float_to_half(1.0f) == 0x3c00);
  CHECK(float_to_half(-2.0f) == 0xc000);
  CHECK(float_to_half(65504.0f) == 0x7bff);                      // the largest half
  CHECK(float_to_half(70000.0f) == 0x7c00);                      // overflow: +Inf
  CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);         // the smallest subnormal
  CHECK(float_to_half(std::ldexp(1.0f, -26)) == 0x0000);         // below half of it: 0
  CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);  // a tie: to the even 1.0
  CHECK(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3c02);  // a tie: to the even 1+2⁻⁹
  CHECK(float_to_half(65520.0f) == 0x7c00);                      // rounds up into +Inf
  CHECK(half_to_float(0x3555) == doctest::Approx(0.333251953125).epsilon(1e-12));
  CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));
  CHECK(half_to_float(0x03ff) == std::ldexp(1023.0f, -24));
  // Every finite half survives half → float → half.
  for (std::uint32_t h = 0; h < 0x10000; ++h)
    if (((h >> 10) & 0x1f) != 0x1f) REQUIRE(float_to_half(half_to_float(static_cast<std::uint16_t>(h))) == h);
}

TEST_CASE("a written file reads back: names, shapes, values, metadata") {
  for (bool sealed : {false, true}) {
    const std::vector<std::uint8_t> f = small_file(sealed);
    CHECK((f.size() - 8) % 4 == 0);
    CHECK(looks_like_safetensors(f.data(), f.size()));
    const SafeTensors t = read_safetensors(f.data(), f.size());
    REQUIRE(t.tensors.size() == 2);
    CHECK(t.tensors[0].name == "net.0.weight");
    CHECK(t.tensors[0].shape == std::vector<std::size_t>{2, 3});
    CHECK(t.tensors[0].values == std::vector<float>{1.5f, -2.0f, 0.25f, 3.0f, -0.5f, 7.0f});
    CHECK(t.find("net.0.bias")->values == std::vector<float>{0.125f, -1.0f});
    if (sealed) {
      CHECK(*t.meta("genlab.config") == "model=gan\ndataset=ring8");
      CHECK(t.meta(kCrcKey)->size() == 8);
    } else {
      CHECK(t.metadata.empty());
    }
  }
  // F16: the values come back as their halves.
  const float v[3] = {0.1f, -3.0f, 1000.5f};
  const std::vector<std::uint8_t> h = write_safetensors({{"x", {3}, v}}, {}, Dtype::F16);
  const SafeTensors t = read_safetensors(h.data(), h.size());
  CHECK(t.tensors[0].dtype == Dtype::F16);
  for (int i = 0; i < 3; ++i) CHECK(t.tensors[0].values[i] == half_to_float(float_to_half(v[i])));
}

TEST_CASE("a file from another writer: spaces, other key order, an int64 counter, BF16") {
  // 2 F32 (8 bytes), then an I64 (8 bytes), then a BF16 (2 bytes); header entries out of data order.
  const std::string header =
      "{ \"b\" : {\"shape\": [1], \"dtype\": \"I64\", \"data_offsets\": [8, 16]},\n"
      "  \"__metadata__\": {\"format\": \"pt\"},\n"
      "  \"a\": {\"data_offsets\": [0, 8], \"shape\": [2], \"dtype\": \"F32\"},\n"
      "  \"c\": {\"dtype\": \"BF16\", \"shape\": [], \"data_offsets\": [16, 18]} }";
  std::vector<std::uint8_t> f = crafted(header, 18);
  const std::size_t d = 8 + header.size();
  const float a[2] = {2.5f, -1.0f};
  std::memcpy(f.data() + d, a, 8);
  f[d + 8] = 7;
  f[d + 16] = 0x80;  // BF16 0x3f80 = 1.0
  f[d + 17] = 0x3f;
  const SafeTensors t = read_safetensors(f.data(), f.size());
  REQUIRE(t.tensors.size() == 3);
  CHECK(t.tensors[0].name == "a");  // data order
  CHECK(t.find("a")->values == std::vector<float>{2.5f, -1.0f});
  CHECK(t.find("b")->ints == std::vector<std::int64_t>{7});
  CHECK(t.find("c")->values == std::vector<float>{1.0f});
  CHECK(*t.meta("format") == "pt");
}

TEST_CASE("I8 tensors: written from bytes, read back as their integers; an F32 one in an F16 file") {
  const std::int8_t q[5] = {-128, -7, 0, 3, 127};
  const float scale[1] = {0.1f}, w[2] = {0.1f, 1.0f / 3};
  const std::vector<std::uint8_t> f =
      write_safetensors({{"q", {1, 5}, nullptr, q}, {"q.scale", {1}, scale, nullptr, true}, {"w", {2}, w}}, {}, Dtype::F16);
  const SafeTensors t = read_safetensors(f.data(), f.size());
  CHECK(t.find("q")->dtype == Dtype::I8);
  CHECK(t.find("q")->values == std::vector<float>{-128, -7, 0, 3, 127});
  CHECK(t.find("q.scale")->dtype == Dtype::F32);
  CHECK(t.find("q.scale")->values[0] == 0.1f);  // exact: not rounded to half
  CHECK(t.find("w")->dtype == Dtype::F16);
  CHECK(t.find("w")->values[1] != 1.0f / 3);
  // An I8 tensor's data holds one byte a value: 5 bytes declared as 4 are refused.
  const std::string header = "{\"q\":{\"dtype\":\"I8\",\"shape\":[5],\"data_offsets\":[0,4]}}";
  const std::vector<std::uint8_t> bad = crafted(header, 4);
  CHECK_THROWS_WITH_AS(read_safetensors(bad.data(), bad.size()), doctest::Contains("do not hold 5 I8 values"), SafetensorsError);
}

TEST_CASE("every truncation of a file is rejected") {
  for (bool sealed : {false, true}) {
    const std::vector<std::uint8_t> f = small_file(sealed);
    for (std::size_t n = 0; n < f.size(); ++n) {
      INFO("truncated to " << n << " bytes");
      CHECK_THROWS_AS(read_safetensors(f.data(), n), SafetensorsError);
    }
  }
}

TEST_CASE("every flipped byte of a sealed file is rejected") {
  const std::vector<std::uint8_t> f = small_file(true);
  for (unsigned mask : {0xffu, 0x01u, 0x20u}) {
    for (std::size_t i = 0; i < f.size(); ++i) {
      std::vector<std::uint8_t> g = f;
      g[i] = static_cast<std::uint8_t>(g[i] ^ mask);
      INFO("byte " << i << " xor " << mask);
      CHECK_FALSE(rejection(g).empty());
    }
  }
}

TEST_CASE("bad headers are rejected with what is wrong") {
  struct Case {
    std::string header;
    std::size_t data;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, "dtype 'F64'"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "do not hold 2"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "gap or overlap"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
       "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "gap or overlap"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "cover 4 data bytes, the file has 8"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
       "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "appears twice"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4, "unexpected or repeated field"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}x", 4, "after the header's closing brace"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", 4, "leading zero"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1],\"data_offsets\":[0,4]}}", 4, "longer than 4"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "non-negative integer"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "lacks dtype, shape or data_offsets"},
      {"{\"a b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "visible ASCII"},
      {"{\"__metadata__\":{\"k\":\"\\ud800\"}}", 0, "lone high surrogate"},
      {"{\"__metadata__\":{\"k\":\"\xc3(\"}}", 0, "invalid UTF-8"},
      {"{\"__metadata__\":{\"genlab.format\":\"1\"}}", 0, "without its genlab.crc32"},
      {"{\"__metadata__\":{\"k\":1}}", 0, "expected '\"'"},
      {"{\"__metadata__\":{\"\":\"x\"}}", 0, "an empty metadata key"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,4]}}", 4, "too large"},
  };
  for (const Case& c : cases) {
    INFO(c.header);
    const std::string why = rejection(crafted(c.header, c.data));
    CHECK(why.find(c.says) != std::string::npos);
  }
  // A header length beyond the limit or the file is refused before anything is read.
  std::vector<std::uint8_t> f = small_file(false);
  f[3] = 0x10;
  CHECK(rejection(f).find("GenLab reads up to") != std::string::npos);
  f = small_file(false);
  f[0] = static_cast<std::uint8_t>(f[0] + 8);
  CHECK_FALSE(rejection(f).empty());
  // NaN values are refused, naming the tensor.
  const float nan[1] = {std::nanf("")};
  const std::vector<std::uint8_t> n = write_safetensors({{"w", {1}, nan}}, {});
  CHECK(rejection(n).find("'w' holds NaN") != std::string::npos);
}
