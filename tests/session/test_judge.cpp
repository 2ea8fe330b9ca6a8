// The metrics' image classifier ("judge") trained in one Session and installed in another — the
// page trains it in a helper worker on the other core: the same bits as training it in place, and
// weights that do not fit are refused with the session's own judge kept.
#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include "genlab/session.hpp"
#include "support/fake_images.hpp"

using namespace genlab;
using test::fake_images;

namespace {

Config small_image_vae() {
  Config c;
  c.model = "vae";
  c.dataset = "mnist10";
  c.enc_hidden = {16};
  c.dec_hidden = {16};
  c.batch = 20;
  return c;
}

// A configured session on the same fake images, trained the same 15 steps.
void prepare(Session& s) {
  s.provide_images("mnist10", fake_images(300, 10, 1), fake_images(60, 10, 2));
  s.configure(small_image_vae());
  s.train(15);
}

// The figures that come from the judge.
const char* const kJudged[] = {"classifier_score", "class_kl", "class_max_fraction", "class_modes",
                               "classifier_accuracy", "real_classifier_score"};

}  // namespace

TEST_CASE("the judge trained in another session: the same weights, the same metrics") {
  Session here;
  prepare(here);
  CHECK(here.judges_trained() == 0);
  const Metrics own = here.evaluate();  // trains its judge in place
  CHECK(here.judges_trained() == 1);

  // The helper's session: images only, never configured, as in web/judge_worker.js.
  Session helper;
  helper.provide_images("mnist10", fake_images(300, 10, 1), fake_images(60, 10, 2));
  const std::vector<float> w = helper.judge_weights("mnist10");
  CHECK(w == here.judge_weights("mnist10"));  // bit for bit, configured or not

  Session there;
  prepare(there);
  there.install_judge("mnist10", w);
  const Metrics got = there.evaluate();
  CHECK(there.judges_trained() == 0);  // installed, none trained (what the page's tests read)
  CHECK(helper.judges_trained() == 1);
  for (const char* k : kJudged) {
    CAPTURE(k);
    CHECK(got.at(k) == own.at(k));
  }

  // Installed, not ignored: a judge with one weight changed judges otherwise.
  std::vector<float> other = w;
  for (std::size_t i = 0; i < other.size(); i += 7) other[i] = -other[i];
  Session third;
  prepare(third);
  third.install_judge("mnist10", other);
  const Metrics changed = third.evaluate();
  CHECK(changed.at("real_classifier_score") != own.at("real_classifier_score"));
  CHECK(changed.at("classifier_score") != own.at("classifier_score"));
}

