// Session::load_model judges the tensor list of a well-formed file: a file with one tensor more
// than the model has (or one less) is rejected naming it, and the running session is kept. The
// files are real saves, re-written through the model file writer with the list changed.
#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/io/model_file.hpp"
#include "genlab/session.hpp"
#include "io/tiny_config.hpp"
#include "io/alloc_probe.hpp"

using namespace genlab;

namespace {

Config tiny(const std::string& model) { return test::tiny_config(model); }

// Loads `file` into a session holding another trained model; expects a ModelFileError whose
// message contains `part`, and the session exactly as it was.
void rejected_keeps_session(const std::vector<std::uint8_t>& file, const std::string& part) {
  Session b;
  b.configure(tiny("vae"));
  b.train(3);
  const Tensor2 keep = b.samples(8);
  try {
    b.load_model(file.data(), file.size());
    FAIL_CHECK("accepted a file whose tensors do not fit (expected: " << part << ")");
  } catch (const io::ModelFileError& e) {
    CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos,
                  "\"" << e.what() << "\" lacks \"" << part << "\"");
  }
  CHECK(b.steps() == 3);
  CHECK(b.config().model == "vae");
  const Tensor2 now = b.samples(8);
  CHECK(std::equal(now.begin(), now.end(), keep.begin(), keep.end()));
}

}  // namespace

TEST_CASE("a model file with an extra tensor is rejected by Session::load_model") {
  for (const char* model : {"vae", "gan"}) {
    INFO(model);
    Session a;
    a.configure(tiny(model));
    a.train(4);
    const io::ModelFile f = io::read_model_file(a.save_model());
    // Control: the same file written again loads (so the rejection below is about the tensor).
    {
      const std::vector<std::uint8_t> same = io::write_model_file(f);
      Session b;
      REQUIRE_NOTHROW(b.load_model(same.data(), same.size()));
      CHECK(b.steps() == 4);
    }
    io::ModelFile extra = f;
    extra.tensors.push_back({"stray.0.W", {2, 3}, {1, 2, 3, 4, 5, 6}});
    rejected_keeps_session(io::write_model_file(extra), "stray.0.W");
    // An extra copy of a real tensor under a name the model does not have.
    io::ModelFile renamed = f;
    io::NamedTensor copy = f.tensors.front();
    copy.name += ".bak";
    renamed.tensors.push_back(copy);
    rejected_keeps_session(io::write_model_file(renamed), copy.name);
    // And the other direction: one of the model's tensors missing.
    io::ModelFile missing = f;
    const std::string gone = missing.tensors.back().name;
    missing.tensors.pop_back();
    rejected_keeps_session(io::write_model_file(missing), gone);
  }
}

// Sets key=value in a file's config entries (replacing an entry of that key).
static void set_entry(io::ModelFile& f, const std::string& key, const std::string& value) {
  f.config.erase(std::remove_if(f.config.begin(), f.config.end(),
                                [&](const std::string& e) { return e.rfind(key + "=", 0) == 0; }),
                 f.config.end());
  f.config.push_back(key + "=" + value);
}

TEST_CASE("a small file whose config asks for huge networks is rejected before anything is allocated") {
  // Issue 19: a 420 KB file asking for 3000-wide layers grew the wasm heap 32 → 146 MiB, then failed.
  for (const char* model : {"vae", "gan"}) {
    INFO(model);
    Session a;
    a.configure(tiny(model));
    a.train(2);
    io::ModelFile f = io::read_model_file(a.save_model());
    const bool vae = std::string(model) == "vae";
    set_entry(f, vae ? "enc_hidden" : "g_hidden", "3000,3000");
    set_entry(f, vae ? "dec_hidden" : "d_hidden", "3000,3000");
    const std::vector<std::uint8_t> bytes = io::write_model_file(f);
    rejected_keeps_session(bytes, "but its config's networks have");
    Session b;
    test::AllocProbe probe;
    CHECK_THROWS_WITH_AS(b.load_model(bytes.data(), bytes.size()), doctest::Contains("parameters"), io::ModelFileError);
    // The file itself is parsed (its few values); the 2 × 9 M weights are never asked for.
    CHECK_MESSAGE(probe.largest() < bytes.size() + 4096, "largest allocation " << probe.largest());
    CHECK_MESSAGE(probe.total() < 8 * bytes.size() + (1 << 16), "allocated " << probe.total() << " bytes in all");
  }
}
