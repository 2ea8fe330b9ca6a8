// Conv2d and ConvTranspose2d: geometry, im2col/col2im, forward against the naive direct sums kept
// beside them (nn/conv_geometry.cpp), gradients against finite differences, the adjoint relation
// between the two layers, and their place in a NetSpec.
#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/nn/activation.hpp"
#include "genlab/nn/conv2d.hpp"
#include "genlab/nn/conv_geometry.hpp"
#include "genlab/nn/conv_transpose2d.hpp"
#include "genlab/nn/net_spec.hpp"
#include "genlab/nn/sequential.hpp"
#include "support/layer_check.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::nn;
using genlab::test::random_tensor;

namespace {

struct Geo {
  std::size_t c, h, w, oc, k, s, p;
};
// Kernels 3–5, strides 1–2, paddings 0–2, non-square images, the MNIST shapes of dcgan-lite.
const std::vector<Geo> kConvGeos = {{1, 8, 8, 3, 3, 1, 1}, {2, 7, 9, 4, 4, 2, 1}, {3, 6, 6, 2, 5, 1, 2},
                                    {2, 9, 7, 3, 3, 2, 0}, {1, 28, 28, 8, 4, 2, 1}, {8, 14, 14, 4, 4, 2, 1}};
const std::vector<Geo> kTransposeGeos = {{3, 4, 4, 2, 4, 2, 1}, {2, 5, 3, 3, 3, 1, 1}, {4, 7, 7, 1, 4, 2, 1},
                                         {2, 3, 4, 2, 5, 2, 2}, {1, 2, 2, 3, 3, 2, 0}, {8, 7, 7, 4, 4, 2, 1}};

std::string name_of(const char* kind, const Geo& g) {
  return std::string(kind) + " " + std::to_string(g.c) + "×" + std::to_string(g.h) + "×" + std::to_string(g.w) + "→" +
         std::to_string(g.oc) + " k" + std::to_string(g.k) + " s" + std::to_string(g.s) + " p" + std::to_string(g.p);
}

template <class L>
void ready(L& layer, ParamStore& store, Rng& rng) {
  layer.declare(store, "c.");
  store.finalize();
  layer.bind(store);
  layer.init(store, rng);
  // Non-zero biases, so the bias is seen by the forward checks and its gradient is not trivial.
  for (std::size_t id = 0; id < store.count(); ++id)
    if (store.entry(id).name == "c.b")
      for (std::size_t i = 0; i < store.entry(id).size; ++i) store.value(id)[i] = rng.uniform(-0.5f, 0.5f);
}

void check_close(const float* got, const float* want, std::size_t n, const std::string& what) {
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!(std::fabs(got[i] - want[i]) <= 1e-5f * (1.0f + std::fabs(want[i]))) && bad++ < 3)
      FAIL_CHECK(what << " [" << i << "]: " << got[i] << " vs reference " << want[i]);
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " of " << n << " values differ from the direct sum");
}

float param(ParamStore& store, const char* name, std::size_t i) { return store.value(store.find(name))[i]; }

}  // namespace

