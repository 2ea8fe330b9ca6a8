// Does a file fit the model at hand: check_tensors_match, and the bridges to ParamStore,
// optimizers and Config that a session uses to save and load.
#include <doctest/doctest.h>

#include "genlab/io/model_tensors.hpp"
#include "io/model_file_samples.hpp"
#include "io/model_file_testing.hpp"

using namespace genlab;
using namespace genlab::test;

namespace {

// Expects check_tensors_match to throw a ModelFileError with exactly `message`.
void mismatch(const io::ModelFile& f, const std::vector<io::TensorSpec>& expected, const std::string& message) {
  try {
    io::check_tensors_match(f, expected);
    FAIL_CHECK("accepted, expected: " << message);
  } catch (const io::ModelFileError& e) {
    CHECK(std::string(e.what()) == message);
  }
}

// A small two-layer store with deterministic values.
void declare_mlp(ParamStore& s, std::size_t hidden) {
  s.declare("enc.0.W", {hidden, 2});
  s.declare("enc.0.b", {hidden});
  s.declare("enc.2.W", {1, hidden});
  s.finalize();
  for (std::size_t i = 0; i < s.size(); ++i) s.values()(i) = 0.01f * static_cast<float>(i) - 0.2f;
}

}  // namespace

TEST_CASE("check_tensors_match: names the first missing, mis-shaped or extra tensor") {
  const io::ModelFile f = sample_gan();
  std::vector<io::TensorSpec> want;
  for (const io::NamedTensor& t : f.tensors) want.emplace_back(t.name, t.shape);
  CHECK_NOTHROW(io::check_tensors_match(f, want));

  std::vector<io::TensorSpec> w = want;
  w[2].second = {400, 784};
  mismatch(f, w, "tensor 'G.2.W' has 2×4 values, the config needs 400×784");
  w = want;
  w[0].second = {4, 2, 1};
  mismatch(f, w, "tensor 'G.0.W' has 4×2 values, the config needs 4×2×1");
  w = want;
  w.insert(w.begin() + 3, {"G.4.W", {2, 2}});
  mismatch(f, w, "the model file has no tensor 'G.4.W' (the config needs 2×2)");
  w = want;
  w.erase(w.begin() + 5);
  mismatch(f, w, "the model file has a tensor 'D.0.b' (4) that the config does not use");
  // Order does not matter; missing tensors are reported before extra ones.
  w = want;
  std::swap(w[0], w[7]);
  CHECK_NOTHROW(io::check_tensors_match(f, w));
  w = want;
  w[0].first = "G.0.Wx";
  mismatch(f, w, "the model file has no tensor 'G.0.Wx' (the config needs 4×2)");
}

TEST_CASE("model tensors: parameters go out and come back exactly") {
  ParamStore a;
  declare_mlp(a, 3);
  io::ModelFile f;
  f.kind = "vae";
  io::add_params(f, a);
  REQUIRE(f.tensors.size() == 3);
  CHECK(f.tensors[0].name == "enc.0.W");
  CHECK(f.tensors[0].shape == std::vector<std::uint32_t>{3, 2});
  CHECK(f.tensors[1].shape == std::vector<std::uint32_t>{3});
  CHECK(f.tensors[2].values.size() == 3);
  const io::ModelFile back = io::read_model_file(io::write_model_file(f));
  CHECK_NOTHROW(io::check_tensors_match(back, io::param_specs(a)));

  ParamStore b;
  declare_mlp(b, 3);
  b.values().fill(0.0f);
  io::load_params(back, b);
  for (std::size_t id = 0; id < a.count(); ++id)
    for (std::size_t i = 0; i < a.entry(id).size; ++i) CHECK(b.value(id)[i] == a.value(id)[i]);
}

TEST_CASE("model tensors: a file for another model leaves the store untouched") {
  ParamStore a;
  declare_mlp(a, 3);
  io::ModelFile f;
  f.kind = "vae";
  io::add_params(f, a);
  ParamStore other;
  declare_mlp(other, 4);
  other.values().fill(7.0f);
  mismatch(f, io::param_specs(other), "tensor 'enc.0.W' has 3×2 values, the config needs 4×2");
  CHECK_THROWS_AS(io::load_params(f, other), io::ModelFileError);
  for (std::size_t i = 0; i < other.size(); ++i) CHECK(other.values()(i) == 7.0f);
}

