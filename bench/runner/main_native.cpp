// bench_runner (native): the runner protocol of runner.hpp over stdin/stdout, one line each way.
//   build/bench-native/bench/bench_runner --data build/data
// Image sets are read from DIR/<dataset>-{train,test}.glds. "quit" or end of input stops it.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "runner.hpp"

int main(int argc, char** argv) {
  std::string data_dir = "build/data";
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--data") == 0) data_dir = argv[i + 1];

  genlab::bench::Runner runner([data_dir](const std::string& dataset) {
    const std::string base = data_dir + "/" + dataset;
    return std::make_pair(genlab::load_image_asset(base + "-train.glds"), genlab::load_image_asset(base + "-test.glds"));
  });
  for (std::string line; std::getline(std::cin, line);) {
    if (line == "quit") break;
    std::printf("%s\n", runner.handle(line).c_str());
    std::fflush(stdout);
  }
  return 0;
}
