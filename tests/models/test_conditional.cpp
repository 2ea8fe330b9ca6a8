// The class-conditional VAE and GAN: gradients against finite differences with the one-hot inputs, the
// architecture it declares, and which class each row is given (set, cycled, across chunks).
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/config/config.hpp"
#include "genlab/models/gan.hpp"
#include "genlab/models/vae.hpp"
#include "support/store_check.hpp"
#include "support/testutil.hpp"

using namespace genlab;
using namespace genlab::models;

namespace {

VaeSpec small_cvae(std::size_t classes) {
  VaeSpec s;
  s.in = 6;
  s.latent = 2;
  s.enc_hidden = {5};
  s.dec_hidden = {4};
  s.act = nn::Act::Tanh;
  s.classes = classes;
  return s;
}

// One row of `t` as a vector.
std::vector<float> row_of(const Tensor2& t, std::size_t r) {
  return std::vector<float>(t.data() + r * cols(t), t.data() + (r + 1) * cols(t));
}

}  // namespace

TEST_CASE("conditional VAE gradients match finite differences, for rows of different classes") {
  Rng rng(3u);
  Vae vae(small_cvae(3), rng);
  const Tensor2 x = test::random_tensor(rng, 4, 6, 0.0f, 1.0f);
  const Tensor2 eps = test::random_tensor(rng, 4, 2, -1.5f, 1.5f);
  vae.condition({2, 0, 1, 2});
  ParamStore& store = vae.params();
  test::check_store(store, [&] { return double(vae.loss_and_grad(x, eps).loss); }, "cvae");
  // The one-hot inputs reach the first layers: the class columns of enc.0.W and dec.0.W get
  // gradients (encoder input 6 + 3, decoder input 2 + 3).
  const auto& W = store.entry(store.find("enc.0.W"));
  CHECK(W.size == 9u * 5u);
  const auto& V = store.entry(store.find("dec.0.W"));
  CHECK(V.size == 5u * 4u);
}

TEST_CASE("conditional VAE: the architecture has the class as an input of both networks") {
  Rng rng(1u);
  Vae vae(small_cvae(10), rng);
  const ArchSpec& a = vae.arch();
  CHECK(a.net("enc").layers.front().in == 16u);
  CHECK(a.net("dec").layers.front().in == 12u);
  bool y_found = false;
  for (const auto& n : a.graph) {
    if (n.id == "y") y_found = n.width == 10u && n.kind == "data";
    if (n.id == "enc" || n.id == "dec") CHECK(n.inputs.back() == "y");
  }
  CHECK(y_found);
  Vae plain(small_cvae(0), rng);
  for (const auto& n : plain.arch().graph) CHECK(n.id != "y");
  CHECK(plain.classes() == 0u);
  CHECK(vae.classes() == 10u);
}

TEST_CASE("conditional VAE: row r is decoded for its set class, or for r mod C when none is set") {
  Rng rng(2u);
  Vae vae(small_cvae(3), rng);
  Tensor2 z({7, 2});
  for (std::size_t r = 0; r < 7; ++r) {
    z(r, 0) = 0.3f;
    z(r, 1) = -0.4f;  // the same code in every row: only the class differs
  }
  Tensor2 cycled, set, one;
  vae.decode(z, cycled);
  CHECK(row_of(cycled, 0) == row_of(cycled, 3));
  CHECK(row_of(cycled, 1) == row_of(cycled, 4));
  CHECK(row_of(cycled, 0) != row_of(cycled, 1));
  CHECK(row_of(cycled, 1) != row_of(cycled, 2));
  vae.condition({2, 2, 2, 2, 2, 2, 2});
  vae.decode(z, set);
  for (std::size_t r = 0; r < 7; ++r) CHECK(row_of(set, r) == row_of(cycled, 2));
  // Fewer classes set than rows: the rest cycle (row 5 → class 2).
  vae.condition({1});
  vae.decode(z, set);
  CHECK(row_of(set, 0) == row_of(cycled, 1));
  CHECK(row_of(set, 5) == row_of(cycled, 2));
  // Encoding depends on the class too.
  Tensor2 x = test::random_tensor(rng, 2, 6, 0.0f, 1.0f), mu0, lv0, mu1, lv1;
  vae.condition({0, 0});
  vae.encode(x, mu0, lv0);
  vae.condition({1, 1});
  vae.encode(x, mu1, lv1);
  CHECK(row_of(mu0, 0) != row_of(mu1, 0));
}

