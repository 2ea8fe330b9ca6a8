// Sample .safetensors files: the fuzzer's seed corpus (tests/fuzz/corpus/safetensors, written by
// tests/fuzz/build.sh seeds) and test inputs. Header-only, without xtensor, for the fuzz build.
#pragma once

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "genlab/io/safetensors.hpp"

namespace genlab::test {

inline std::vector<std::pair<std::string, std::vector<std::uint8_t>>> seed_safetensors() {
  static const float w[6] = {1.5f, -2.0f, 0.25f, 3.0f, -0.5f, 7.0f};
  static const float b[2] = {0.125f, -1.0f};
  const io::Metadata meta = {{"genlab.format", "1"},
                             {"genlab.config", "model=gan\ndataset=ring8\ng_hidden=3"},
                             {"genlab.spec", "{\"model\": \"gan\"}"},
                             {"genlab.step", "12"}};
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> out;
  out.emplace_back("sealed.safetensors", io::write_safetensors({{"G.0.weight", {2, 3}, w}, {"G.0.bias", {2}, b}}, meta));
  out.emplace_back("plain.safetensors", io::write_safetensors({{"enc.0.weight", {3, 2}, w}, {"enc.0.bias", {2}, b}}, {}));
  out.emplace_back("half.safetensors", io::write_safetensors({{"x", {1, 2, 3}, w}}, meta, io::Dtype::F16));
  // A compact checkpoint (io/quantize.hpp): I8 weights with F32 row scales, G from G_ema.
  static const std::int8_t q[6] = {3, -7, 0, 7, -1, 2};
  static const float scale[2] = {0.5f, 0.125f};
  io::Metadata qmeta = meta;
  qmeta.push_back({"genlab.quant", "int8-rows"});
  qmeta.push_back({"genlab.g_from_ema", "1"});
  out.emplace_back("quant.safetensors",
                   io::write_safetensors({{"G_ema.0.weight", {2, 3}, nullptr, q}, {"G_ema.0.weight.scale", {2}, scale, nullptr, true},
                                          {"G_ema.0.bias", {2}, b}},
                                         qmeta, io::Dtype::F16));
  // As another writer might lay it out: spaces, out-of-order entries, an int64 counter, BF16.
  const std::string header =
      "{ \"n.1.num_batches_tracked\" : {\"shape\": [], \"dtype\": \"I64\", \"data_offsets\": [8, 16]},\n"
      "  \"__metadata__\": {\"format\": \"pt\"},\n"
      "  \"n.1.weight\": {\"data_offsets\": [0, 8], \"shape\": [2], \"dtype\": \"F32\"},\n"
      "  \"n.1.bias\": {\"dtype\": \"BF16\", \"shape\": [1], \"data_offsets\": [16, 18]} }";
  std::vector<std::uint8_t> f(8 + header.size() + 18, 0);
  for (int k = 0; k < 8; ++k) f[k] = static_cast<std::uint8_t>(header.size() >> (8 * k));
  std::memcpy(f.data() + 8, header.data(), header.size());
  std::memcpy(f.data() + 8 + header.size(), w, 8);
  f[8 + header.size() + 8] = 3;
  f[8 + header.size() + 17] = 0x3f;
  out.emplace_back("foreign.safetensors", std::move(f));
  return out;
}

}  // namespace genlab::test
