// The C++ side of bench/compare's runner protocol (bench/README.md): one text command in, one
// JSON line out. The same class is driven from stdin natively (main_native.cpp) and through
// Embind in WebAssembly (main_wasm.cpp).
//
//   setup NAME key=value ...   configure a genlab Session for workload NAME with these settings
//   gemm M K N FORM            prepare C = op(A)·op(B) (FORM: NN, NT or TN; M×K·K×N)
//   run SECONDS                train (or multiply) for at least SECONDS; reply
//                              {"ok":true,"units":…,"seconds":…,"chunks":[[steps,a,b],…]}
//                              (units: steps or GEMM calls; a, b: VAE loss, 0 or GAN D, G loss)
//   info                       {"ok":true,"simd":…}
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "genlab/data/image_asset.hpp"
#include "genlab/session.hpp"

namespace genlab::bench {

// Train and test images of an image data set such as "mnist28" (throws if unavailable).
using ImageLoader = std::function<std::pair<ImageSet, ImageSet>(const std::string& dataset)>;

class Runner {
 public:
  explicit Runner(ImageLoader loader = {}) : loader_(std::move(loader)) {}
  // Never throws: errors become {"ok":false,"error":"…"}.
  std::string handle(const std::string& line);

 private:
  std::string setup(const std::vector<std::string>& words);
  std::string prepare_gemm(const std::vector<std::string>& words);
  std::string run(double seconds);
  std::string run_training(double seconds);
  std::string run_gemm(double seconds);
  void gemm_once();

  ImageLoader loader_;
  std::unique_ptr<Session> session_;
  int chunk_ = 1;  // steps per train() call, sized to ~20 ms like the page's worker
  // GEMM state
  bool gemm_ready_ = false;
  std::size_t M_ = 0, K_ = 0, N_ = 0;
  bool ta_ = false, tb_ = false;
  std::vector<float> A_, B_, C_;
};

}  // namespace genlab::bench
