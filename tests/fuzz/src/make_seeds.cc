// Writes the fuzzers' seed corpora: the sample model files of tests/io/model_file_samples.hpp
// into the first folder, the sample .safetensors files of tests/io/safetensors_samples.hpp into
// the second, one file each.
#include <cstdio>
#include <fstream>
#include <string>

#include "io/model_file_samples.hpp"
#include "io/safetensors_samples.hpp"

namespace {

bool write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "make_seeds: cannot write %s\n", path.c_str());
    return false;
  }
  std::printf("%s: %zu bytes\n", path.c_str(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_seeds <model file folder> <safetensors folder>\n");
    return 2;
  }
  for (const auto& [name, model] : genlab::test::seed_models())
    if (!write(std::string(argv[1]) + "/" + name, genlab::io::write_model_file(model))) return 1;
  for (const auto& [name, bytes] : genlab::test::seed_safetensors())
    if (!write(std::string(argv[2]) + "/" + name, bytes)) return 1;
  return 0;
}
