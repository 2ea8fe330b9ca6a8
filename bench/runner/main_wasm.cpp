// bench_runner (WebAssembly): the runner protocol of runner.hpp as an Embind ES module, used by
// bench/compare for genlab's GEMM figures under node and in Chromium (the training workloads
// there go through the real genlab.mjs instead). No file system: image workloads are refused.
//   const M = await createBenchRunner(); const r = new M.Runner(); r.handle('gemm 64 64 64 NN');
#include <emscripten/bind.h>

#include "runner.hpp"

EMSCRIPTEN_BINDINGS(genlab_bench_runner) {
  emscripten::class_<genlab::bench::Runner>("Runner")
      .constructor<>()
      .function("handle", &genlab::bench::Runner::handle);
}
