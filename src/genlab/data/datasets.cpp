#include "genlab/data/datasets.hpp"

#include <cstdlib>
#include <map>
#include <algorithm>
#include <stdexcept>

#include "genlab/data/toy2d.hpp"

namespace genlab {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The pieces of `text` between `sep`s (a trailing separator ends the last piece, as getline does).
// By hand: a stringstream pulled libc++'s locale machinery (~70 KB) into the wasm module.
std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find(sep, at), text.size());
    out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  for (const std::string& f : split(line, '|')) out.push_back(trim(f));
  return out;
}

}  // namespace

std::string data_kind_name(DataKind k) {
  switch (k) {
    case DataKind::Toy2d: return "toy2d";
    case DataKind::Points: return "points";
    case DataKind::Image: break;
  }
  return "image";
}

namespace detail {

std::vector<DatasetInfo> parse_dataset_table(const std::string& text) {
  std::vector<DatasetInfo> sets;
  std::map<std::string, std::vector<std::string>> classes;
  int n = 0;
  const auto fail = [&](const std::string& why) {
    throw std::invalid_argument("datasets.txt line " + std::to_string(n) + ": " + why);
  };
  for (const std::string& raw : split(text, '\n')) {
    ++n;
    const std::string line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    const std::vector<std::string> f = fields_of(line);
    if (f[0] == "classes") {
      if (f.size() < 3 || f[1].empty()) fail("expected: classes | source | name | name …");
      if (classes.count(f[1])) fail("classes of '" + f[1] + "' given twice");
      classes[f[1]] = std::vector<std::string>(f.begin() + 2, f.end());
      continue;
    }
    if (f[0] != "dataset" || f.size() != 6) fail("expected: dataset | name | kind | side | source | title");
    DatasetInfo d;
    d.name = f[1];
    if (d.name.empty() || d.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
      fail("data set names are lower-case letters, digits and _");
    for (const DatasetInfo& e : sets)
      if (e.name == d.name) fail("'" + d.name + "' listed twice");
    if (f[2] == "toy2d") d.kind = DataKind::Toy2d;
    else if (f[2] == "points") d.kind = DataKind::Points;
    else if (f[2] == "image") d.kind = DataKind::Image;
    else fail("unknown kind '" + f[2] + "'");
    d.title = f[5];
    d.source = f[4];
    if (d.image()) {
      char* end = nullptr;
      const long side = std::strtol(f[3].c_str(), &end, 10);
      if (f[3].empty() || *end != '\0' || side < 2 || side > 256) fail("an image side in [2, 256] is needed");
      if (d.source.empty()) fail("an image data set needs its source");
      d.side = static_cast<std::size_t>(side);
      d.dim = d.side * d.side;
    } else {
      if (!f[3].empty() || !d.source.empty()) fail("only image data sets have a side and a source");
      if (d.kind == DataKind::Toy2d) {
        try {
          parse_toy2d(d.name);  // throws for a name data/toy2d does not define
        } catch (const std::invalid_argument& e) {
          fail(e.what());
        }
        d.has_modes = toy2d_modes(d.name).has_value();
      }
    }
    sets.push_back(std::move(d));
  }
  for (DatasetInfo& d : sets) {
    if (!d.image()) continue;
    const auto c = classes.find(d.source);
    if (c == classes.end()) throw std::invalid_argument("datasets.txt: no class names for source '" + d.source + "'");
    d.class_names = c->second;
  }
  return sets;
}

}  // namespace detail

const std::vector<DatasetInfo>& datasets() {
  static const std::vector<DatasetInfo> sets = detail::parse_dataset_table(detail::kDatasetTable);
  return sets;
}

const DatasetInfo* find_dataset(const std::string& name) {
  for (const DatasetInfo& d : datasets())
    if (d.name == name) return &d;
  return nullptr;
}

}  // namespace genlab
