// ArchSpec: one description of a model, built from a Config in one place per model kind (the
// kind's arch() in its file under models/). The networks are built from its NetSpecs; the
// parameter count, the model file's tensor list, the page's model graph and the exporters all read
// it. Nothing else works out a model's shape.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "genlab/nn/net_spec.hpp"

namespace genlab::models {

// A node of the model graph as the page draws it: a tensor (data, noise, an intermediate), a
// network, an operation or a loss term. `inputs` are the ids of the nodes it reads.
struct GraphNode {
  std::string id;                   // "x", "z", "enc", "mu", "reparam", "kl", …
  std::string kind;                 // "data", "noise", "net", "tensor", "op", "loss"
  std::vector<std::string> inputs;
  std::size_t width = 0;            // features per example (tensors, data, noise)
  std::string stat;                 // the StepStats field with its live value ("" when none)
};

struct ArchSpec {
  std::string model;                // the model kind: "vae", "gan"
  std::vector<nn::NetSpec> nets;    // every network, in the order the parameters are stored
  std::vector<GraphNode> graph;     // the computation, inputs before the nodes that read them
  std::size_t data_dim = 0;         // width of one example
  std::size_t pack = 1;             // examples a discriminator judges together (PacGAN)
  // What the networks' inputs and outputs mean, for code that runs them elsewhere (exporters):
  std::size_t classes = 0;          // one-hot classes appended to every network input (conditional)
  std::size_t noise = 0;            // width of the noise: the VAE's latent code, the GAN's z
  std::string noise_dist = "normal";  // or "uniform" (U(−1, 1))
  // VAE: the decoder's output — "bernoulli" (logits), "gaussian" (means), "gaussian_learned"
  // (means, then log σ²); GAN: D's — "probability" (a logit, read through a sigmoid) or "score".
  std::string head;
  bool ema = false;                 // GAN: samples come from a moving average of G's weights

  // Trained parameters of all networks: the one parameter count.
  std::size_t parameter_count() const;
  // The network called `name`; throws std::out_of_range.
  const nn::NetSpec& net(const std::string& name) const;
  // The spec as JSON (for the page and exporters): nets with layers and params, graph, counts.
  std::string to_json() const;
};

// The same networks, graph and counts, whatever the head: a GAN's loss is live (retune), and with
// it how D's output reads, so retune compares everything else.
bool same_but_head(const ArchSpec& a, const ArchSpec& b);

}  // namespace genlab::models
