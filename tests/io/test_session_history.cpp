// The model file carries what the page shows of a run (issue 14 item 10): the loss history (its
// points, values and span) and the epochs of data seen. A load puts both back exactly, training
// goes on from them, older files without them load with none, and a file whose history or epoch
// is wrong is rejected naming the tensor while the running session is kept.
#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/io/model_file.hpp"
#include "genlab/session.hpp"
#include "alloc_probe.hpp"
#include "support/fake_images.hpp"
#include "support/testutil.hpp"

using namespace genlab;

namespace {

// 200 + 50 labelled 10×10 images in place of mnist10.
void give_images(Session& s) { s.provide_images("mnist10", test::fake_images(200, 10, 1), test::fake_images(50, 10, 2)); }

Config image_vae() {
  Config c;
  c.model = "vae";
  c.dataset = "mnist10";
  c.enc_hidden = {16};
  c.dec_hidden = {16};
  c.batch = 20;  // 10 steps an epoch
  return c;
}

Config moons_gan() {
  Config c;
  c.model = "gan";
  c.dataset = "moons";
  c.g_hidden = {8};
  c.d_hidden = {8};
  c.batch = 16;
  return c;
}

bool same_history(const History& a, const History& b) {
  return a.channels == b.channels && a.steps == b.steps && a.values == b.values;
}

const io::NamedTensor* named(const io::ModelFile& f, const std::string& name) {
  for (const auto& t : f.tensors)
    if (t.name == name) return &t;
  return nullptr;
}

io::ModelFile without(io::ModelFile f, const std::vector<std::string>& names) {
  f.tensors.erase(std::remove_if(f.tensors.begin(), f.tensors.end(),
                                 [&](const io::NamedTensor& t) {
                                   return std::find(names.begin(), names.end(), t.name) != names.end();
                                 }),
                  f.tensors.end());
  return f;
}

// `file` is refused with a message naming `part`; the session that tried it is as it was.
void refused(const io::ModelFile& f, const std::string& part) {
  const std::vector<std::uint8_t> file = io::write_model_file(f);
  Session b;
  give_images(b);
  b.configure(image_vae());
  b.train(7);
  const History keep = b.history();
  const double epoch = b.epoch();
  try {
    b.load_model(file.data(), file.size());
    FAIL_CHECK("accepted a file with a wrong history or epoch (expected: " << part << ")");
  } catch (const io::ModelFileError& e) {
    CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos, "\"" << e.what() << "\" lacks \"" << part << "\"");
  }
  CHECK(b.steps() == 7);
  CHECK(b.epoch() == epoch);
  CHECK(same_history(b.history(), keep));
}

}  // namespace

TEST_CASE("a loaded model brings its loss history and epoch, and training goes on from them") {
  Session a;
  give_images(a);
  a.configure(image_vae());
  a.train(35);
  REQUIRE(a.history().size() == 35);
  CHECK(a.epoch() == doctest::Approx(3.5));
  const std::vector<std::uint8_t> file = a.save_model();

  Session b;
  give_images(b);
  b.load_model(file.data(), file.size());
  CHECK(b.steps() == 35);
  CHECK(same_history(b.history(), a.history()));
  CHECK(b.epoch() == doctest::Approx(3.5));
  // Written again, the loaded run is the same file byte for byte.
  CHECK(b.save_model() == file);

  // Five more steps: five more points after the kept ones, and half an epoch more.
  b.train(5);
  REQUIRE(b.history().size() == 40);
  CHECK(std::equal(a.history().steps.begin(), a.history().steps.end(), b.history().steps.begin()));
  CHECK(b.history().steps.back() == 40);
  CHECK(b.epoch() == doctest::Approx(4.0));
  CHECK(b.evaluate().at("epoch") == doctest::Approx(4.0));
}

TEST_CASE("a thinned history keeps its span across a load: points go on at the same spacing") {
  Session a;
  a.configure(moons_gan());
  a.train(static_cast<int>(Session::kHistoryCapacity) + 10);  // one halving: span 2
  const std::size_t points = a.history().size();
  REQUIRE(points < Session::kHistoryCapacity);
  const std::vector<std::uint8_t> file = a.save_model();
  CHECK(named(io::read_model_file(file), "history.span")->values[0] == 2.0f);
  CHECK(named(io::read_model_file(file), "data.epochs") == nullptr);  // analytic data has no epochs
  Session b;
  b.load_model(file.data(), file.size());
  CHECK(same_history(b.history(), a.history()));
  // The step sequence of the next points matches the original run's (the data stream restarts on
  // load, so the values differ; the spacing must not).
  a.train(40);
  b.train(40);
  CHECK(a.history().steps == b.history().steps);
}

