// The convolutional networks of the image models (Config net=conv), as NetSpecs. Two stride-2
// stages take a side×side image to side/4 and back, DCGAN-style (Radford et al. 2016): 4×4 kernels,
// stride 2, padding 1, so every stage exactly halves or doubles the side.
//   up   (generator, decoder): z → Linear c0·(side/4)² → act → ConvT c1 → act → ConvT ch (→ out_act)
//   down (discriminator, encoder): image (ch channels) → Conv c0 → act → Conv c1 → act → Linear out
// Widths are channel counts: up {c0, c1} (c0 at side/4, c1 at side/2), down {c0, c1} (c0 at
// side/2, c1 at side/4). A third count adds a stride-1 3×3 stage at side/4 (padding 1, the side
// kept): up {c0, c1, c2} runs ConvT c0 → c1 there before the two that double the side (c2 at
// side/2); down {c0, c1, c2} runs Conv c1 → c2 there after the two that halve it.
#pragma once

#include <string>
#include <vector>

#include "genlab/nn/net_spec.hpp"

namespace genlab::models {

struct ConvNetSpec {
  std::size_t side = 28;               // image side (divisible by 4)
  std::size_t image_channels = 1;      // down: input channels (PacGAN stacks `pack` images);
                                       // up: output channels (a Gaussian decoder's mean and log σ²)
  std::vector<std::size_t> channels;   // two, or three (a stride-1 stage at side/4)
  std::size_t flat = 0;                // up: input width (noise, latent); down: output width
  nn::Act act = nn::Act::ReLU, out_act = nn::Act::None;
  float alpha = 0.2f;                  // LeakyReLU slope
  nn::Init init = nn::Init::He;
  float dropout = 0.0f;                // down: > 0 adds a Dropout after each hidden activation
  bool batch_norm = false;             // batch normalisation before the hidden activations, as
                                       // DCGAN: up after the Linear and the first ConvT; down after
                                       // the second Conv only (not on the images themselves)
};

// Throw std::invalid_argument naming what does not fit (side not divisible by 4, not two or three widths).
nn::NetSpec conv_up_spec(const std::string& name, const ConvNetSpec& s);
nn::NetSpec conv_down_spec(const std::string& name, const ConvNetSpec& s);

// The autoencoders' pair (VAE, VAE-GAN): the encoder takes the image to 2·latent (μ, log σ²), the
// decoder takes the latent code back to one image channel, each with its own widths and the
// shared activation, init and normalisation. Callers adjust the decoder's output afterwards.
struct ConvAutoencoderSpec {
  ConvNetSpec enc, dec;
};
ConvAutoencoderSpec conv_autoencoder(std::size_t side, const std::vector<std::size_t>& enc_channels,
                                     const std::vector<std::size_t>& dec_channels, std::size_t latent, nn::Act act,
                                     float alpha, nn::Init init, bool batch_norm);

}  // namespace genlab::models
