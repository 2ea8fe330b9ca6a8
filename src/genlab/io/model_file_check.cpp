// Comparisons on parsed model files: does a file fit the model at hand, are two files the same.
#include <cstring>
#include <map>

#include "genlab/io/model_file.hpp"

namespace genlab::io {

std::string shape_string(const std::vector<std::uint32_t>& shape) {
  if (shape.empty()) return "scalar";
  std::string s;
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "×" : "") + std::to_string(shape[i]);
  return s;
}

void check_tensors_match(const ModelFile& file, const std::vector<TensorSpec>& expected) {
  std::map<std::string, const NamedTensor*> in_file;
  for (const NamedTensor& t : file.tensors) in_file.emplace(t.name, &t);
  std::map<std::string, bool> wanted;
  for (const TensorSpec& spec : expected) {
    wanted[spec.first] = true;
    const auto it = in_file.find(spec.first);
    if (it == in_file.end())
      throw ModelFileError("the model file has no tensor '" + spec.first + "' (the config needs " +
                           shape_string(spec.second) + ")");
    if (it->second->shape != spec.second)
      throw ModelFileError("tensor '" + spec.first + "' has " + shape_string(it->second->shape) +
                           " values, the config needs " + shape_string(spec.second));
  }
  for (const NamedTensor& t : file.tensors)
    if (!wanted.count(t.name))
      throw ModelFileError("the model file has a tensor '" + t.name + "' (" + shape_string(t.shape) +
                           ") that the config does not use");
}

bool bit_equal(const ModelFile& a, const ModelFile& b) {
  if (a.version != b.version || a.kind != b.kind || a.config != b.config || a.steps != b.steps ||
      a.tensors.size() != b.tensors.size())
    return false;
  for (std::size_t i = 0; i < a.tensors.size(); ++i) {
    const NamedTensor& x = a.tensors[i];
    const NamedTensor& y = b.tensors[i];
    if (x.name != y.name || x.shape != y.shape || x.values.size() != y.values.size()) return false;
    if (!x.values.empty() && std::memcmp(x.values.data(), y.values.data(), 4 * x.values.size()) != 0) return false;
  }
  return true;
}

}  // namespace genlab::io
