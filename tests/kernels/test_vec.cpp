// Every SIMD row primitive against its scalar twin, for all tail lengths around the vector width
// and both aligned and misaligned starts.
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/kernels/simd.hpp"
#include "genlab/kernels/vec.hpp"
#include "support/testutil.hpp"

namespace k = genlab::kernels;
using genlab::Rng;
using genlab::test::check_all_close;

namespace {

// Lengths 0 … 3·lanes + 3: empty, pure tail, exactly one vector, vectors + every tail length.
std::vector<std::size_t> lengths() {
  std::vector<std::size_t> n;
  for (std::size_t i = 0; i <= 3 * k::kLanes + 3; ++i) n.push_back(i);
  n.push_back(1000);
  return n;
}

struct Data {
  std::vector<float> a, b, c, d;
  Data(Rng& rng, std::size_t n, float lo, float hi) : a(n + 1), b(n + 1), c(n + 1), d(n + 1) {
    for (std::size_t i = 0; i <= n; ++i) {
      a[i] = rng.uniform(lo, hi);
      b[i] = rng.uniform(lo, hi);
      c[i] = rng.uniform(0.0f, 1.0f);
      d[i] = rng.uniform(0.0f, 1.0f);
    }
  }
};

constexpr double kAtol = 1e-6, kRtol = 1e-5;

}  // namespace

TEST_CASE("reductions match the scalar twins") {
  Rng rng(1u);
  for (std::size_t off : {0u, 1u})
    for (std::size_t n : lengths()) {
      Data x(rng, n, -2.0f, 2.0f);
      INFO("n = " << n << ", offset = " << off);
      const float* a = x.a.data() + off;
      const float* b = x.b.data() + off;
      const std::size_t m = n - (off && n ? 1 : 0);
      CHECK(genlab::test::close(k::dot(a, b, m), k::ref::dot(a, b, m), 1e-5, 1e-5));
      CHECK(genlab::test::close(k::sum(a, m), k::ref::sum(a, m), 1e-5, 1e-5));
      CHECK(genlab::test::close(k::sum_sq(a, m), k::ref::sum_sq(a, m), 1e-5, 1e-5));
    }
}

TEST_CASE("element-wise primitives match the scalar twins") {
  Rng rng(2u);
  for (std::size_t off : {0u, 1u})
    for (std::size_t n0 : lengths()) {
      const std::size_t n = n0 - (off && n0 ? 1 : 0);
      Data x(rng, n0, -3.0f, 3.0f);
      const float* a = x.a.data() + off;
      const float* b = x.b.data() + off;
      std::vector<float> y1(n + 1, -7.0f), y2(n + 1, -7.0f);
      INFO("n = " << n << ", offset = " << off);
      auto cmp = [&](const char* what) {
        check_all_close(y1.data(), y2.data(), n + 1, kAtol, kRtol, what);  // n+1: the guard must be untouched
        std::fill(y1.begin(), y1.end(), -7.0f);
        std::fill(y2.begin(), y2.end(), -7.0f);
      };
      k::relu(a, y1.data(), n), k::ref::relu(a, y2.data(), n), cmp("relu");
      k::relu_backward(a, b, y1.data(), n), k::ref::relu_backward(a, b, y2.data(), n), cmp("relu_backward");
      k::leaky_relu(a, y1.data(), n, 0.2f), k::ref::leaky_relu(a, y2.data(), n, 0.2f), cmp("leaky_relu");
      k::leaky_relu_backward(a, b, y1.data(), n, 0.2f), k::ref::leaky_relu_backward(a, b, y2.data(), n, 0.2f),
          cmp("leaky_relu_backward");
      k::tanh_fwd(a, y1.data(), n), k::ref::tanh_fwd(a, y2.data(), n), cmp("tanh");
      k::tanh_backward(a, b, y1.data(), n), k::ref::tanh_backward(a, b, y2.data(), n), cmp("tanh_backward");
      k::sigmoid(a, y1.data(), n), k::ref::sigmoid(a, y2.data(), n), cmp("sigmoid");
      k::sigmoid_backward(a, b, y1.data(), n), k::ref::sigmoid_backward(a, b, y2.data(), n), cmp("sigmoid_backward");
      k::elu(a, y1.data(), n, 1.0f), k::ref::elu(a, y2.data(), n, 1.0f), cmp("elu");
      k::elu_backward(a, x.c.data(), b, y1.data(), n, 1.0f), k::ref::elu_backward(a, x.c.data(), b, y2.data(), n, 1.0f),
          cmp("elu_backward");
      k::fill(y1.data(), n, 3.5f), k::ref::fill(y2.data(), n, 3.5f), cmp("fill");

      std::vector<float> z1(x.b.begin(), x.b.end()), z2 = z1;
      k::axpy(0.7f, a, z1.data(), n), k::ref::axpy(0.7f, a, z2.data(), n);
      check_all_close(z1.data(), z2.data(), n + 1, kAtol, kRtol, "axpy");
      k::scale(-1.3f, z1.data(), n), k::ref::scale(-1.3f, z2.data(), n);
      check_all_close(z1.data(), z2.data(), n + 1, kAtol, kRtol, "scale");
    }
}