TEST_CASE("convolution geometry: output sizes, and geometries that do not fit are refused by name") {
  const ConvGeom g = conv_geom(1, 28, 28, 4, 2, 1);
  CHECK(g.OH == 14);
  CHECK(g.OW == 14);
  CHECK(g.patch() == 16);
  CHECK(conv_geom(64, 14, 14, 4, 2, 1).OH == 7);
  CHECK(conv_geom(2, 9, 7, 3, 2, 0).OW == 3);
  CHECK(conv_transpose_side(7, 4, 2, 1) == 14);
  CHECK(conv_transpose_side(14, 4, 2, 1) == 28);
  CHECK(conv_transpose_side(1, 3, 2, 0) == 3);
  CHECK_THROWS_WITH_AS(conv_geom(1, 8, 8, 3, 1, 3), doctest::Contains("padding must be smaller"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(conv_geom(1, 2, 8, 5, 1, 1), doctest::Contains("larger than the padded image"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(conv_geom(0, 8, 8, 3, 1, 1), doctest::Contains("image 0×8×8"), std::invalid_argument);
  CHECK_THROWS_AS(conv_geom(1, 8, 8, 3, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(conv_transpose_side(1, 2, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(conv2d_spec({1, 4, 4}, 0, 3, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(conv_transpose2d_spec({1, 4, 4}, 2, 3, 1, 3), std::invalid_argument);
  CHECK_THROWS_AS(Conv2d(1, 4, 4, 2, 7, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(ConvTranspose2d(0, 4, 4, 2, 3, 1, 1), std::invalid_argument);
}

TEST_CASE("im2col and col2im are adjoint: <im2col(x), c> = <x, col2im(c)>") {
  Rng rng(11u);
  for (const Geo& q : kConvGeos) {
    const ConvGeom g = conv_geom(q.c, q.h, q.w, q.k, q.s, q.p);
    const std::size_t B = 2;
    const Tensor2 x = random_tensor(rng, B, g.image());
    const Tensor2 c = random_tensor(rng, B * g.grid(), g.patch());
    Tensor2 cols_x = xt::zeros<float>({B * g.grid(), g.patch()});
    Tensor2 img_c = xt::zeros<float>({B, g.image()});
    im2col(g, x.data(), B, cols_x.data());
    col2im_acc(g, c.data(), B, img_c.data());
    double lhs = 0.0, rhs = 0.0;
    for (std::size_t i = 0; i < c.size(); ++i) lhs += double(cols_x.data()[i]) * c.data()[i];
    for (std::size_t i = 0; i < x.size(); ++i) rhs += double(x.data()[i]) * img_c.data()[i];
    // The two sides sum in float in different orders: equal to float rounding.
    CHECK_MESSAGE(lhs == doctest::Approx(rhs).epsilon(1e-6), name_of("geometry", q));
  }
}

TEST_CASE("planes ↔ rows round-trips and puts channel c of pixel i at rows[i][c]") {
  Rng rng(12u);
  const std::size_t B = 3, P = 5, C = 4;
  const Tensor2 planes = random_tensor(rng, B, C * P);
  Tensor2 r = xt::zeros<float>({B * P, C}), back = xt::zeros<float>({B, C * P});
  planes_to_rows(planes.data(), B, P, C, r.data());
  CHECK(r(1 * P + 2, 3) == planes(1, 3 * P + 2));
  rows_to_planes(r.data(), B, P, C, back.data());
  CHECK(back == planes);
}

TEST_CASE("Conv2d forward equals the direct sum, with a fused ReLU / LeakyReLU too") {
  Rng rng(13u);
  for (const Geo& q : kConvGeos) {
    for (float slope : {-1.0f, 0.0f, 0.2f}) {  // −1: no rectifier
      Conv2d conv(q.c, q.h, q.w, q.oc, q.k, q.s, q.p);
      ParamStore store;
      ready(conv, store, rng);
      if (slope >= 0.0f) CHECK(conv.fuse_rectifier(slope));
      const std::size_t B = 3;
      const Tensor2 x = random_tensor(rng, B, conv.in_dim());
      const Tensor2& y = conv.forward(x);
      REQUIRE(cols(y) == conv.out_dim());
      std::vector<float> want(B * conv.out_dim());
      conv2d_ref(conv.geom(), q.oc, x.data(), store.value(store.find("c.W")), store.value(store.find("c.b")), B,
                 want.data());
      if (slope >= 0.0f)
        for (float& v : want) v = v > 0.0f ? v : slope * v;
      check_close(y.data(), want.data(), want.size(), name_of("conv2d", q) + " slope " + std::to_string(slope));
    }
  }
}

TEST_CASE("ConvTranspose2d forward equals the direct sum, with a fused rectifier too") {
  Rng rng(14u);
  for (const Geo& q : kTransposeGeos) {
    for (float slope : {-1.0f, 0.0f, 0.2f}) {
      ConvTranspose2d up(q.c, q.h, q.w, q.oc, q.k, q.s, q.p);
      ParamStore store;
      ready(up, store, rng);
      if (slope >= 0.0f) CHECK(up.fuse_rectifier(slope));
      const std::size_t B = 2;
      const Tensor2 x = random_tensor(rng, B, up.in_dim());
      const Tensor2& y = up.forward(x);
      REQUIRE(cols(y) == up.out_dim());
      CHECK(up.geom().H == conv_transpose_side(q.h, q.k, q.s, q.p));
      std::vector<float> want(B * up.out_dim());
      conv_transpose2d_ref(up.geom(), q.c, x.data(), store.value(store.find("c.W")), store.value(store.find("c.b")), B,
                           want.data());
      if (slope >= 0.0f)
        for (float& v : want) v = v > 0.0f ? v : slope * v;
      check_close(y.data(), want.data(), want.size(), name_of("conv_transpose2d", q) + " slope " + std::to_string(slope));
    }
  }
}

TEST_CASE("ConvTranspose2d with Conv2d's weights and no bias is exactly Conv2d's input gradient") {
  Rng rng(15u);
  for (const Geo& q : kConvGeos) {
    // Only geometries the strides tile exactly invert (PyTorch would need output_padding otherwise).
    if ((q.h + 2 * q.p - q.k) % q.s != 0 || (q.w + 2 * q.p - q.k) % q.s != 0) continue;
    Conv2d conv(q.c, q.h, q.w, q.oc, q.k, q.s, q.p);
    ParamStore cs;
    ready(conv, cs, rng);
    const ConvGeom& g = conv.geom();
    ConvTranspose2d up(q.oc, g.OH, g.OW, q.c, q.k, q.s, q.p);
    ParamStore us;
    ready(up, us, rng);
    REQUIRE(up.out_dim() == conv.in_dim());
    std::copy_n(cs.value(cs.find("c.W")), conv.out_dim() / g.grid() * g.patch(), us.value(us.find("c.W")));
    std::fill_n(us.value(us.find("c.b")), q.c, 0.0f);
    const std::size_t B = 2;
    const Tensor2 x = random_tensor(rng, B, conv.in_dim());
    const Tensor2 dy = random_tensor(rng, B, conv.out_dim());
    conv.forward(x);
    const Tensor2 dx = conv.backward(dy);
    const Tensor2& y = up.forward(dy);
    CHECK_MESSAGE(y == dx, name_of("conv2d", q));
  }
}

TEST_CASE("Conv2d and ConvTranspose2d gradients match finite differences") {
  Rng rng(16u);
  const std::vector<Geo> small_conv = {{2, 5, 5, 3, 3, 1, 1}, {2, 6, 7, 2, 4, 2, 1}, {1, 5, 4, 2, 5, 1, 2}};
  for (const Geo& q : small_conv) {
    Conv2d conv(q.c, q.h, q.w, q.oc, q.k, q.s, q.p);
    ParamStore store;
    ready(conv, store, rng);
    genlab::test::gradcheck(conv, store, random_tensor(rng, 2, conv.in_dim()), rng, name_of("conv2d", q));
  }
  const std::vector<Geo> small_up = {{3, 3, 3, 2, 4, 2, 1}, {2, 3, 2, 2, 3, 1, 1}, {1, 2, 3, 2, 5, 2, 2}};
  for (const Geo& q : small_up) {
    ConvTranspose2d up(q.c, q.h, q.w, q.oc, q.k, q.s, q.p);
    ParamStore store;
    ready(up, store, rng);
    genlab::test::gradcheck(up, store, random_tensor(rng, 2, up.in_dim()), rng, name_of("conv_transpose2d", q));
  }
}

TEST_CASE("conv networks from a NetSpec: gradients, names and shapes as PyTorch's") {
  Rng rng(17u);
  // A small discriminator: conv → ELU → conv → ELU → linear (smooth activations: a rectifier's kink
  // within ε of some pre-activation would spoil the differences of a shared bias; the rectifiers are
  // checked below against the unfused layers).
  NetSpec d;
  d.name = "D";
  d.layers.push_back(conv2d_spec({1, 8, 8}, 3, 4, 2, 1));
  LayerSpec leaky;
  leaky.kind = LayerKind::Activation;
  leaky.act = Act::ELU;
  leaky.alpha = 1.0f;
  leaky.in = leaky.out = d.layers.back().out;
  d.layers.push_back(leaky);
  d.layers.push_back(conv2d_spec(d.layers.front().out_img, 4, 3, 2, 1));
  leaky.in = leaky.out = d.layers.back().out;
  d.layers.push_back(leaky);
  LayerSpec fc;
  fc.in = d.layers.back().out;
  fc.out = 1;
  fc.init = Init::Xavier;
  d.layers.push_back(fc);
  const auto ps = d.params();
  REQUIRE(ps.size() == 6);
  CHECK(ps[0].name == "D.0.W");
  CHECK(ps[0].shape == std::vector<std::size_t>{3, 1, 4, 4});
  CHECK(ps[2].name == "D.2.W");
  CHECK(ps[2].shape == std::vector<std::size_t>{4, 3, 3, 3});
  CHECK(ps[4].shape == std::vector<std::size_t>{1, 4 * 2 * 2});
  CHECK(d.parameter_count() == 3 * 16 + 3 + 4 * 27 + 4 + 16 + 1);
  {
    Sequential net = build_net(d);
    ParamStore store;
    genlab::test::make_ready(net, store, rng, "D.");
    genlab::test::gradcheck(net, store, random_tensor(rng, 3, d.in()), rng, "conv D");
  }
  // A small generator: linear → tanh → convT → tanh → convT → tanh.
  NetSpec gs;
  gs.name = "G";
  LayerSpec in;
  in.in = 3;
  in.out = 2 * 3 * 3;
  gs.layers.push_back(in);
  LayerSpec relu;
  relu.kind = LayerKind::Activation;
  relu.act = Act::Tanh;
  relu.in = relu.out = in.out;
  gs.layers.push_back(relu);
  gs.layers.push_back(conv_transpose2d_spec({2, 3, 3}, 3, 4, 2, 1));
  CHECK(gs.layers.back().out_img.h == 6);
  relu.in = relu.out = gs.layers.back().out;
  gs.layers.push_back(relu);
  gs.layers.push_back(conv_transpose2d_spec(gs.layers[2].out_img, 1, 3, 1, 1));
  LayerSpec th;
  th.kind = LayerKind::Activation;
  th.act = Act::Tanh;
  th.in = th.out = gs.layers.back().out;
  gs.layers.push_back(th);
  CHECK(gs.params()[2].shape == std::vector<std::size_t>{2, 3, 4, 4});  // (IC, OC, k, k) as PyTorch's
  Sequential net = build_net(gs);
  CHECK(net.out_dim() == 36);
  ParamStore store;
  genlab::test::make_ready(net, store, rng, "G.");
  genlab::test::gradcheck(net, store, random_tensor(rng, 2, 3), rng, "conv G");
}

TEST_CASE("a rectifier fused into a convolution gives the bits of the separate layers, forward and backward") {
  Rng rng(20u);
  for (const float slope : {0.0f, 0.2f}) {
    const Act act = slope == 0.0f ? Act::ReLU : Act::LeakyReLU;
    for (int transposed = 0; transposed < 2; ++transposed) {
      auto make = [&]() -> std::unique_ptr<Layer> {
        if (transposed) return std::make_unique<ConvTranspose2d>(3, 3, 3, 2, 4, 2, 1);
        return std::make_unique<Conv2d>(2, 7, 7, 3, 3, 2, 1);
      };
      // Fused: through Sequential::add. Separate: the same two layers driven by hand.
      Sequential fused;
      fused.add(make());
      fused.add(std::make_unique<Activation>(act, fused.out_dim(), slope));
      std::unique_ptr<Layer> conv = make();
      Activation rect(act, conv->out_dim(), slope);
      ParamStore fs, ss;
      Rng r1(5u), r2(5u);
      genlab::test::make_ready(fused, fs, r1, "c.");
      conv->declare(ss, "c.0.");
      ss.finalize();
      conv->bind(ss);
      conv->init(ss, r2);
      REQUIRE(fs.size() == ss.size());
      for (std::size_t i = 0; i < fs.size(); ++i) fs.values()[i] = ss.values()[i] = rng.uniform(-0.6f, 0.6f);
      const Tensor2 x = random_tensor(rng, 3, conv->in_dim());
      const Tensor2 dy = random_tensor(rng, 3, conv->out_dim());
      const Tensor2 yf = fused.forward(x);
      const Tensor2 ys = rect.forward(conv->forward(x));
      const Tensor2 dxf = fused.backward(dy);
      const Tensor2 dxs = conv->backward(rect.backward(dy));
      const std::string what = std::string(transposed ? "conv_transpose2d" : "conv2d") + " + " + act_name(act);
      CHECK_MESSAGE(yf == ys, what);
      CHECK_MESSAGE(dxf == dxs, what);
      CHECK_MESSAGE(fs.grads() == ss.grads(), what);
    }
  }
}

TEST_CASE("a steady batch size never reallocates a convolution's buffers") {
  Rng rng(18u);
  Conv2d conv(2, 6, 6, 3, 3, 2, 1);
  ConvTranspose2d up(3, 3, 3, 2, 4, 2, 1);
  ParamStore cs, us;
  ready(conv, cs, rng);
  ready(up, us, rng);
  const Tensor2 x = random_tensor(rng, 4, conv.in_dim());
  const Tensor2 dy = random_tensor(rng, 4, conv.out_dim());
  const Tensor2 ux = random_tensor(rng, 4, up.in_dim());
  const Tensor2 udy = random_tensor(rng, 4, up.out_dim());
  const float* y0 = conv.forward(x).data();
  const float* dx0 = conv.backward(dy).data();
  const float* uy0 = up.forward(ux).data();
  const float* udx0 = up.backward(udy).data();
  CHECK(conv.forward(x).data() == y0);
  CHECK(conv.backward(dy).data() == dx0);
  CHECK(up.forward(ux).data() == uy0);
  CHECK(up.backward(udy).data() == udx0);
  CHECK_THROWS_AS(Conv2d(2, 6, 6, 3, 3, 2, 1).backward(dy), std::logic_error);
}

TEST_CASE("kernel initialisations have the advertised scale") {
  Rng rng(19u);
  const std::size_t C = 16, OC = 32, k = 4;
  for (Init init : {Init::He, Init::Xavier, Init::TorchDefault, Init::Dcgan}) {
    Conv2d conv(C, 8, 8, OC, k, 2, 1, init);
    ParamStore store;
    conv.declare(store, "c.");
    store.finalize();
    conv.init(store, rng);
    const float* W = store.value(store.find("c.W"));
    const std::size_t n = OC * C * k * k;
    double s2 = 0.0;
    for (std::size_t i = 0; i < n; ++i) s2 += double(W[i]) * W[i];
    const double fan_in = C * k * k, fan_out = OC * k * k;
    const double expected = init == Init::He ? 2.0 / fan_in
                            : init == Init::Xavier ? 2.0 / (fan_in + fan_out)
                            : init == Init::TorchDefault ? 1.0 / (3.0 * fan_in)
                                                         : 0.02 * 0.02;
    CHECK(s2 / double(n) == doctest::Approx(expected).epsilon(0.06));
    CHECK(param(store, "c.b", 0) == (init == Init::TorchDefault ? param(store, "c.b", 0) : 0.0f));
  }
}
