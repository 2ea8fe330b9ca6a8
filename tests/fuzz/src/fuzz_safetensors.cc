// libFuzzer target for the .safetensors reader (build and run: tests/fuzz/README.md).
// Each input is read twice: as it is, and with its genlab.crc32 (when the header holds one)
// rewritten to match, so that mutations reach the parser instead of dying at the checksum. A
// rejection must be a SafetensorsError; anything else escaping is a bug. An accepted file must
// write back (its float tensors, as F32) to a file that reads back with the same names, shapes,
// values (bit for bit) and metadata. A compact checkpoint's expansion (io/quantize.hpp) runs on
// every accepted file too: it may refuse only with a SafetensorsError, and what it keeps is finite.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <cmath>

#include "genlab/io/quantize.hpp"
#include "genlab/io/safetensors.hpp"

namespace {

using namespace genlab::io;

[[noreturn]] void die(const char* why) {
  std::fprintf(stderr, "fuzz_safetensors: %s\n", why);
  std::abort();
}

void check(const std::uint8_t* data, std::size_t size) {
  SafeTensors file;
  try {
    file = read_safetensors(data, size);
  } catch (const SafetensorsError&) {
    return;  // rejected cleanly
  }
  try {
    SafeTensors expanded = file;
    dequantize(expanded);
    for (const SafeTensorIn& t : expanded.tensors) {
      if (t.dtype == Dtype::I8 && expanded.meta(kQuantKey)) die("dequantize left an I8 tensor");
      for (float v : t.values)
        if (!std::isfinite(v)) die("dequantize made a value that is not finite");
    }
  } catch (const SafetensorsError&) {
  }
  Metadata meta;
  for (const auto& kv : file.metadata)
    if (kv.first != kCrcKey) meta.push_back(kv);
  std::vector<SafeTensorOut> out;
  for (const SafeTensorIn& t : file.tensors)
    if (t.dtype != Dtype::I64) out.push_back({t.name, t.shape, t.values.data()});  // (I8 as F32)
  const std::vector<std::uint8_t> again = write_safetensors(out, meta);  // must not throw
  const SafeTensors back = read_safetensors(again.data(), again.size());
  if (back.tensors.size() != out.size()) die("write → read lost tensors");
  for (std::size_t i = 0; i < out.size(); ++i) {
    const SafeTensorIn* t = file.find(out[i].name);
    if (back.tensors[i].name != t->name || back.tensors[i].shape != t->shape ||
        (!t->values.empty() &&
         std::memcmp(back.tensors[i].values.data(), t->values.data(), t->values.size() * sizeof(float)) != 0))
      die("write → read changed a tensor");
  }
  for (const auto& kv : meta)
    if (!back.meta(kv.first) || *back.meta(kv.first) != kv.second) die("write → read changed the metadata");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(data, size);
  std::vector<std::uint8_t> b(data, data + size);
  seal_safetensors(b);
  if (b.size() != size || (size && std::memcmp(b.data(), data, size) != 0)) check(b.data(), b.size());
  return 0;
}
