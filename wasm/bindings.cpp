// Embind bindings: the JavaScript face of the GenLab core. Coarse calls only; no per-sample
// crossings. Every C++ exception reaches JavaScript as an Error carrying its message.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "genlab/kernels/simd.hpp"
#include "genlab/version.hpp"

namespace {

std::string version() { return genlab::kVersion; }
std::string simd() { return genlab::kernels::simd_name(); }
bool simd_enabled() { return GENLAB_SIMD != 0; }

}  // namespace

EMSCRIPTEN_BINDINGS(genlab) {
  emscripten::function("version", &version);
  emscripten::function("simd", &simd);
  emscripten::function("simdEnabled", &simd_enabled);
}