TEST_CASE("bytes to [0, 1] give the scalar twin's bits, every byte value, every tail") {
  std::vector<std::uint8_t> v(300);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>((i * 151 + 7) % 256);
  for (std::size_t off : {0, 1, 5})
    for (std::size_t n : {0, 1, 15, 16, 17, 31, 33, 256, 295}) {
      std::vector<float> got(n + 1, -1.0f), want(n + 1, -1.0f);
      k::bytes_to_unit(v.data() + off, got.data(), n);
      k::ref::bytes_to_unit(v.data() + off, want.data(), n);
      INFO("offset " << off << " n " << n);
      CHECK(got == want);  // including the untouched element after the last
    }
}

TEST_CASE("BCE from logits matches its scalar twin, including extreme logits") {
  Rng rng(12u);
  for (std::size_t n : lengths()) {
    std::vector<float> z(n), t(n), d1(n + 1, -7.0f), d2(n + 1, -7.0f);
    for (std::size_t i = 0; i < n; ++i) {
      z[i] = i % 7 == 3 ? (i % 2 ? 150.0f : -150.0f) : rng.uniform(-8.0f, 8.0f);
      t[i] = rng.uniform();
    }
    INFO("n = " << n);
    const double s1 = k::bce_logits(z.data(), t.data(), d1.data(), n, 0.5f);
    const double s2 = k::ref::bce_logits(z.data(), t.data(), d2.data(), n, 0.5f);
    CHECK(genlab::test::close(s1, s2, 1e-4, 1e-5));
    check_all_close(d1.data(), d2.data(), n + 1, kAtol, kRtol, "dz");
  }
}

TEST_CASE("sigmoid and BCE keep float accuracy over the whole range of logits") {
  // A dense sweep through every binade the own exp/log1p cover, with relative error bounds
  // (a few ulp): the twins above would let a 1e-6 absolute error through near 0.
  std::vector<float> z, t;
  for (float v = -100.0f; v <= 100.0f; v += 0.0137f) z.push_back(v);
  for (float v = 1e-6f; v < 1.0f; v *= 1.7f) z.push_back(v), z.push_back(-v);
  const std::size_t n = z.size();
  t.assign(n, 0.3f);
  std::vector<float> y1(n), y2(n), d1(n), d2(n);
  k::sigmoid(z.data(), y1.data(), n);
  k::ref::sigmoid(z.data(), y2.data(), n);
  check_all_close(y1.data(), y2.data(), n, 1e-37, 1e-6, "sigmoid (relative)");
  const double s1 = k::bce_logits(z.data(), t.data(), d1.data(), n, 1.0f);
  const double s2 = k::ref::bce_logits(z.data(), t.data(), d2.data(), n, 1.0f);
  CHECK(genlab::test::close(s1, s2, 0.0, 1e-6));
  check_all_close(d1.data(), d2.data(), n, 1e-7, 1e-6, "dz (relative)");
  // one element at a time near z = 0, where log1p's argument is near 1 and its series is longest
  for (float v = -2.0f; v <= 2.0f; v += 0.0625f) {
    float zz[1] = {v}, tt[1] = {0.0f}, dd[1];
    const double l = k::bce_logits(zz, tt, dd, 1, 1.0f), l_ref = k::ref::bce_logits(zz, tt, dd, 1, 1.0f);
    CHECK(genlab::test::close(l, l_ref, 0.0, 3e-7));
  }
  // the softplus term alone, where it is tiny: log1p(e^−|z|) for large |z| without cancellation
  for (float v : {20.0f, 40.0f, 80.0f}) {
    float zz[1] = {v}, tt[1] = {1.0f}, dd[1];
    const double l = k::bce_logits(zz, tt, dd, 1, 1.0f);
    CHECK(genlab::test::close(l, std::exp(-static_cast<double>(v)), 0.0, 1e-5));
  }
}

