// The PyTorch side of an export: the generated module (src/genlab/io/genlab_torch.py with this
// model's architecture spec and settings written into it) beside the weights' .safetensors.
// The page builds the same module in web/downloads.js from the same template.
#pragma once

#include <string>
#include <vector>

#include "genlab/session.hpp"

namespace genlab::cli {

// The templates' texts (compiled in from src/genlab/io/genlab_torch.py and genlab_train.py).
const std::string& pytorch_template();
const std::string& train_template();
// The module for the session's model: the template with SPEC_TEXT and CONFIG_TEXT filled in.
std::string pytorch_module(const Session& s);
// The training script for the session's configuration (genlab_train.py filled in); `data_dir`:
// where it looks for image sets by default.
std::string train_script(const Session& s, const std::string& data_dir);
// Writes DIR/model.safetensors, DIR/genlab_model.py and DIR/train.py, and for a 2-D data set
// DIR/data2d.safetensors (100,000 points of it with their components); DIR is created. Returns
// the file names.
std::vector<std::string> export_pytorch(const Session& s, const std::string& dir, const std::string& data_dir = "data");
// Reads a whole file; throws std::runtime_error naming it.
std::vector<std::uint8_t> read_file(const std::string& path);

}  // namespace genlab::cli
