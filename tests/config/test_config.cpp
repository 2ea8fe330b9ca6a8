// The configuration schema: parsing, range errors that name key/value/range, relations, presets.
#include <doctest/doctest.h>

#include <string>

#include "genlab/config/config.hpp"

using namespace genlab;

namespace {

std::string error_of(Config& c, const std::string& assignment) {
  try {
    apply_assignment(c, assignment);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("values parse into typed fields and print back the same") {
  Config c;
  apply_assignment(c, "lr=0.0003");
  apply_assignment(c, "enc_hidden=400,200");
  apply_assignment(c, "binarize=true");
  apply_assignment(c, "model=gan");
  apply_assignment(c, "dec_hidden=none");
  CHECK(c.lr == 0.0003f);
  CHECK(c.enc_hidden == std::vector<int>{400, 200});
  CHECK(c.binarize);
  CHECK(c.model == "gan");
  CHECK(c.dec_hidden.empty());
  CHECK(get_value(c, "lr") == "0.0003");
  CHECK(get_value(c, "enc_hidden") == "400,200");
  CHECK(get_value(c, "dec_hidden") == "none");
  // Every key round-trips through its text form.
  Config d;
  for (const Field& f : schema()) apply_assignment(d, f.key + "=" + get_value(c, f.key));
  for (const Field& f : schema()) CHECK(get_value(d, f.key) == get_value(c, f.key));
}

TEST_CASE("bad values are rejected with the key, the value and the allowed range") {
  Config c;
  const std::string e1 = error_of(c, "lr=-1");
  CHECK(e1.find("lr") != std::string::npos);
  CHECK(e1.find("-1") != std::string::npos);
  CHECK(e1.find("[1e-07, 10]") != std::string::npos);
  CHECK(error_of(c, "batch=12.5").find("not an integer") != std::string::npos);
  CHECK(error_of(c, "batch=abc").find("batch") != std::string::npos);
  CHECK(error_of(c, "batch=").find("empty") != std::string::npos);
  CHECK(error_of(c, "lr=nan") != "");
  CHECK(error_of(c, "lr=1e400") != "");
  // Found by the URL decoder's property test: an underflow is a number (0), not an error.
  CHECK(error_of(c, "weight_decay=-1e-999") == "");
  CHECK(c.weight_decay == 0.0f);
  CHECK(error_of(c, "lr=1e-999") != "");  // 0 is below lr's minimum
  c.weight_decay = 0.0f;
  CHECK(error_of(c, "loss=best").find("one of minimax, nonsaturating") != std::string::npos);
  CHECK(error_of(c, "d_dropout=1").find("[0, 0.9]") != std::string::npos);
  CHECK(error_of(c, "d_dropout=-0.1") != "");
  CHECK(error_of(c, "d_dropout=0.3") == "");
  c.d_dropout = 0.0f;
  CHECK(error_of(c, "warp=9").find("unknown setting") != std::string::npos);
  CHECK(error_of(c, "enc_hidden=1,2,3,4,5").find("more than 4") != std::string::npos);
  CHECK(error_of(c, "enc_hidden=100,").find("trailing comma") != std::string::npos);
  CHECK(error_of(c, "enc_hidden=0") != "");
  CHECK(error_of(c, "binarize=maybe") != "");
  CHECK(error_of(c, "noequals") != "");
  // A rejected value leaves the previous one in place.
  CHECK(c.lr == Config().lr);
}

TEST_CASE("relations between keys are validated") {
  Config c;
  c.model = "vae";
  c.dataset = "ring8";
  c.latent = 3;
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("latent"), ConfigError);
  c.latent = 2;
  c.likelihood = "bernoulli";
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("bernoulli needs data in [0, 1]"), ConfigError);
  c.likelihood = "auto";
  validate(c);
  Config g;
  g.model = "gan";
  g.batch = 10;
  g.pack = 3;
  CHECK_THROWS_WITH_AS(validate(g), doctest::Contains("not a multiple of pack"), ConfigError);
  g.pack = 2;
  g.loss = "wgan";
  g.label_smooth = 0.1f;
  CHECK_THROWS_AS(validate(g), ConfigError);
  g.label_smooth = 0.0f;
  validate(g);
  Config big;
  big.dataset = "mnist28";
  big.enc_hidden = {4096, 4096, 4096};
  CHECK_THROWS_WITH_AS(validate(big), doctest::Contains("limit"), ConfigError);
}

TEST_CASE("parameter counts follow the architecture") {
  Config c = preset("pytorch-vae");
  // enc 784·400+400 + 400·40+40, dec 20·400+400 + 400·784+784
  CHECK(parameter_count(c) == 784u * 400 + 400 + 400 * 40 + 40 + 20 * 400 + 400 + 400 * 784 + 784);
  Config g = preset("seed-gan");
  CHECK(parameter_count(g) == 100u * 16 + 16 + 16 * 100 + 100 + 100 * 16 + 16 + 16 + 1);
}

TEST_CASE("net=conv: DCGAN-style networks on images, two or three channel counts each, ignored on 2-D data") {
  Config c;
  c.model = "gan";
  c.dataset = "mnist28";
  c.net = "conv";
  c.noise = 64;
  c.g_hidden = {128, 64};
  c.d_hidden = {64, 128};
  validate(c);
  // G: 64·6272 + 6272, convT 128→64 k4, convT 64→1 k4; D: conv 1→64 k4, conv 64→128 k4, 6272·1 + 1
  CHECK(parameter_count(c) == 64u * 6272 + 6272 + 128 * 64 * 16 + 64 + 64 * 16 + 1 + 64 * 16 + 64 +
                                  128 * 64 * 16 + 128 + 6272 + 1);
  const std::size_t plain = parameter_count(c);
  c.batch_norm = true;  // γ and β per channel: G after its Linear (128) and first ConvT (64), D after its second Conv (128)
  CHECK(parameter_count(c) == plain + 2 * (128 + 64) + 2 * 128);
  c.batch_norm = false;
  // A third width: a stride-1 3×3 stage at 7×7 — G's ConvT 128→96 before the ConvT 96→64 and
  // 64→1, D's Conv 128→32 after its two stride-2 ones (its Linear then reads 32·7·7).
  c.g_hidden = {128, 96, 64};
  c.d_hidden = {64, 128, 32};
  validate(c);
  CHECK(parameter_count(c) == 64u * 6272 + 6272 + 128 * 96 * 9 + 96 + 96 * 64 * 16 + 64 + 64 * 16 + 1 +
                                  64 * 16 + 64 + 128 * 64 * 16 + 128 + 128 * 32 * 9 + 32 + 32 * 49 + 1);
  c.batch_norm = true;  // and γ, β after each stride-1 stage (96 in G, 32 in D)
  CHECK(parameter_count(c) == 64u * 6272 + 6272 + 128 * 96 * 9 + 96 + 96 * 64 * 16 + 64 + 64 * 16 + 1 +
                                  64 * 16 + 64 + 128 * 64 * 16 + 128 + 128 * 32 * 9 + 32 + 32 * 49 + 1 +
                                  2 * (128 + 96 + 64) + 2 * (128 + 32));
  c.batch_norm = false;
  c.d_hidden = {64, 128};
  c.g_hidden = {128, 64, 32, 16};
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("two or three channel counts"), ConfigError);
  c.g_hidden = {128};
  CHECK_THROWS_WITH_AS(validate(c), doctest::Contains("two or three channel counts"), ConfigError);
  c.g_hidden = {128, 64};
  c.d_hidden = {64};
  try {
    validate(c);
    FAIL("one discriminator width was accepted");
  } catch (const ConfigError& e) {
    CHECK(e.key() == "d_hidden");
  }
  c.dataset = "ring8";  // a 2-D set: the setting does nothing, the MLPs are built
  c.d_hidden = {128, 128};
  validate(c);
  CHECK(parameter_count(c) == 64u * 128 + 128 + 128 * 64 + 64 + 64 * 2 + 2 + 2 * 128 + 128 + 128 * 128 + 128 + 128 + 1);
  CHECK_THROWS_AS(set_value(c, "net", "resnet"), ConfigError);
  Config v;  // the VAE: encoder down, decoder up
  v.dataset = "mnist28";
  v.net = "conv";
  v.latent = 8;
  v.enc_hidden = {32, 64};
  v.dec_hidden = {64, 32};
  validate(v);
  // enc: conv 1→32 k4, conv 32→64 k4, 3136·16 + 16; dec: 8·3136 + 3136, convT 64→32 k4, convT 32→1 k4
  CHECK(parameter_count(v) == 32u * 16 + 32 + 64 * 32 * 16 + 64 + 3136 * 16 + 16 + 8 * 3136 + 3136 + 64 * 32 * 16 + 32 +
                                  32 * 16 + 1);
  v.enc_hidden = {32, 64, 16};  // + conv 64→16 k3 at 7×7; the Linear reads 16·7·7 = 784
  validate(v);
  CHECK(parameter_count(v) == 32u * 16 + 32 + 64 * 32 * 16 + 64 + 64 * 16 * 9 + 16 + 784 * 16 + 16 + 8 * 3136 + 3136 +
                                  64 * 32 * 16 + 32 + 32 * 16 + 1);
  v.enc_hidden = {32, 64, 128, 256};
  CHECK_THROWS_WITH_AS(validate(v), doctest::Contains("enc_hidden"), ConfigError);
}

