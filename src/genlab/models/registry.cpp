#include "genlab/models/registry.hpp"

#include <stdexcept>

namespace genlab {

namespace models {

const std::vector<ModelKind>& model_kinds() {
  static const std::vector<ModelKind> kinds = {vae_kind(), gan_kind(), vaegan_kind()};
  return kinds;
}

const ModelKind& model_kind(const std::string& name) {
  for (const ModelKind& k : model_kinds())
    if (k.name == name) return k;
  throw ConfigError("model", "unknown model kind '" + name + "'");
}

ArchSpec arch_of(const Config& c) { return model_kind(c.model).arch(c); }

std::unique_ptr<Model> make_model(const Config& c, Rng& init) { return model_kind(c.model).make(c, init); }

}  // namespace models

// config.hpp's model list and relation checks, answered by the registry.
const std::vector<std::string>& model_kind_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const models::ModelKind& k : models::model_kinds()) n.push_back(k.name);
    return n;
  }();
  return names;
}

std::size_t parameter_count(const Config& c) { return models::arch_of(c).parameter_count(); }

void validate(const Config& c) {
  dataset_dim(c.dataset);  // a known data set
  const models::ModelKind& kind = models::model_kind(c.model);
  kind.check(c);
  const std::size_t n = kind.arch(c).parameter_count();
  if (n > kMaxParameters)
    throw ConfigError(kind.budget_key, "the networks would have " + std::to_string(n) + " parameters; the limit is " +
                                           std::to_string(kMaxParameters));
}

}  // namespace genlab
