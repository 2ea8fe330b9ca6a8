// Fully connected layer: y = x·Wᵀ + b, W (out, in), b (out).
#pragma once

#include "genlab/nn/layer.hpp"

namespace genlab::nn {

enum class Init {
  He,           // W ~ N(0, 2/in): for ReLU-family hidden layers (He et al. 2015)
  Xavier,       // W ~ U(±√(6/(in+out))): for tanh/sigmoid (Glorot & Bengio 2010)
  TorchDefault, // W, b ~ U(±1/√in): what torch.nn.Linear does, for like-for-like comparisons
  Dcgan         // W ~ N(0, 0.02²), b = 0: the DCGAN recipe (Radford et al. 2016)
};

// Initial weights W (nW values) and bias b (nb) of a layer from its fan-in and fan-out (inputs per
// output, outputs per input): He N(0, 2/fan_in); Xavier U(±√(6/(fan_in + fan_out))); TorchDefault
// U(±1/√torch_fan_in) for W and b (PyTorch's own fan-in: for ConvTranspose2d it counts W.size(1)·k·k);
// Dcgan N(0, 0.02²). Bias 0 except TorchDefault.
void init_kernel(float* W, std::size_t nW, float* b, std::size_t nb, Init init, float fan_in, float fan_out,
                 float torch_fan_in, Rng& rng);

class Linear final : public Layer {
 public:
  Linear(std::size_t in, std::size_t out, Init init = Init::He) : in_(in), out_(out), init_(init) {}
  std::string kind() const override { return "linear"; }
  std::size_t in_dim() const override { return in_; }
  std::size_t out_dim() const override { return out_; }

  void declare(ParamStore& store, const std::string& prefix) override;
  void bind(ParamStore& store) override;
  void init(ParamStore& store, Rng& rng) override;

  const Tensor2& forward(const Tensor2& x) override;
  const Tensor2& backward(const Tensor2& dy, bool need_dx = true) override;
  void set_frozen(bool frozen) override { frozen_ = frozen; }
  // Rectifies y inside the product's epilogue, y = act(x·Wᵀ + b) with act(v) = v > 0 ? v : slope·v:
  // Sequential::add pairs a Linear with the ReLU / LeakyReLU that follows it, which then passes
  // y through (Activation::set_input_rectified).
  bool fuse_rectifier(float slope) override {
    rectify_ = true;
    slope_ = slope;
    return true;
  }

  std::size_t W_id() const { return W_id_; }
  std::size_t b_id() const { return b_id_; }

 private:
  std::size_t in_, out_;
  Init init_;
  bool frozen_ = false;
  bool rectify_ = false;
  float slope_ = 0.0f;
  std::size_t W_id_ = 0, b_id_ = 0;
  float *W_ = nullptr, *b_ = nullptr, *dW_ = nullptr, *db_ = nullptr;
  const Tensor2* x_ = nullptr;  // cached input (for dW)
  Tensor2 y_, dx_;
};

}  // namespace genlab::nn
