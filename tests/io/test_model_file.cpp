// Model file round trips, the documented byte layout, and the writer's refusals.
#include <cmath>
#include <cstring>
#include <limits>

#include <doctest/doctest.h>

#include "io/model_file_samples.hpp"
#include "io/model_file_testing.hpp"

using namespace genlab;
using namespace genlab::test;

namespace {

// FNV-1a 64 written out again from its definition (io/README.md), independent of the library.
std::uint64_t fnv1a_reference(const std::vector<std::uint8_t>& b) {
  std::uint64_t h = 14695981039346656037ULL;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i >= 16 && i < 24) continue;
    h ^= b[i];
    h *= 1099511628211ULL;
  }
  return h;
}

std::uint64_t le64(const std::vector<std::uint8_t>& b, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | b[at + static_cast<std::size_t>(i)];
  return v;
}

// Checks every field of b against a, reporting the first difference.
void check_same(const io::ModelFile& a, const io::ModelFile& b) {
  CHECK(a.version == b.version);
  CHECK(a.kind == b.kind);
  CHECK(a.config == b.config);
  CHECK(a.steps == b.steps);
  REQUIRE(a.tensors.size() == b.tensors.size());
  for (std::size_t i = 0; i < a.tensors.size(); ++i) {
    CHECK(a.tensors[i].name == b.tensors[i].name);
    CHECK(a.tensors[i].shape == b.tensors[i].shape);
    REQUIRE(a.tensors[i].values.size() == b.tensors[i].values.size());
    for (std::size_t j = 0; j < a.tensors[i].values.size(); ++j) {
      std::uint32_t x = 0, y = 0;
      std::memcpy(&x, &a.tensors[i].values[j], 4);
      std::memcpy(&y, &b.tensors[i].values[j], 4);
      if (x != y) FAIL_CHECK(a.tensors[i].name << "[" << j << "]: bits " << x << " became " << y);
    }
  }
  CHECK(io::bit_equal(a, b));
}

}  // namespace

TEST_CASE("model file: every sample survives write → read bit for bit") {
  for (const auto& seed : seed_models()) {
    const std::string& name = seed.first;
    const io::ModelFile& model = seed.second;
    CAPTURE(name);
    const std::vector<std::uint8_t> bytes = io::write_model_file(model);
    const io::ModelFile back = io::read_model_file(bytes);
    check_same(model, back);
    // The layout has no freedom: writing what was read gives the same bytes.
    CHECK(io::write_model_file(back) == bytes);
  }
}

