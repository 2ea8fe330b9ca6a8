// Compact checkpoints (io/quantize.hpp, Session::export_checkpoint): weight matrices as bytes with
// a scale per row, G set from its moving average. Rounding stays within half a step of every
// weight, a compact file imports as exactly the rounded model, and every malformed variant is
// refused with the session unchanged.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/io/quantize.hpp"
#include "genlab/io/safetensors.hpp"
#include "genlab/session.hpp"
#include "io/import_refused.hpp"
#include "io/tiny_config.hpp"

using namespace genlab;

namespace {

// Networks wide enough (48×48 hidden matrices, 2,304 values) for their middle weights to be
// quantized; the first and last layers are smaller and stay float16.
Config wide(const std::string& model) {
  Config c = test::tiny_config(model);
  c.enc_hidden = c.dec_hidden = c.g_hidden = c.d_hidden = {48, 48};
  return c;
}

bool same(const Tensor2& a, const Tensor2& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

// The file's tensors and metadata (CRC aside) re-written after `edit`; I8 tensors stay I8.
template <class Edit>
std::vector<std::uint8_t> rewrite(const std::vector<std::uint8_t>& file, Edit edit) {
  io::SafeTensors t = io::read_safetensors(file.data(), file.size());
  io::Metadata meta;
  for (const auto& kv : t.metadata)
    if (kv.first != io::kCrcKey) meta.push_back(kv);
  edit(t.tensors, meta);
  std::vector<std::vector<std::int8_t>> bytes;
  bytes.reserve(t.tensors.size());
  std::vector<io::SafeTensorOut> out;
  for (const io::SafeTensorIn& x : t.tensors) {
    if (x.dtype == io::Dtype::I8) {
      bytes.emplace_back(x.values.begin(), x.values.end());
      out.push_back({x.name, x.shape, nullptr, bytes.back().data()});
    } else {
      out.push_back({x.name, x.shape, x.values.data(), nullptr, x.dtype == io::Dtype::F32});
    }
  }
  return io::write_safetensors(out, meta, io::Dtype::F16);
}

io::SafeTensorIn* find(std::vector<io::SafeTensorIn>& ts, const std::string& name) {
  for (io::SafeTensorIn& t : ts)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace

TEST_CASE("quantize_rows: each row's largest weight sets its step; every value within half a step") {
  const std::vector<float> w = {0.5f, -1.0f, 0.25f, 0.0f,     // row 0: step 1/7 at 4 bits
                                0.001f, 0.002f, -0.003f, 0.0f,  // row 1: small weights keep their precision
                                0.0f, 0.0f, 0.0f, 0.0f};        // row 2: zeros
  for (int bits : {2, 4, 8}) {
    INFO(bits);
    const io::RowQuantized q = io::quantize_rows(w.data(), 3, 4, bits);
    const float levels = static_cast<float>((1 << (bits - 1)) - 1);
    CHECK(q.scale[0] == doctest::Approx(1.0f / levels));
    CHECK(q.scale[1] == doctest::Approx(0.003f / levels));
    CHECK(q.scale[2] == 1.0f);
    for (std::size_t i = 0; i < w.size(); ++i) {
      CHECK(std::abs(q.q[i]) <= levels);
      CHECK(std::fabs(q.q[i] * q.scale[i / 4] - w[i]) <= q.scale[i / 4] / 2 * 1.0001f);
    }
    CHECK(q.q[1] == -levels);  // the largest magnitude maps to the last level
    CHECK(q.q[6] == -levels);
  }
  CHECK_THROWS_AS(io::quantize_rows(w.data(), 3, 4, 1), std::invalid_argument);
  CHECK_THROWS_AS(io::quantize_rows(w.data(), 3, 4, 9), std::invalid_argument);
}

TEST_CASE("a compact GAN checkpoint: I8 matrices with row scales, G left out, imports as the rounded model") {
  Session a;
  a.configure(wide("gan"));
  a.train(30);
  const std::vector<std::uint8_t> file = a.export_checkpoint(4, {{"D", 3}});
  const io::SafeTensors t = io::read_safetensors(file.data(), file.size());
  CHECK(*t.meta(io::kQuantKey) == io::kQuantRows);
  CHECK(*t.meta("genlab.g_from_ema") == "1");
  CHECK(!t.find("G.2.weight"));  // G's trained tensors come from G_ema
  REQUIRE(t.find("G_ema.2.weight"));
  CHECK(t.find("G_ema.2.weight")->dtype == io::Dtype::I8);
  CHECK(t.find("G_ema.2.weight.scale")->dtype == io::Dtype::F32);
  CHECK(t.find("G_ema.0.weight")->dtype == io::Dtype::F16);  // 48×2: too small to be worth it
  float gmax = 0, dmax = 0;
  for (float v : t.find("G_ema.2.weight")->values) gmax = std::max(gmax, std::fabs(v));
  for (float v : t.find("D.2.weight")->values) dmax = std::max(dmax, std::fabs(v));
  CHECK(gmax == 7.0f);  // 4 bits: ±7
  CHECK(dmax == 3.0f);  // D's own 3 bits: ±3
  const std::vector<std::uint8_t> full = a.export_safetensors();
  CHECK(file.size() * 3 < full.size());

  Session b;
  b.configure(wide("vae"));
  b.import_safetensors(file.data(), file.size());
  CHECK(b.config().model == "gan");
  CHECK(b.steps() == 30);
  // Its weights are the file's, scaled back; G's equal G_ema's.
  io::SafeTensors e = io::read_safetensors(file.data(), file.size());
  io::dequantize(e);
  const io::SafeTensors back = [&] {
    const std::vector<std::uint8_t> x = b.export_safetensors();
    return io::read_safetensors(x.data(), x.size());
  }();
  for (const io::SafeTensorIn& x : back.tensors) {
    INFO(x.name);
    const std::string src = x.name.rfind("G.", 0) == 0 ? "G_ema." + x.name.substr(2) : x.name;
    REQUIRE(e.find(src));
    CHECK(x.values == e.find(src)->values);
  }
  // And close to the trained model: within half a step of each row.
  const io::SafeTensors orig = io::read_safetensors(full.data(), full.size());
  const io::SafeTensorIn& w = *orig.find("G_ema.2.weight");
  const io::SafeTensorIn& s = *t.find("G_ema.2.weight.scale");
  const std::vector<float>& v = e.find("G_ema.2.weight")->values;
  for (std::size_t i = 0; i < v.size(); ++i) CHECK(std::fabs(v[i] - w.values[i]) <= s.values[i / 48] / 2 * 1.0001f);
  // Training goes on from it.
  CHECK(b.train(20).finite);
  CHECK(b.steps() == 50);
}

TEST_CASE("a compact VAE checkpoint, its decoder in more bits, imports; 16 bits is the plain float16 export") {
  Session a;
  a.configure(wide("vae"));
  a.train(20);
  const std::vector<std::uint8_t> file = a.export_checkpoint(6, {{"dec", 8}});  // the decoder finer
  const io::SafeTensors t = io::read_safetensors(file.data(), file.size());
  CHECK(t.find("enc.2.weight")->dtype == io::Dtype::I8);
  CHECK(t.find("dec.2.weight")->dtype == io::Dtype::I8);
  float emax = 0, dmax = 0;
  for (float v : t.find("enc.2.weight")->values) emax = std::max(emax, std::fabs(v));
  for (float v : t.find("dec.2.weight")->values) dmax = std::max(dmax, std::fabs(v));
  CHECK(emax == 31.0f);
  CHECK(dmax == 127.0f);
  CHECK(!t.meta("genlab.g_from_ema"));
  Session b;
  b.import_safetensors(file.data(), file.size());
  CHECK(b.steps() == 20);
  CHECK(a.export_checkpoint(16) == a.export_safetensors(true));
  CHECK_THROWS_AS(a.export_checkpoint(9), std::invalid_argument);
  CHECK_THROWS_AS(a.export_checkpoint(1), std::invalid_argument);
  CHECK_THROWS_WITH_AS(a.export_checkpoint(4, {{"X", 3}}), doctest::Contains("no network 'X'"), std::invalid_argument);
}

TEST_CASE("malformed compact checkpoints are refused, the session unchanged") {
  Session a;
  a.configure(wide("gan"));
  a.train(10);
  const std::vector<std::uint8_t> file = a.export_checkpoint(4);
  using Ts = std::vector<io::SafeTensorIn>;
  SUBCASE("a scale missing") {
    test::import_refused(rewrite(file, [](Ts& ts, io::Metadata&) {
      ts.erase(std::remove_if(ts.begin(), ts.end(), [](const io::SafeTensorIn& x) { return x.name == "D.2.weight.scale"; }), ts.end());
    }), "has no 'D.2.weight.scale'");
  }
  SUBCASE("scales of the wrong length") {
    test::import_refused(rewrite(file, [](Ts& ts, io::Metadata&) {
      io::SafeTensorIn* s = find(ts, "D.2.weight.scale");
      s->values.pop_back();
      s->shape = {s->values.size()};
    }), "one scale per row");
  }
  SUBCASE("a scale of zero or below") {
    test::import_refused(rewrite(file, [](Ts& ts, io::Metadata&) { find(ts, "D.2.weight.scale")->values[3] = -0.5f; }),
                            "not positive");
    test::import_refused(rewrite(file, [](Ts& ts, io::Metadata&) { find(ts, "D.2.weight.scale")->values[0] = 0.0f; }),
                            "not positive");
  }
  SUBCASE("scales of nothing quantized") {
    test::import_refused(rewrite(file, [](Ts& ts, io::Metadata&) { find(ts, "D.2.weight.scale")->name = "D.2.bias.scale"; }),
                            "scales no quantized");
  }
  SUBCASE("another scheme, or I8 weights in a file that does not say how to read them") {
    test::import_refused(rewrite(file, [](Ts&, io::Metadata& m) {
      for (auto& kv : m)
        if (kv.first == io::kQuantKey) kv.second = "int4-blocks";
    }), "this GenLab reads 'int8-rows'");
    test::import_refused(rewrite(file, [](Ts& ts, io::Metadata& m) {
      m.erase(std::remove_if(m.begin(), m.end(), [](const auto& kv) { return kv.first == io::kQuantKey; }), m.end());
      ts.erase(std::remove_if(ts.begin(), ts.end(), [](const io::SafeTensorIn& x) { return x.name.find(".scale") != std::string::npos; }), ts.end());
    }), "holds integers");
  }
  SUBCASE("G both left out and present, or a wrong g_from_ema") {
    test::import_refused(rewrite(file, [](Ts& ts, io::Metadata&) {
      io::SafeTensorIn g = *find(ts, "G_ema.0.bias");
      g.name = "G.0.bias";
      ts.push_back(g);
    }), "yet it holds 'G.0.bias'");
    test::import_refused(rewrite(file, [](Ts&, io::Metadata& m) {
      for (auto& kv : m)
        if (kv.first == "genlab.g_from_ema") kv.second = "yes";
    }), "g_from_ema is 'yes'");
    test::import_refused(rewrite(file, [](Ts&, io::Metadata& m) {
      m.erase(std::remove_if(m.begin(), m.end(), [](const auto& kv) { return kv.first == "genlab.g_from_ema"; }), m.end());
    }), "the file has no tensor 'G.0.weight'");
  }
  SUBCASE("the untouched file is accepted (the rewrite itself changes nothing)") {
    Session b;
    b.import_safetensors(file.data(), file.size());
    const std::vector<std::uint8_t> same_file = rewrite(file, [](Ts&, io::Metadata&) {});
    Session c;
    c.import_safetensors(same_file.data(), same_file.size());
    CHECK(same(b.samples(16), c.samples(16)));
  }
}

TEST_CASE("every truncation and every flipped byte of a compact checkpoint is refused") {
  Session a;
  a.configure(wide("gan"));
  a.train(5);
  const std::vector<std::uint8_t> file = a.export_checkpoint(3);
  Session b;
  b.configure(test::tiny_config("vae"));
  b.train(2);
  const Tensor2 keep = b.samples(4);
  std::size_t accepted = 0;
  for (std::size_t n = 0; n < file.size(); n += 1 + n / 64) {  // ~ every length in the header, sampled in the data
    try {
      b.import_safetensors(file.data(), n);
      ++accepted;
    } catch (const std::exception&) {
    }
  }
  std::vector<std::uint8_t> flipped = file;
  for (std::size_t i = 0; i < file.size(); i += 1 + i / 512) {
    flipped[i] ^= 0x10;
    try {
      b.import_safetensors(flipped.data(), flipped.size());
      ++accepted;
    } catch (const std::exception&) {
    }
    flipped[i] = file[i];
  }
  CHECK(accepted == 0);
  CHECK(b.config().model == "vae");
  CHECK(same(b.samples(4), keep));
}
