// Reader for the text fixtures written by make_fixtures.py ('tensor NAME ROWS COLS' + values).
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "genlab/core/tensor.hpp"

namespace genlab::test {

inline std::map<std::string, Tensor2> read_fixture(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  std::map<std::string, Tensor2> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream head(line);
    std::string kw, name;
    std::size_t r = 0, c = 0;
    if (!(head >> kw >> name >> r >> c) || kw != "tensor") throw std::runtime_error("bad fixture line: " + line);
    Tensor2 t({r, c});
    std::getline(in, line);
    std::istringstream vals(line);
    for (auto& v : t)
      if (!(vals >> v)) throw std::runtime_error("fixture " + name + ": too few values");
    out.emplace(name, std::move(t));
  }
  return out;
}

}  // namespace genlab::test
