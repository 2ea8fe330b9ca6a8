// The registry of data sets: name, kind, example width, image side, classes — read from the one
// list in datasets.txt (compiled in). Config, the models, the CLI and the page (through the module)
// all ask here; nothing else lists data sets.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace genlab {

enum class DataKind { Toy2d, Points, Image };

struct DatasetInfo {
  std::string name;                      // "ring8", "mnist28", …
  DataKind kind = DataKind::Toy2d;
  std::string title;                     // English display name
  std::size_t dim = 2;                   // width of one example: 2, or side² pixels
  std::size_t side = 0;                  // image side (images only)
  std::string source;                    // image family the assets come from ("mnist", "fashion")
  std::vector<std::string> class_names;  // images: one per label
  bool has_modes = false;                // a Gaussian mixture with known modes (ring8, grid25)

  bool image() const { return kind == DataKind::Image; }
};

// Every data set, in display order.
const std::vector<DatasetInfo>& datasets();
// The entry of `name`, or nullptr.
const DatasetInfo* find_dataset(const std::string& name);
std::string data_kind_name(DataKind k);  // "toy2d", "points", "image"

namespace detail {
// Parses the text of datasets.txt; throws std::invalid_argument naming the line of any problem.
std::vector<DatasetInfo> parse_dataset_table(const std::string& text);
extern const char* const kDatasetTable;  // datasets.txt, compiled in (generated file)
}  // namespace detail

}  // namespace genlab