TEST_CASE("model tensors: optimizer state resumes training exactly") {
  for (const auto kind : {optim::Kind::Adam, optim::Kind::RMSprop, optim::Kind::SGD}) {
    CAPTURE(optim::kind_name(kind));
    optim::OptimConfig oc;
    oc.kind = kind;
    oc.lr = 0.05f;
    oc.momentum = 0.9f;
    auto grads = [](ParamStore& s, int t) {
      for (std::size_t i = 0; i < s.size(); ++i) s.grads()(i) = 0.1f * static_cast<float>((static_cast<int>(i) + t) % 7 - 3);
    };
    ParamStore a;
    declare_mlp(a, 3);
    auto opt_a = optim::make_optimizer(oc);
    io::ModelFile fresh;
    fresh.kind = "vae";
    io::add_optimizer_state(fresh, *opt_a, "opt", a.size());  // not stepped yet: zeros
    REQUIRE(fresh.tensors.size() == opt_a->state().size());
    CHECK(fresh.tensors[0].name == "opt.0");
    CHECK(fresh.tensors[0].shape == std::vector<std::uint32_t>{static_cast<std::uint32_t>(a.size())});
    for (float v : fresh.tensors[0].values) CHECK(v == 0.0f);

    for (int t = 0; t < 3; ++t) {
      grads(a, t);
      opt_a->step(a);
    }
    io::ModelFile f;
    f.kind = "vae";
    io::add_params(f, a);
    io::add_optimizer_state(f, *opt_a, "opt", a.size());
    const io::ModelFile back = io::read_model_file(io::write_model_file(f));
    std::vector<io::TensorSpec> specs = io::param_specs(a);
    for (const io::TensorSpec& s : io::optimizer_specs(*opt_a, "opt", a.size())) specs.push_back(s);
    CHECK_NOTHROW(io::check_tensors_match(back, specs));

    ParamStore b;
    declare_mlp(b, 3);
    auto opt_b = optim::make_optimizer(oc);
    io::load_params(back, b);
    io::load_optimizer_state(back, *opt_b, "opt", b.size());
    opt_b->set_steps(opt_a->steps());
    grads(a, 3);
    grads(b, 3);
    opt_a->step(a);
    opt_b->step(b);
    // Compare the tensors, not the store's alignment padding (which no file carries).
    std::size_t differ = 0;
    for (std::size_t id = 0; id < a.count(); ++id)
      for (std::size_t i = 0; i < a.entry(id).size; ++i) differ += a.value(id)[i] != b.value(id)[i];
    CHECK(differ == 0);
  }
}

TEST_CASE("model tensors: optimizer state of the wrong size is rejected") {
  ParamStore a;
  declare_mlp(a, 3);
  optim::OptimConfig oc;
  auto opt = optim::make_optimizer(oc);
  io::ModelFile f;
  f.kind = "vae";
  io::add_optimizer_state(f, *opt, "opt.G", a.size());
  CHECK(f.tensors[1].name == "opt.G.1");
  try {
    io::load_optimizer_state(f, *opt, "opt.G", a.size() + 16);
    FAIL_CHECK("accepted");
  } catch (const io::ModelFileError& e) {
    CHECK(std::string(e.what()) == "tensor 'opt.G.0' has " + std::to_string(a.size()) + " values, the config needs " +
                                       std::to_string(a.size() + 16));
  }
  CHECK(opt->state()[0]->size() == 0);
}

TEST_CASE("model tensors: every preset's config fits a model file and comes back") {
  CHECK(schema().size() <= io::kMaxConfigEntries);
  for (const std::string& name : preset_names()) {
    CAPTURE(name);
    const Config c = preset(name);
    io::ModelFile f;
    f.kind = c.model;
    f.config = changed_assignments(c);
    const io::ModelFile back = io::read_model_file(io::write_model_file(f));
    CHECK(to_json(io::config_of(back)) == to_json(c));
  }
}

TEST_CASE("model tensors: config_of names a bad entry") {
  io::ModelFile f;
  f.kind = "vae";
  f.config = {"latent=2", "lr=fast"};
  try {
    io::config_of(f);
    FAIL_CHECK("accepted");
  } catch (const io::ModelFileError& e) {
    CHECK(std::string(e.what()).rfind("model file config entry 'lr=fast': lr", 0) == 0);
  }
  f.config = {"no_such_key=1"};
  CHECK_THROWS_AS(io::config_of(f), io::ModelFileError);
  f.config = {"model=gan"};
  try {
    io::config_of(f);
    FAIL_CHECK("accepted");
  } catch (const io::ModelFileError& e) {
    CHECK(std::string(e.what()) == "model file of kind 'vae' has a config for model 'gan'");
  }
  f.kind = "gan";
  CHECK(io::config_of(f).model == "gan");
}
