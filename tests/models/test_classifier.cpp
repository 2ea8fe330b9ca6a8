// The image classifiers behind the metrics: the MLP judge and the conv second judge both learn
// separable classes, and a conv judge refuses an input that is not a square image of its side.
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/data/batcher.hpp"
#include "genlab/metrics/class_stats.hpp"
#include "genlab/models/classifier.hpp"
#include "support/fake_images.hpp"

using namespace genlab;
using genlab::models::Classifier;

namespace {

// Trains `steps` batches of 32 on fake images (class k lights row k) and returns the test accuracy.
double trained_accuracy(const nn::NetSpec& net, std::size_t side, std::size_t steps) {
  const ImageSet train = test::fake_images(400, side, 1), test_set = test::fake_images(100, side, 2);
  Rng init(7);
  optim::OptimConfig opt;
  opt.kind = optim::Kind::Adam;
  opt.lr = 1e-3f;
  Classifier clf(net, opt, init);
  Batcher batches(train, 32, Rng(3));
  Tensor2 x, probs;
  std::vector<std::uint8_t> y;
  for (std::size_t s = 0; s < steps; ++s) {
    batches.next(x, y);
    clf.train_step(x, y.data());
  }
  Tensor2 all({test_set.count(), side * side});
  for (std::size_t i = 0; i < test_set.count(); ++i)
    for (std::size_t p = 0; p < side * side; ++p) all(i, p) = test_set.pixels[i * side * side + p] / 255.0f;
  clf.predict_proba(all, probs);
  return metrics::accuracy(probs, test_set.labels);
}

}  // namespace

TEST_CASE("classifier: the MLP judge learns separable classes") {
  CHECK(trained_accuracy(models::classifier_mlp(100, {128}, 10), 10, 300) > 0.95);
}

TEST_CASE("classifier: the conv judge learns separable classes and checks its image side") {
  const nn::NetSpec conv = models::classifier_conv(12, {8, 16}, 10);
  CHECK(conv.in() == 144);
  CHECK(conv.out() == 10);
  // Before training it is near chance: the accuracy below is learned, not given.
  CHECK(trained_accuracy(conv, 12, 0) < 0.5);
  CHECK(trained_accuracy(conv, 12, 300) > 0.95);
  // 10 is not divisible by 4: the two stride-2 stages do not fit; and two or three channel counts only.
  CHECK_THROWS_AS(models::classifier_conv(10, {8, 16}, 10), std::invalid_argument);
  CHECK_THROWS_AS(models::classifier_conv(12, {8}, 10), std::invalid_argument);
}
