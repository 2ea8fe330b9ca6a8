#include "pytorch_export.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>


namespace genlab::cli {
namespace {

// Replaces the one line of the template that starts with `key` by `key = r'''value'''`.
void fill(std::string& text, const std::string& key, const std::string& value) {
  if (value.find("'''") != std::string::npos) throw std::logic_error("pytorch_module: a value holds '''");
  const std::size_t at = text.find("\n" + key + " = r'''");
  if (at == std::string::npos) throw std::logic_error("pytorch_module: the template has no " + key + " line");
  const std::size_t end = text.find('\n', at + 1);
  text.replace(at + 1, end - at - 1, key + " = r'''" + value + "'''");
}

void write_bytes(const std::string& path, const void* p, std::size_t n) {
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char*>(p), static_cast<std::streamsize>(n));
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace

std::string pytorch_module(const Session& s) {
  std::string text = pytorch_template(), conf;
  for (const std::string& a : changed_assignments(s.config())) conf += (conf.empty() ? "" : "\n") + a;
  fill(text, "SPEC_TEXT", s.arch().to_json());
  fill(text, "CONFIG_TEXT", conf);
  return text;
}

std::string train_script(const Session& s, const std::string& data_dir) {
  std::string text = train_template();
  fill(text, "CONFIG_JSON", to_json(s.config()));
  fill(text, "DATA_DIR", std::filesystem::absolute(data_dir).string());
  return text;
}

std::vector<std::string> export_pytorch(const Session& s, const std::string& dir, const std::string& data_dir) {
  std::filesystem::create_directories(dir);
  const std::vector<std::uint8_t> weights = s.export_safetensors();
  write_bytes((std::filesystem::path(dir) / "model.safetensors").string(), weights.data(), weights.size());
  const std::string module = pytorch_module(s);
  write_bytes((std::filesystem::path(dir) / "genlab_model.py").string(), module.data(), module.size());
  const std::string train = train_script(s, data_dir);
  write_bytes((std::filesystem::path(dir) / "train.py").string(), train.data(), train.size());
  std::vector<std::string> files = {"model.safetensors", "genlab_model.py", "train.py"};
  if (!is_image_dataset(s.config().dataset)) {
    // The 2-D sets are drawn, not stored: the script trains on 100,000 draws from GenLab itself.
    const std::vector<std::uint8_t> data = s.export_training_points(100000);
    write_bytes((std::filesystem::path(dir) / "data2d.safetensors").string(), data.data(), data.size());
    files.push_back("data2d.safetensors");
  }
  return files;
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace genlab::cli
