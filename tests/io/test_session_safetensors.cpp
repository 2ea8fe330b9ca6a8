// Session::export_safetensors / import_safetensors: a GenLab export imports into a fresh session
// as the same model (same samples, bit for bit, G's moving average included), a plain file loads
// into the configured model, and every rejected file leaves the running session as it was.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/io/safetensors.hpp"
#include "genlab/session.hpp"
#include "io/import_refused.hpp"
#include "io/tiny_config.hpp"

using namespace genlab;

namespace {

Config tiny(const std::string& model) { return test::tiny_config(model, 2); }  // D judges two points at a time

bool same(const Tensor2& a, const Tensor2& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

// The tensors of an export, re-written with `edit` applied (metadata kept unless told).
std::vector<std::uint8_t> rewrite(const std::vector<std::uint8_t>& file,
                                  void (*edit)(std::vector<io::SafeTensorIn>&, io::Metadata&)) {
  io::SafeTensors t = io::read_safetensors(file.data(), file.size());
  io::Metadata meta;
  for (const auto& kv : t.metadata)
    if (kv.first != io::kCrcKey) meta.push_back(kv);
  edit(t.tensors, meta);
  std::vector<io::SafeTensorOut> out;
  for (const io::SafeTensorIn& x : t.tensors) out.push_back({x.name, x.shape, x.values.data()});
  return io::write_safetensors(out, meta);
}

}  // namespace

TEST_CASE("an export imports as the same model: samples bit for bit, steps, config") {
  for (const char* kind : {"vae", "gan"}) {
    INFO(kind);
    Session a;
    a.configure(tiny(kind));
    a.train(25);
    const std::vector<std::uint8_t> file = a.export_safetensors();
    const io::SafeTensors t = io::read_safetensors(file.data(), file.size());
    CHECK(*t.meta("genlab.step") == "25");
    CHECK(*t.meta("genlab.spec") == a.arch().to_json());
    if (std::string(kind) == "gan") {
      CHECK(t.find("G.0.weight"));
      CHECK(t.find("G_ema.0.weight"));
      CHECK(t.find("G_ema.0.weight")->values != t.find("G.0.weight")->values);  // 25 steps apart
      CHECK(t.find("D.0.weight")->shape == std::vector<std::size_t>{8, 4});   // two points packed
    } else {
      CHECK(t.find("enc.0.weight")->shape == std::vector<std::size_t>{8, 2});
    }
    Session b;
    b.configure(tiny(kind == std::string("vae") ? "gan" : "vae"));  // another model first
    b.import_safetensors(file.data(), file.size());
    CHECK(b.config().model == kind);
    CHECK(b.steps() == 25);
    CHECK(same(b.samples(64), a.samples(64)));
    // F16: the same model to within half precision.
    const std::vector<std::uint8_t> half = a.export_safetensors(true);
    CHECK(half.size() < file.size());
    CHECK(io::read_safetensors(half.data(), half.size()).tensors[0].dtype == io::Dtype::F16);
    Session h;
    h.import_safetensors(half.data(), half.size());
    const Tensor2 sa = a.samples(64), sh = h.samples(64);
    double err = 0;
    for (std::size_t i = 0; i < sa.size(); ++i) err = std::max(err, std::abs(double{sa.data()[i]} - sh.data()[i]));
    CHECK(err > 0);
    CHECK(err < 0.05);
  }
}

TEST_CASE("a file without GenLab metadata loads into the configured model") {
  Session a;
  a.configure(tiny("gan"));
  a.train(10);
  const std::vector<std::uint8_t> plain = rewrite(a.export_safetensors(), [](auto&, io::Metadata& m) { m.clear(); });
  Session fresh;
  CHECK_THROWS_WITH_AS(fresh.import_safetensors(plain.data(), plain.size()),
                       doctest::Contains("configure the model it was trained for"), io::SafetensorsError);
  Session b;
  b.configure(tiny("gan"));
  b.import_safetensors(plain.data(), plain.size());
  CHECK(b.steps() == 0);  // a plain file has no step count
  CHECK(same(b.samples(32), a.samples(32)));
}

TEST_CASE("a rejected import leaves the session as it was") {
  Session a;
  a.configure(tiny("gan"));
  a.train(5);
  const std::vector<std::uint8_t> good = a.export_safetensors();
  test::import_refused(rewrite(good, [](auto& t, auto&) { t.pop_back(); }), "the file has no tensor 'G_ema.");
  test::import_refused(rewrite(good, [](auto& t, auto&) { t.push_back(t.back()), t.back().name = "extra.w"; }),
                         "a tensor 'extra.w' this model does not have");
  test::import_refused(rewrite(good, [](auto& t, auto&) { t[0].shape = {t[0].values.size()}; }),
                         "tensor 'G.0.weight' is ");
  test::import_refused(rewrite(good, [](auto&, io::Metadata& m) {
                           for (auto& kv : m)
                             if (kv.first == "genlab.config") kv.second += "\ng_hidden=9";
                         }),
                         "does not describe the networks of its genlab.config");
  test::import_refused(rewrite(good, [](auto&, io::Metadata& m) {
                           for (auto& kv : m)
                             if (kv.first == "genlab.config") kv.second += "\nbatch=banana";
                         }),
                         "genlab.config entry 'batch=banana'");
  test::import_refused(rewrite(good, [](auto&, io::Metadata& m) {
                           for (auto& kv : m)
                             if (kv.first == "genlab.format") kv.second = "2";
                         }),
                         "this GenLab reads format 1");
  test::import_refused(rewrite(good, [](auto&, io::Metadata& m) {
                           for (auto& kv : m)
                             if (kv.first == "genlab.step") kv.second = "-4";
                         }),
                         "is not a step count");
  std::vector<std::uint8_t> flipped = good;
  flipped[flipped.size() - 3] ^= 0x40;  // a weight's byte
  test::import_refused(flipped, "checksum mismatch");
  flipped = good;
  flipped.resize(flipped.size() - 1);
  test::import_refused(flipped, "truncated");
}

TEST_CASE("a live change of the GAN loss changes how the export says D's output reads") {
  Session a;
  Config c = tiny("gan");
  a.configure(c);
  CHECK(a.arch().head == "probability");
  c.loss = "wgan";
  a.retune(c);
  CHECK(a.arch().head == "score");
  const std::vector<std::uint8_t> file = a.export_safetensors();
  const io::SafeTensors t = io::read_safetensors(file.data(), file.size());
  CHECK(t.meta("genlab.spec")->find("\"head\": \"score\"") != std::string::npos);
  Session b;
  b.import_safetensors(file.data(), file.size());  // its config (loss=wgan) builds that spec
  CHECK(b.config().loss == "wgan");
}

TEST_CASE("PyTorch's integer batch-norm counters in a plain file are passed over") {
  // A plain file as safetensors.torch.save_file(state_dict) writes it: the float tensors, and an
  // int64 "<layer>.num_batches_tracked" beside each batch norm. Built by hand around an export.
  Config c;
  c.model = "vae";
  c.dataset = "moons";
  c.enc_hidden = {8};
  c.dec_hidden = {8};
  c.batch = 16;
  Session a;
  a.configure(c);
  a.train(5);
  const std::vector<std::uint8_t> f32 = a.export_safetensors();
  const io::SafeTensors t = io::read_safetensors(f32.data(), f32.size());
  std::string header = "{";
  std::vector<std::uint8_t> data;
  for (const io::SafeTensorIn& x : t.tensors) {
    const std::size_t at = data.size();
    data.resize(at + 4 * x.values.size());
    std::memcpy(data.data() + at, x.values.data(), 4 * x.values.size());
    std::string shape;
    for (std::size_t d : x.shape) shape += (shape.empty() ? "" : ",") + std::to_string(d);
    header += "\"" + x.name + "\":{\"dtype\":\"F32\",\"shape\":[" + shape + "],\"data_offsets\":[" +
              std::to_string(at) + "," + std::to_string(data.size()) + "]},";
  }
  const auto with_counter = [&](const std::string& name) {
    const std::string h = header + "\"" + name + "\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[" +
                          std::to_string(data.size()) + "," + std::to_string(data.size() + 8) + "]}}";
    std::vector<std::uint8_t> f(8 + h.size());
    for (int k = 0; k < 8; ++k) f[k] = static_cast<std::uint8_t>(h.size() >> (8 * k));
    std::memcpy(f.data() + 8, h.data(), h.size());
    f.insert(f.end(), data.begin(), data.end());
    f.insert(f.end(), {5, 0, 0, 0, 0, 0, 0, 0});
    return f;
  };
  Session b;
  b.configure(c);
  const std::vector<std::uint8_t> ok = with_counter("enc.1.num_batches_tracked");
  b.import_safetensors(ok.data(), ok.size());
  CHECK(same(b.samples(16), a.samples(16)));
  // Any other integer tensor is one the model does not have.
  const std::vector<std::uint8_t> bad = with_counter("enc.1.steps");
  CHECK_THROWS_WITH(b.import_safetensors(bad.data(), bad.size()), doctest::Contains("'enc.1.steps' this model does not have"));
}

TEST_CASE("every truncation and every flipped byte of an export is refused, the session unchanged") {
  Config c;
  c.model = "gan";
  c.dataset = "moons";
  c.g_hidden = {4};
  c.d_hidden = {4};
  c.noise = 2;
  c.batch = 16;
  Session a;
  a.configure(c);
  a.train(3);
  const std::vector<std::uint8_t> good = a.export_safetensors();
  Session b;
  b.configure(tiny("vae"));
  b.train(2);
  const Tensor2 keep = b.samples(8);
  int accepted = 0;
  for (std::size_t n = 0; n < good.size(); ++n) {
    try {
      b.import_safetensors(good.data(), n);
      ++accepted;
    } catch (const io::SafetensorsError&) {
    }
  }
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::vector<std::uint8_t> f = good;
    f[i] ^= 0x04;
    try {
      b.import_safetensors(f.data(), f.size());
      ++accepted;
    } catch (const io::SafetensorsError&) {
    }
  }
  CHECK(accepted == 0);
  CHECK(b.config().model == "vae");
  CHECK(b.steps() == 2);
  CHECK(same(b.samples(8), keep));
  INFO(good.size() << " bytes");
  CHECK(good.size() > 1000);
}

