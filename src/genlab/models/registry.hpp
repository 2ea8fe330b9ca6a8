// The model kinds GenLab knows: one entry per kind, each defined in the kind's own file under
// models/ (vae_kind() in vae.cpp, gan_kind() in gan.cpp, vaegan_kind() in vaegan.cpp) and listed
// once in registry.cpp. The entry says what the kind builds (its ArchSpec and Model), which settings
// apply to it, how it trains in parts, which statistics form its history and which views it offers;
// Session, the CLI and the page (through the module) read these tables instead of testing the
// kind's name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genlab/config/config.hpp"
#include "genlab/models/arch.hpp"
#include "genlab/models/model.hpp"

namespace genlab::models {

struct ModelKind {
  std::string name;                       // the Config's `model`: "vae", "gan"
  std::string title;                      // English display name
  std::vector<std::string> groups;        // schema groups whose settings apply ("general", "vae", …)
  std::string budget_key;                 // the setting named when the parameter budget is exceeded
  std::vector<std::string> parts;         // partial steps Model::train_part accepts ("d", "g")
  std::vector<std::string> channels;      // StepStats fields kept in the loss history, in order
  std::vector<std::string> views_2d;      // what the page and CLI can show on 2-D data …
  std::vector<std::string> views_image;   // … and on images
  void (*check)(const Config& c);         // relations between this kind's settings (ConfigError)
  ArchSpec (*arch)(const Config& c);
  std::unique_ptr<Model> (*make)(const Config& c, Rng& init);
};

const std::vector<ModelKind>& model_kinds();
// The entry for `name`; throws ConfigError("model", …) for an unknown kind.
const ModelKind& model_kind(const std::string& name);

// The architecture of a configuration (no weights allocated).
ArchSpec arch_of(const Config& c);
// A freshly initialised model of the configuration.
std::unique_ptr<Model> make_model(const Config& c, Rng& init);

// The entries, defined in each kind's file.
ModelKind vae_kind();
ModelKind gan_kind();
ModelKind vaegan_kind();

}  // namespace genlab::models
