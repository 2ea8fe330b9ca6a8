// Names and example widths of the data sets the configuration may name.
#include <algorithm>

#include "genlab/config/config.hpp"

namespace genlab {

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names = {
      "ring8", "grid25", "spiral", "moons", "circles", "swiss_roll", "checkerboard", "points",
      "mnist28", "mnist14", "mnist10", "fashion28", "fashion14", "fashion10"};
  return names;
}

bool is_image_dataset(const std::string& name) {
  return name.rfind("mnist", 0) == 0 || name.rfind("fashion", 0) == 0;
}

std::size_t dataset_dim(const std::string& name) {
  if (std::find(dataset_names().begin(), dataset_names().end(), name) == dataset_names().end())
    throw ConfigError("dataset", "unknown data set '" + name + "'");
  if (!is_image_dataset(name)) return 2;
  const std::string side = name.substr(name.size() - 2);
  const std::size_t s = side == "28" ? 28 : side == "14" ? 14 : 10;
  return s * s;
}

}  // namespace genlab