TEST_CASE("training points for train.py: draws of the 2-D set with their components") {
  Config c = tiny("vae");
  c.dataset = "ring8";
  Session s;
  s.configure(c);
  const std::vector<std::uint8_t> f = s.export_training_points(400);
  const io::SafeTensors t = io::read_safetensors(f.data(), f.size());
  REQUIRE(t.find("x"));
  REQUIRE(t.find("y"));
  CHECK(t.find("x")->shape == std::vector<std::size_t>{400, 2});
  std::vector<int> seen(8, 0);
  for (std::size_t i = 0; i < 400; ++i) {
    const float y = t.find("y")->values[i];
    REQUIRE((y >= 0 && y <= 7 && y == std::floor(y)));
    ++seen[static_cast<std::size_t>(y)];
    // Each point lies near its component's mean on the unit circle (σ 0.01, PacGAN's ring8).
    const double a = 2 * 3.14159265358979323846 * y / 8, px = t.find("x")->values[2 * i], py = t.find("x")->values[2 * i + 1];
    CHECK(std::hypot(px - std::cos(a), py - std::sin(a)) < 0.1);
  }
  for (int k = 0; k < 8; ++k) CHECK(seen[k] > 20);
  CHECK(s.export_training_points(400) == f);  // the seed's stream: the same draws each time
  CHECK_THROWS_AS(s.export_training_points(0), std::invalid_argument);
}
