// The PyTorch side of an export: the generated module (src/genlab/io/genlab_torch.py with this
// model's architecture spec and settings written into it) beside the weights' .safetensors.
// The page builds the same module in web/downloads.js from the same template.
#pragma once

#include <string>

#include "genlab/session.hpp"

namespace genlab::cli {

// The template's text (compiled in from src/genlab/io/genlab_torch.py).
const std::string& pytorch_template();
// The module for the session's model: the template with SPEC_TEXT and CONFIG_TEXT filled in.
std::string pytorch_module(const Session& s);
// Writes DIR/model.safetensors and DIR/genlab_model.py (DIR is created); returns the file names.
std::vector<std::string> export_pytorch(const Session& s, const std::string& dir);
// Reads a whole file; throws std::runtime_error naming it.
std::vector<std::uint8_t> read_file(const std::string& path);

}  // namespace genlab::cli