TEST_CASE("a file without history or epoch (an older save) loads with none and counts from there") {
  Session a;
  give_images(a);
  a.configure(image_vae());
  a.train(12);
  const io::ModelFile f = io::read_model_file(a.save_model());
  REQUIRE(named(f, "history.steps") != nullptr);
  REQUIRE(named(f, "data.epochs") != nullptr);
  const std::vector<std::uint8_t> old =
      io::write_model_file(without(f, {"history.steps", "history.values", "history.span", "data.epochs"}));
  Session b;
  give_images(b);
  b.load_model(old.data(), old.size());
  CHECK(b.steps() == 12);
  CHECK(b.history().size() == 0);
  CHECK(b.epoch() == 0);
  b.train(3);
  CHECK(b.history().size() == 3);
  CHECK(b.history().steps.front() == 13);
  CHECK(b.epoch() == doctest::Approx(0.3));
}

TEST_CASE("a wrong history or epoch in a model file is refused by name and the session is kept") {
  Session a;
  give_images(a);
  a.configure(image_vae());
  a.train(12);
  const io::ModelFile f = io::read_model_file(a.save_model());
  // Control: the file as saved loads.
  {
    const std::vector<std::uint8_t> bytes = io::write_model_file(f);
    Session b;
    give_images(b);
    REQUIRE_NOTHROW(b.load_model(bytes.data(), bytes.size()));
  }
  auto with = [&](const std::string& name, auto change) {
    io::ModelFile g = f;
    for (auto& t : g.tensors)
      if (t.name == name) change(t);
    return g;
  };
  refused(with("history.span", [](io::NamedTensor& t) { t.values[0] = 3; }), "history.span");
  refused(with("history.span", [](io::NamedTensor& t) { t.values[0] = 0.5f; }), "history.span");
  refused(with("history.steps", [](io::NamedTensor& t) { std::swap(t.values[2], t.values[5]); }), "history.steps");
  refused(with("history.steps", [](io::NamedTensor& t) { t.values.back() = 500; }), "history.steps");
  refused(with("history.steps", [](io::NamedTensor& t) { t.values[0] = -1; }), "history.steps");
  refused(with("history.values", [](io::NamedTensor& t) {
            t.shape[1] += 1;
            t.values.resize(t.shape[0] * t.shape[1], 0.f);
          }),
          "history.values");
  refused(with("history.steps", [](io::NamedTensor& t) { t.shape = {1, t.shape[0]}; }), "history.steps");
  refused(with("data.epochs", [](io::NamedTensor& t) { t.values[0] = -2; }), "data.epochs");
  refused(with("data.epochs", [](io::NamedTensor& t) {
            t.shape = {2};
            t.values.push_back(1);
          }),
          "data.epochs");
  // Half a history: the values or the span without the steps, and the steps without the values.
  refused(without(f, {"history.steps"}), "history.steps");
  refused(without(f, {"history.values"}), "history.values");
  refused(without(f, {"history.span"}), "history.span");
  // An epoch count on analytic 2-D data, where there are no epochs, is a tensor the model does not use.
  Session g;
  g.configure(moons_gan());
  g.train(4);
  io::ModelFile h = io::read_model_file(g.save_model());
  h.tensors.push_back({"data.epochs", {1}, {2.0f}});
  const std::vector<std::uint8_t> bytes = io::write_model_file(h);
  Session b;
  CHECK_THROWS_WITH_AS(b.load_model(bytes.data(), bytes.size()), doctest::Contains("data.epochs"), io::ModelFileError);
}

TEST_CASE("session: checkpoints and saves into a kept buffer allocate no copy of the model") {
  // The page saves every few seconds and the core checkpoints every 200 steps; fresh buffers of the
  // model's size each time grew the wasm heap in 20 % steps when the allocator's holes fell short.
  Session s;
  give_images(s);
  Config c = image_vae();
  c.enc_hidden = {64};
  c.dec_hidden = {64};
  s.configure(c);
  s.train(3);
  std::vector<std::uint8_t> kept;
  s.save_model(kept);
  const std::size_t model_bytes = kept.size();
  REQUIRE(model_bytes > 100'000);
  const std::uint8_t* at = kept.data();
  for (int round = 0; round < 3; ++round) {
    s.train(Session::kCheckpointEvery);  // history grows and a core checkpoint is taken in place
    test::AllocProbe probe;
    s.save_model(kept);
    CHECK(s.checkpoint());
    CHECK_MESSAGE(probe.largest() < model_bytes / 10, "largest request " << probe.largest() << " of a " << model_bytes << " byte model");
    CHECK(kept.data() == at);
  }
  CHECK(kept == s.save_model());
  Session back;
  give_images(back);
  back.load_model(kept.data(), kept.size());
  CHECK(same_history(back.history(), s.history()));
}
