// The fuzzer's committed seed corpus (tests/fuzz/corpus/model_file) is what the sample generator
// writes today, and every seed is a valid model file.
#include <fstream>
#include <iterator>

#include <doctest/doctest.h>

#include "io/model_file_samples.hpp"
#include "io/safetensors_samples.hpp"

using namespace genlab;

TEST_CASE("model file: the committed seed corpus matches the samples") {
  const std::string dir = std::string(GENLAB_FIXTURE_DIR) + "/../fuzz/corpus/model_file/";
  for (const auto& seed : test::seed_models()) {
    const std::string& name = seed.first;
    const io::ModelFile& model = seed.second;
    CAPTURE(name);
    std::ifstream in(dir + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing seed " << dir + name << " (regenerate: tests/fuzz/build.sh seeds)");
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes == io::write_model_file(model));
    CHECK(io::bit_equal(io::read_model_file(bytes), model));
  }
}

TEST_CASE("safetensors: the committed seed corpus matches the samples, and every seed reads") {
  const std::string dir = std::string(GENLAB_FIXTURE_DIR) + "/../fuzz/corpus/safetensors/";
  for (const auto& seed : test::seed_safetensors()) {
    const std::string& name = seed.first;
    const std::vector<std::uint8_t>& want = seed.second;
    CAPTURE(name);
    std::ifstream in(dir + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing seed " << dir + name << " (regenerate: tests/fuzz/build.sh seeds)");
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes == want);
    CHECK_NOTHROW(io::read_safetensors(bytes.data(), bytes.size()));
  }
}