TEST_CASE("activations are correct at extreme inputs") {
  const float x[8] = {-1000.0f, -90.0f, -20.0f, 0.0f, 1e-7f, 20.0f, 90.0f, 1000.0f};
  float y[8];
  k::sigmoid(x, y, 8);
  CHECK(y[0] == 0.0f);
  CHECK(y[3] == 0.5f);
  CHECK(y[7] == 1.0f);
  k::tanh_fwd(x, y, 8);
  CHECK(y[0] == -1.0f);
  CHECK(y[7] == 1.0f);
  k::elu(x, y, 8, 1.0f);
  CHECK(y[0] == -1.0f);
  CHECK(y[7] == 1000.0f);
  for (float v : y) CHECK(std::isfinite(v));
}

TEST_CASE("row-wise bias add and column sums match the scalar twins") {
  Rng rng(3u);
  for (std::size_t rows : {1u, 3u, 8u})
    for (std::size_t cols = 1; cols <= 2 * k::kLanes + 3; ++cols) {
      auto y = genlab::test::random_tensor(rng, rows, cols);
      auto b = genlab::test::random_tensor(rng, 1, cols);
      genlab::Tensor2 y2 = y;
      k::add_bias_rows(y.data(), b.data(), rows, cols);
      k::ref::add_bias_rows(y2.data(), b.data(), rows, cols);
      check_all_close(y.data(), y2.data(), y.size(), kAtol, kRtol, "add_bias_rows");
      genlab::Tensor2 db1 = b, db2 = b;  // pre-filled: col_sum_acc must add
      k::col_sum_acc(y.data(), rows, cols, db1.data());
      k::ref::col_sum_acc(y.data(), rows, cols, db2.data());
      check_all_close(db1.data(), db2.data(), cols, 1e-5, 1e-5, "col_sum_acc");
    }
}

TEST_CASE("optimizer updates match the scalar twins") {
  Rng rng(4u);
  for (std::size_t n0 : lengths()) {
    Data x(rng, n0, -1.0f, 1.0f);
    const std::size_t n = n0;
    auto run = [&](auto simd, auto ref, const char* what) {
      std::vector<float> w1 = x.a, w2 = x.a, s1 = x.c, s2 = x.c, m1 = x.d, m2 = x.d;
      for (int rep = 0; rep < 3; ++rep) {
        simd(w1.data(), s1.data(), m1.data());
        ref(w2.data(), s2.data(), m2.data());
      }
      INFO(what << ", n = " << n);
      check_all_close(w1.data(), w2.data(), n + 1, 1e-6, 1e-5, what);
      check_all_close(s1.data(), s2.data(), n + 1, 1e-6, 1e-5, what);
      check_all_close(m1.data(), m2.data(), n + 1, 1e-6, 1e-5, what);
    };
    const float* g = x.b.data();
    for (bool nesterov : {false, true}) {
      const k::SgdParams p{0.1f, 0.9f, 0.01f, nesterov};
      run([&](float* w, float* s, float*) { k::sgd_update(w, g, s, n, p); },
          [&](float* w, float* s, float*) { k::ref::sgd_update(w, g, s, n, p); }, "sgd");
    }
    for (float mom : {0.0f, 0.5f}) {
      const k::RmspropParams p{0.01f, 0.9f, 1e-7f, mom, 0.001f};
      run([&](float* w, float* s, float* m) { k::rmsprop_update(w, g, s, m, n, p); },
          [&](float* w, float* s, float* m) { k::ref::rmsprop_update(w, g, s, m, n, p); }, "rmsprop");
    }
    for (bool decoupled : {false, true}) {
      const k::AdamParams p{0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 0.01f, decoupled};
      run([&](float* w, float* s, float* m) { k::adam_update(w, g, m, s, n, p); },
          [&](float* w, float* s, float* m) { k::ref::adam_update(w, g, m, s, n, p); }, "adam");
    }
  }
}