TEST_CASE("model file: −0, denormals and the float extremes keep their bits") {
  const io::ModelFile back = io::read_model_file(io::write_model_file(sample_vae()));
  const std::vector<float>& v = back.tensors[1].values;
  CHECK(std::signbit(v[0]));
  CHECK(v[0] == 0.0f);
  CHECK(std::fpclassify(v[1]) == FP_SUBNORMAL);
  CHECK(v[1] == std::numeric_limits<float>::min() / 4.0f);
  CHECK(v[2] == std::numeric_limits<float>::max());
  CHECK(back.tensors[3].values[0] == std::numeric_limits<float>::lowest());
  CHECK(back.steps == 1234);
  CHECK(io::read_model_file(io::write_model_file(sample_gan())).steps == 5'000'000'000LL);
}

TEST_CASE("model file: bit_equal notices any difference") {
  const io::ModelFile a = sample_vae();
  io::ModelFile b = a;
  CHECK(io::bit_equal(a, b));
  b.tensors[1].values[0] = 0.0f;  // +0 == −0 as floats, but not as bits
  CHECK_FALSE(io::bit_equal(a, b));
  b = a;
  b.config.pop_back();
  CHECK_FALSE(io::bit_equal(a, b));
  b = a;
  b.tensors[0].shape = {2, 3};
  CHECK_FALSE(io::bit_equal(a, b));
  b = a;
  b.steps += 1;
  CHECK_FALSE(io::bit_equal(a, b));
}

TEST_CASE("model file: the smallest file has the documented layout") {
  const std::vector<std::uint8_t> b = io::write_model_file(sample_empty());
  // header 24 + kind (4 + 3) + steps 8 + config count 4 + tensor count 4
  REQUIRE(b.size() == 47);
  CHECK(std::memcmp(b.data(), "GLMF", 4) == 0);
  CHECK(b[4] == 1);
  CHECK(b[5] == 0);
  CHECK(le64(b, 8) == 47);
  CHECK(le64(b, 16) == fnv1a_reference(b));
  CHECK(io::model_file_checksum(b.data(), b.size()) == fnv1a_reference(b));
  const std::vector<std::uint8_t> body(b.begin() + 24, b.end());
  const std::vector<std::uint8_t> expected = {3, 0, 0, 0, 'v', 'a', 'e', 0, 0, 0, 0, 0, 0, 0, 0,
                                              0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(body == expected);
}

TEST_CASE("model file: tensor records are name, dimension count, dimensions, little-endian floats") {
  io::ModelFile f = sample_empty();
  f.steps = 0x0013030405060708LL;  // within 2^53 - 1, every byte distinct
  f.config = {"a=b"};
  f.tensors = {{"w", {2, 1}, {1.0f, -2.0f}}};
  const std::vector<std::uint8_t> b = io::write_model_file(f);
  const std::vector<std::uint8_t> body(b.begin() + 24, b.end());
  const std::vector<std::uint8_t> expected = {
      3, 0, 0, 0, 'v', 'a', 'e',                 // kind
      8, 7, 6, 5, 4, 3, 0x13, 0,                 // steps
      1, 0, 0, 0, 3, 0, 0, 0, 'a', '=', 'b',     // one config entry
      1, 0, 0, 0,                                // one tensor
      1, 0, 0, 0, 'w', 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0,  // "w", 2 dims: 2, 1
      0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0};      // 1.0f, −2.0f
  CHECK(body == expected);
  CHECK(le64(b, 8) == b.size());
}

TEST_CASE("model file: the writer refuses what the reader would reject") {
  auto refuses = [](const io::ModelFile& f, const std::string& part) {
    try {
      io::write_model_file(f);
      FAIL_CHECK("written although: " << part);
    } catch (const std::invalid_argument& e) {
      CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos, e.what());
    }
  };
  const io::ModelFile good = sample_vae();
  io::ModelFile f = good;
  f.kind = "ae";
  refuses(f, "unknown model kind 'ae'");
  f = good;
  f.version = 2;
  refuses(f, "version 2");
  f = good;
  f.steps = -1;
  refuses(f, "negative step count -1");
  f.steps = io::kMaxSteps + 1;
  refuses(f, "step count 9007199254740992 (at most 2^53 - 1");
  f = good;
  f.tensors[2].values[5] = std::numeric_limits<float>::quiet_NaN();
  refuses(f, "tensor 'enc.2.W' value 5 is NaN");
  f.tensors[2].values[5] = -std::numeric_limits<float>::infinity();
  refuses(f, "tensor 'enc.2.W' value 5 is infinite");
  f = good;
  f.tensors[4].name = "enc.0.W";
  refuses(f, "duplicate tensor name 'enc.0.W'");
  f = good;
  f.tensors[0].values.pop_back();
  refuses(f, "tensor 'enc.0.W' has shape 3×2 (6 values) but holds 5");
  f = good;
  f.tensors[0].shape = {1, 1, 1, 3, 2};
  refuses(f, "tensor 'enc.0.W' has 5 dimensions");
  f = good;
  f.tensors[0].shape = {};
  refuses(f, "tensor 'enc.0.W' has 0 dimensions");
  f = good;
  f.tensors[0].name = "enc 0";
  refuses(f, "not visible ASCII");
  f = good;
  f.tensors[0].name = std::string(io::kMaxNameBytes + 1, 'x');
  refuses(f, "tensor name of 129 bytes");
  f = good;
  f.tensors[0].name = "";
  refuses(f, "tensor name of 0 bytes");
  f = good;
  f.config.push_back("latent");
  refuses(f, "config entry 'latent' is not of the form key=value");
  f = good;
  f.config.push_back("=3");
  refuses(f, "not of the form key=value");
  f = good;
  f.config.push_back("name=caf\xc3\xa9");
  refuses(f, "non-printable byte at 8");
  f = good;
  f.config.assign(io::kMaxConfigEntries + 1, "seed=1");
  refuses(f, "65 config entries");
  f = good;
  f.tensors.clear();
  for (std::size_t i = 0; i <= io::kMaxTensors; ++i) f.tensors.push_back({"t" + std::to_string(i), {1}, {0.0f}});
  refuses(f, "1001 tensors");
}

TEST_CASE("model file: writing by reference into a kept buffer") {
  const io::ModelFile good = sample_vae();
  const std::vector<std::uint8_t> copy = io::write_model_file(good);
  std::vector<std::uint8_t> out;
  io::ModelFileRef refs = io::refs_of(good);
  CHECK(io::model_file_size(refs) == copy.size());
  io::write_model_file(refs, out);
  CHECK(out == copy);
  // A second write reuses the buffer.
  const std::uint8_t* at = out.data();
  io::write_model_file(refs, out);
  CHECK(out.data() == at);
  CHECK(out == copy);
  // A null reference is that many zeros.
  io::ModelFile zeros = good;
  std::fill(zeros.tensors[1].values.begin(), zeros.tensors[1].values.end(), 0.0f);
  refs.tensors[1].values = nullptr;
  io::write_model_file(refs, out);
  CHECK(out == io::write_model_file(zeros));
  // A refused file leaves the buffer as it was.
  const std::vector<std::uint8_t> before = out;
  io::ModelFile bad = good;
  bad.tensors[2].values[5] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(io::write_model_file(io::refs_of(bad), out), std::invalid_argument);
  CHECK(out == before);
}

TEST_CASE("model file: shape_string") {
  CHECK(io::shape_string({400, 784}) == "400×784");
  CHECK(io::shape_string({7}) == "7");
  CHECK(io::shape_string({}) == "scalar");
}
