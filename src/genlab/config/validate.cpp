// Relations between configuration keys, checked after every key is individually valid.
#include <string>

#include "genlab/config/config.hpp"

namespace genlab {
namespace {

std::size_t mlp_params(std::size_t in, const std::vector<int>& hidden, std::size_t out) {
  std::size_t n = 0, w = in;
  for (int h : hidden) {
    n += w * static_cast<std::size_t>(h) + static_cast<std::size_t>(h);
    w = static_cast<std::size_t>(h);
  }
  return n + w * out + out;
}

}  // namespace

std::size_t parameter_count(const Config& c) {
  const std::size_t D = dataset_dim(c.dataset);
  if (c.model == "vae") {
    const auto L = static_cast<std::size_t>(c.latent);
    const bool gaussian = c.likelihood == "gaussian" || (c.likelihood == "auto" && !is_image_dataset(c.dataset));
    const std::size_t dec_out = gaussian && c.gauss_var == "learned" ? 2 * D : D;
    return mlp_params(D, c.enc_hidden, 2 * L) + mlp_params(L, c.dec_hidden, dec_out);
  }
  return mlp_params(static_cast<std::size_t>(c.noise), c.g_hidden, D) +
         mlp_params(D * static_cast<std::size_t>(c.pack), c.d_hidden, 1);
}

void validate(const Config& c) {
  const std::size_t D = dataset_dim(c.dataset);
  const bool image = is_image_dataset(c.dataset);
  if (c.model == "vae") {
    if (static_cast<std::size_t>(c.latent) > D)
      throw ConfigError("latent", std::to_string(c.latent) + " is larger than the input width " + std::to_string(D) +
                                      " of " + c.dataset + "; use at most " + std::to_string(D));
    if (c.likelihood == "bernoulli" && !image)
      throw ConfigError("likelihood", "bernoulli needs data in [0, 1] (an image data set); " + c.dataset +
                                          " is 2-D: use gaussian or auto");
    if (c.binarize && !image) throw ConfigError("binarize", "only applies to image data sets");
  } else {
    if (c.batch % c.pack != 0)
      throw ConfigError("batch", std::to_string(c.batch) + " is not a multiple of pack = " + std::to_string(c.pack));
    if (c.label_smooth > 0.0f && c.loss != "minimax" && c.loss != "nonsaturating")
      throw ConfigError("label_smooth", "applies to the cross-entropy losses (minimax, nonsaturating), not " + c.loss);
  }
  const std::size_t n = parameter_count(c);
  if (n > kMaxParameters)
    throw ConfigError(c.model == "vae" ? "enc_hidden" : "g_hidden",
                      "the networks would have " + std::to_string(n) + " parameters; the limit is " +
                          std::to_string(kMaxParameters));
}

}  // namespace genlab
