// The convolutions' data movement (im2col, col2im, planes ↔ rows, the transposed convolution's
// bias pass) splits its batch between two threads in the threaded build. Each image is moved by
// one thread, in one order, so a layer's forward and backward must give the bits of one thread.
// Meaningful in test_threads_mt (a real helper thread); elsewhere both runs take one thread.
#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/core/param_store.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/kernels/parallel.hpp"
#include "genlab/nn/conv2d.hpp"
#include "genlab/nn/conv_transpose2d.hpp"

namespace k = genlab::kernels;
using genlab::ParamStore;
using genlab::Rng;
using genlab::Tensor2;

namespace {

struct Run {
  std::vector<float> y, dx, grads;
};

std::size_t differ(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return a.size() + b.size();
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) n += std::memcmp(&a[i], &b[i], sizeof(float)) != 0;
  return n;
}

// One forward and backward of a fresh layer (weights and data from `seed`) on `threads` threads.
template <class L, class Make>
Run run(Make make, std::size_t B, int threads, unsigned seed) {
  k::set_kernel_threads(threads);
  L layer = make();
  layer.fuse_rectifier(0.2f);
  ParamStore store;
  layer.declare(store, "c.");
  store.finalize();
  layer.bind(store);
  Rng rng(seed);
  layer.init(store, rng);
  for (std::size_t id = 0; id < store.count(); ++id)  // non-zero biases
    if (store.entry(id).name == "c.b")
      for (std::size_t i = 0; i < store.entry(id).size; ++i) store.value(id)[i] = rng.uniform(-0.5f, 0.5f);
  Tensor2 x = Tensor2::from_shape({B, layer.in_dim()});
  for (auto& v : x) v = rng.uniform(-1.0f, 1.0f);
  Tensor2 dy = Tensor2::from_shape({B, layer.out_dim()});
  for (auto& v : dy) v = rng.uniform(-1.0f, 1.0f);
  Run r;
  const Tensor2& y = layer.forward(x);
  r.y.assign(y.begin(), y.end());
  const Tensor2& dx = layer.backward(dy, true);
  r.dx.assign(dx.begin(), dx.end());
  r.grads.assign(store.grads().begin(), store.grads().end());
  k::set_kernel_threads(k::max_kernel_threads());
  return r;
}

template <class L, class Make>
void check_same_bits(Make make, const std::string& what) {
  // 64: the conv VAE's batch; 5: halves of 2 and 3 images; 1: nothing to split.
  for (const std::size_t B : {std::size_t{64}, std::size_t{5}, std::size_t{1}}) {
    const Run one = run<L>(make, B, 1, 21u);
    const Run two = run<L>(make, B, 2, 21u);
    INFO(what << ", batch " << B << ", threads in the build: " << k::max_kernel_threads());
    CHECK(differ(one.y, two.y) == 0);
    CHECK(differ(one.dx, two.dx) == 0);
    CHECK(differ(one.grads, two.grads) == 0);
  }
}

}  // namespace

TEST_CASE("conv layers on two threads give the bits of one: forward, input gradient, weight gradients") {
  using genlab::nn::Conv2d;
  using genlab::nn::ConvTranspose2d;
  // The conv VAE's layers (encoder 1→32→64, decoder 64→32→1: 4×4 kernels, stride 2, padding 1) and
  // a 3×3 stride-1 pair, whose rows take the general path of the moves.
  check_same_bits<Conv2d>([] { return Conv2d(1, 28, 28, 32, 4, 2, 1); }, "conv 1→32 28×28");
  check_same_bits<Conv2d>([] { return Conv2d(32, 14, 14, 64, 4, 2, 1); }, "conv 32→64 14×14");
  check_same_bits<Conv2d>([] { return Conv2d(8, 12, 12, 16, 3, 1, 1); }, "conv 8→16 12×12 k3");
  check_same_bits<ConvTranspose2d>([] { return ConvTranspose2d(64, 7, 7, 32, 4, 2, 1); }, "convT 64→32 7×7");
  check_same_bits<ConvTranspose2d>([] { return ConvTranspose2d(32, 14, 14, 1, 4, 2, 1); }, "convT 32→1 14×14");
  check_same_bits<ConvTranspose2d>([] { return ConvTranspose2d(16, 12, 12, 8, 3, 1, 1); }, "convT 16→8 12×12 k3");
}
