// The small model the session I/O tests save, load, export and import: 8-wide networks on
// moons, batch 16; a GAN keeps G's moving average (extra state) and may pack D's input.
#pragma once

#include <string>

#include "genlab/config/config.hpp"

namespace genlab::test {

inline Config tiny_config(const std::string& model, int pack = 1) {
  Config c;
  c.model = model;
  c.dataset = "moons";
  c.enc_hidden = {8};
  c.dec_hidden = {8};
  c.g_hidden = {8};
  c.d_hidden = {8};
  c.batch = 16;
  c.pack = pack;
  if (model == "gan") c.g_ema = 0.9f;  // extra state saved too
  return c;
}

}  // namespace genlab::test
