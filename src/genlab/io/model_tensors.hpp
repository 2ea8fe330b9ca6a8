// Bridges between the engine and model files: parameters and optimizer state go out as named
// tensors, come back only after they are checked, and the saved assignments become a Config again.
// A session saves with add_params / add_optimizer_state, and loads by checking every spec
// (check_tensors_match with param_specs + optimizer_specs) before load_params /
// load_optimizer_state, so a file for another model leaves the current one untouched.
#pragma once

#include <string>
#include <vector>

#include "genlab/config/config.hpp"
#include "genlab/core/param_store.hpp"
#include "genlab/io/model_file.hpp"
#include "genlab/io/safetensors.hpp"
#include "genlab/optim/optimizer.hpp"

namespace genlab::io {

// The name and shape of every tensor of `store`.
std::vector<TensorSpec> param_specs(const ParamStore& store);
// Appends every tensor of a finalized `store` under its own name and shape.
void add_params(ModelFile& file, const ParamStore& store);
// The same by reference (for write_model_file without copies).
void add_params(ModelFileRef& file, const ParamStore& store);
// Copies the file's tensors into `store`; checks all of them first (missing or mis-shaped →
// ModelFileError, store unchanged).
void load_params(const ModelFile& file, ParamStore& store);

// "<prefix>.0", "<prefix>.1", …: one 1-D tensor of store_size floats per optimizer state buffer.
std::vector<TensorSpec> optimizer_specs(optim::Optimizer& opt, const std::string& prefix, std::size_t store_size);
// Appends the optimizer's state under those names (zeros for buffers not allocated yet: an
// optimizer that has not stepped has all-zero state).
void add_optimizer_state(ModelFile& file, optim::Optimizer& opt, const std::string& prefix, std::size_t store_size);
void add_optimizer_state(ModelFileRef& file, optim::Optimizer& opt, const std::string& prefix, std::size_t store_size);
// Copies the state back (checked first, as load_params). The step count is not part of it: set it
// with opt.set_steps().
void load_optimizer_state(const ModelFile& file, optim::Optimizer& opt, const std::string& prefix,
                          std::size_t store_size);

// The file's configuration: the defaults with its assignments applied, validated, and of the
// file's kind. Throws ModelFileError naming the offending entry.
Config config_of(const ModelFile& file);
// The configuration a .safetensors file's GenLab metadata names (genlab.config: one key=value per
// line, applied to the defaults and validated) into `out`; false when the file has none. Throws
// SafetensorsError naming the offending entry.
bool config_of(const SafeTensors& file, Config& out);

}  // namespace genlab::io