TEST_CASE("every preset is valid and described; unknown presets are named") {
  CHECK(preset_names().size() >= 9);
  for (const std::string& name : preset_names()) {
    INFO(name);
    const Config c = preset(name);
    validate(c);
    CHECK(!preset_description(name).empty());
  }
  CHECK(preset("seed-vae").dataset == "mnist10");
  CHECK(preset("seed-vae").opt == "rmsprop");
  CHECK(preset("pytorch-vae").latent == 20);
  CHECK_THROWS_WITH_AS(preset("nope"), doctest::Contains("known: pytorch-vae"), ConfigError);
}

TEST_CASE("changed_assignments and to_json describe a config") {
  Config c;
  apply_assignment(c, "seed=7");
  const auto ch = changed_assignments(c);
  REQUIRE(ch.size() == 1);
  CHECK(ch[0] == "seed=7");
  const std::string j = to_json(c);
  CHECK(j.find("\"seed\": 7") != std::string::npos);
  CHECK(j.find("\"model\": \"vae\"") != std::string::npos);
  CHECK(j.find("\"enc_hidden\": [64,64]") != std::string::npos);
}

TEST_CASE("data set widths") {
  CHECK(dataset_dim("ring8") == 2);
  CHECK(dataset_dim("mnist28") == 784);
  CHECK(dataset_dim("fashion14") == 196);
  CHECK(dataset_dim("mnist10") == 100);
  CHECK(is_image_dataset("fashion10"));
  CHECK(!is_image_dataset("moons"));
  CHECK_THROWS_AS(dataset_dim("cifar"), ConfigError);
}