TEST_CASE("conditional VAE: a long decode in chunks keeps each row's class") {
  Rng rng(5u);
  Vae vae(small_cvae(3), rng);
  const std::size_t n = 600;  // more than one chunk of the sampler
  Tensor2 z({n, 2});
  for (std::size_t r = 0; r < n; ++r) {
    z(r, 0) = 0.5f;
    z(r, 1) = 0.1f;
  }
  std::vector<std::uint8_t> y(n);
  for (std::size_t r = 0; r < n; ++r) y[r] = static_cast<std::uint8_t>((r / 7) % 3);
  vae.condition(y);
  Rng a(9u);
  Tensor2 all;
  vae.decode_sample(z, a, all);
  Tensor2 one({1, 2});
  one(0, 0) = 0.5f;
  one(0, 1) = 0.1f;
  for (std::size_t r : {0u, 255u, 256u, 300u, 513u, 599u}) {
    vae.condition({y[r]});
    Tensor2 x1;
    Rng b(9u);
    vae.decode_sample(one, b, x1);  // Bernoulli: no decoder noise, so the rng does not matter
    CHECK_MESSAGE(row_of(all, r) == row_of(x1, 0), "row " << r << " class " << int(y[r]));
  }
}

TEST_CASE("conditional=true: the spec takes the data set's classes (images' labels, a 2-D mixture's components), MLP only") {
  Config c;
  c.model = "vae";
  c.dataset = "mnist28";
  c.conditional = true;
  CHECK(vae_spec(c).classes == 10u);
  c.net = "conv";
  c.enc_hidden = {8, 16};
  c.dec_hidden = {16, 8};
  CHECK(vae_spec(c).classes == 0u);  // hidden in the page for conv, and ignored (as every `when`)
  c.net = "mlp";
  c.likelihood = "gaussian";
  c.dataset = "ring8";
  CHECK(vae_spec(c).classes == 8u);
  c.dataset = "spiral";
  CHECK(vae_spec(c).classes == 0u);
  c.model = "gan";
  c.dataset = "grid25";
  CHECK(gan_spec(c).classes == 25u);
  c.conditional = false;
  CHECK(gan_spec(c).classes == 0u);
}

TEST_CASE("conditional GAN gradients match finite differences, D and G side, packed, rows of different classes") {
  for (std::size_t pack : {1u, 2u}) {
    GanSpec s;
    s.data_dim = 3;
    s.noise = 2;
    s.g_hidden = {5};
    s.d_hidden = {6};
    s.g_act = nn::Act::Tanh;
    s.d_act = nn::Act::Tanh;
    s.pack = pack;
    s.classes = 3;
    Rng rng(8u);
    Gan gan(s, rng);
    CHECK(gan.arch().net("G").layers.front().in == 5u);
    CHECK(gan.arch().net("D").layers.front().in == 6u * pack);
    gan.condition({1, 0, 2, 2});
    const Tensor2 real = test::random_tensor(rng, 4, 3);
    const Tensor2 z = test::random_tensor(rng, 4, 2);
    Tensor2 fake;
    gan.generate(z, fake);
    const std::string name = "cgan pack " + std::to_string(pack);
    test::check_store(gan.d_params(), [&] { return double(gan.d_loss_and_grad(real, fake).d_loss); }, name + " D");
    test::check_store(gan.g_params(), [&] { return double(gan.g_loss_and_grad(z).g_loss); }, name + " G");
  }
}

TEST_CASE("conditional GAN: G draws row r for its class; D's verdict depends on the class; the graph has y") {
  GanSpec s;
  s.data_dim = 4;
  s.noise = 2;
  s.g_hidden = {8};
  s.d_hidden = {8};
  s.classes = 4;
  Rng rng(6u);
  Gan gan(s, rng);
  Tensor2 z({8, 2});
  for (std::size_t r = 0; r < 8; ++r) {
    z(r, 0) = 0.2f;
    z(r, 1) = 0.7f;
  }
  Tensor2 cycled, set;
  gan.generate(z, cycled);
  CHECK(row_of(cycled, 0) == row_of(cycled, 4));
  CHECK(row_of(cycled, 0) != row_of(cycled, 1));
  gan.condition(std::vector<std::uint8_t>(8, 3));
  gan.generate(z, set);
  for (std::size_t r = 0; r < 8; ++r) CHECK(row_of(set, r) == row_of(cycled, 3));
  Tensor2 x = test::random_tensor(rng, 2, 4), d0, d1;
  gan.condition({0, 0});
  gan.discriminate(x, d0);
  gan.condition({1, 1});
  gan.discriminate(x, d1);
  CHECK(d0(0, 0) != d1(0, 0));
  bool y_found = false;
  for (const auto& n : gan.arch().graph) {
    if (n.id == "y") y_found = n.width == 4u;
    if (n.id == "G" || n.id == "D") CHECK(n.inputs.back() == "y");
  }
  CHECK(y_found);
}
