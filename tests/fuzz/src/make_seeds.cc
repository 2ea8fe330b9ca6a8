// Writes the fuzzer's seed corpus: the sample model files of tests/io/model_file_samples.hpp,
// one file each, into the folder given as the only argument.
#include <cstdio>
#include <fstream>
#include <string>

#include "io/model_file_samples.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds <folder>\n");
    return 2;
  }
  for (const auto& [name, model] : genlab::test::seed_models()) {
    const std::vector<std::uint8_t> bytes = genlab::io::write_model_file(model);
    const std::string path = std::string(argv[1]) + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "make_seeds: cannot write %s\n", path.c_str());
      return 1;
    }
    std::printf("%s: %zu bytes\n", path.c_str(), bytes.size());
  }
  return 0;
}