TEST_CASE("weights that do not fit the judge are refused and the session's judge is kept") {
  Session s;
  prepare(s);
  const Metrics before = s.evaluate();
  std::vector<float> w = s.judge_weights("mnist10");

  std::vector<float> short_by_one(w.begin(), w.end() - 1);
  CHECK_THROWS_WITH_AS(s.install_judge("mnist10", short_by_one), doctest::Contains("its classifier has"),
                       std::invalid_argument);
  std::vector<float> nan = w;
  nan[3] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(s.install_judge("mnist10", nan), doctest::Contains("not all finite"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(s.install_judge("mnist28", w), doctest::Contains("no images of 'mnist28'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(s.judge_weights("fashion28"), doctest::Contains("needs the images of 'fashion28'"),
                       std::invalid_argument);

  const Metrics after = s.evaluate();  // same step: the same samples, judged by the same judge
  for (const char* k : kJudged) {
    CAPTURE(k);
    CHECK(after.at(k) == before.at(k));
  }
}

TEST_CASE("metrics without the judge: the VAE's held-out bound as with it, nothing of the classifier's") {
  Session s;
  prepare(s);
  const Metrics quick = s.evaluate(0, false);  // what the page shows while the judge trains aside
  CHECK(s.judges_trained() == 0);
  for (const char* k : kJudged) {
    CAPTURE(k);
    CHECK(quick.count(k) == 0);
  }
  const Metrics full = s.evaluate(0, true);
  CHECK(s.judges_trained() == 1);
  for (const char* k : kJudged) {
    CAPTURE(k);
    CHECK(full.count(k) == 1);
  }
  REQUIRE(quick.count("test_neg_elbo") == 1);
  for (const auto& kv : quick) {
    CAPTURE(kv.first);
    CHECK(full.at(kv.first) == kv.second);  // the same figures, bit for bit
  }
}

TEST_CASE("the judge's recipe: what makes its bits, the same for the same images, another for others") {
  Session a, b, c;
  a.provide_images("mnist10", fake_images(300, 10, 1), fake_images(60, 10, 2));
  b.provide_images("mnist10", fake_images(300, 10, 3), fake_images(60, 10, 4));  // other pixels, same counts
  c.provide_images("mnist10", fake_images(400, 10, 1), fake_images(60, 10, 2));  // more training images
  c.provide_images("mnist14", fake_images(300, 14, 1), fake_images(60, 14, 2));
  const std::string r = a.judge_recipe("mnist10");
  CAPTURE(r);
  CHECK(r == b.judge_recipe("mnist10"));
  CHECK(r.find("mnist10") != std::string::npos);
  CHECK(r.find("[128,100]") != std::string::npos);      // the first layer's W (out, in)
  CHECK(r.find("20240601") != std::string::npos);       // its seed
  CHECK(r.find("1500 batches of 128") != std::string::npos);
  CHECK(r.find("images 300 + 60") != std::string::npos);
  CHECK(c.judge_recipe("mnist10") != r);                // 400 images: other steps' data, other bits
  CHECK(c.judge_recipe("mnist14") != c.judge_recipe("mnist10"));
  CHECK_THROWS_WITH_AS(a.judge_recipe("mnist14"), doctest::Contains("no images of 'mnist14'"), std::invalid_argument);
}

TEST_CASE("each image set keeps its judge while its images stay; new images of a set drop that set's") {
  Session s;
  prepare(s);
  s.provide_images("mnist14", fake_images(300, 14, 1), fake_images(60, 14, 2));
  // The real test images' score tells judges apart (on these easy images every judge is right on all).
  const auto real_score = [&s] { return s.evaluate().at("real_classifier_score"); };
  const double trained = real_score();  // mnist10's judge, trained in place

  // A judge installed for mnist10 that tells itself apart: every 7th weight negated.
  std::vector<float> other = s.judge_weights("mnist10");
  for (std::size_t i = 0; i < other.size(); i += 7) other[i] = -other[i];
  s.install_judge("mnist10", other);
  const double installed = real_score();
  REQUIRE(installed != trained);

  Config c14 = small_image_vae();
  c14.dataset = "mnist14";
  s.configure(c14);
  s.train(3);
  CHECK(s.evaluate().count("classifier_accuracy") == 1);  // mnist14's judge, trained on its first use
  CHECK(s.judges_trained() == 2);

  s.configure(small_image_vae());  // back on mnist10: the judge installed for it, not one trained again
  CHECK(real_score() == installed);
  CHECK(s.judges_trained() == 2);

  // The same set's images given again (the page's new copy): its kept judge goes, the next is trained.
  s.provide_images("mnist10", fake_images(300, 10, 1), fake_images(60, 10, 2));
  CHECK(real_score() == trained);
  CHECK(s.judge_weights("mnist10") != other);
  CHECK(s.judges_trained() == 3);
}

TEST_CASE("new images of the configured set drop the second opinion's judge too") {
  Session s;
  prepare(s);
  Metrics before;
  s.second_opinion(before, 200);
  // Other pixels, same counts: a judge trained on them scores the real test images otherwise.
  s.provide_images("mnist10", fake_images(300, 10, 5), fake_images(60, 10, 6));
  Metrics after;
  s.second_opinion(after, 200);
  CHECK(after.at("real_classifier2_score") != before.at("real_classifier2_score"));
}
