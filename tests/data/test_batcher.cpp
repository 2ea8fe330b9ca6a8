// The batcher: epochs are permutations, batches are full and deterministic, buffers are reused,
// labels follow their images, and dynamic binarisation has the right mean.
#include <cmath>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/data/batcher.hpp"

using namespace genlab;

namespace {

// N rows whose first value is the row index, so a batch row tells which example it is.
Tensor2 indexed_rows(std::size_t n, std::size_t d) {
  Tensor2 t({n, d});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) t(i, j) = static_cast<float>(i) + 0.25f * static_cast<float>(j);
  return t;
}

// The next `count` example indices the batcher serves (batch by batch).
std::vector<std::size_t> stream(Batcher& b, Tensor2& x, std::size_t count) {
  std::vector<std::size_t> ids;
  while (ids.size() < count) {
    b.next(x);
    for (std::size_t r = 0; r < rows(x); ++r) ids.push_back(static_cast<std::size_t>(x(r, 0)));
  }
  ids.resize(count);
  return ids;
}

// Images whose pixels encode their index (i, i+1, ...) and labels i % classes.
ImageSet numbered_images(std::size_t n, std::size_t side, std::size_t classes) {
  ImageSet s;
  s.name = "numbered";
  s.rows = s.cols = side;
  s.classes = classes;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t p = 0; p < side * side; ++p) s.pixels.push_back(static_cast<std::uint8_t>((i + p) % 256));
    s.labels.push_back(static_cast<std::uint8_t>(i % classes));
  }
  return s;
}

}  // namespace

TEST_CASE("every example is served exactly once per epoch, batches straddling epochs included") {
  for (std::size_t batch : {std::size_t{1}, std::size_t{4}, std::size_t{10}, std::size_t{25}}) {
    INFO("batch " << batch);
    const Tensor2 data = indexed_rows(10, 3);
    Batcher b(data, batch, Rng(7));
    Tensor2 x;
    const auto ids = stream(b, x, 50);
    for (std::size_t e = 0; e < 5; ++e) {
      std::vector<int> seen(10, 0);
      for (std::size_t k = 0; k < 10; ++k) ++seen[ids[e * 10 + k]];
      for (std::size_t i = 0; i < 10; ++i) CHECK(seen[i] == 1);
    }
    CHECK(rows(x) == batch);
    CHECK(cols(x) == 3);
  }
}

TEST_CASE("rows are copied whole and the epoch counter follows the stream") {
  const Tensor2 data = indexed_rows(10, 3);
  Batcher b(data, 4, Rng(8));
  CHECK(b.size() == 10);
  CHECK(b.dim() == 3);
  CHECK(b.epoch() == 0);
  Tensor2 x;
  b.next(x);
  b.next(x);
  CHECK(b.epoch() == 0);
  CHECK(b.position() == 8);
  b.next(x);  // examples 8..11: crosses into epoch 1
  CHECK(b.epoch() == 1);
  CHECK(b.position() == 2);
  for (std::size_t r = 0; r < 4; ++r) {
    const float k = x(r, 0);
    CHECK(x(r, 1) == k + 0.25f);
    CHECK(x(r, 2) == k + 0.5f);
  }
}

TEST_CASE("epochs are reshuffled, and the stream is a function of the seed") {
  const Tensor2 data = indexed_rows(50, 2);
  Batcher a(data, 8, Rng(1)), same(data, 8, Rng(1)), other(data, 8, Rng(2));
  Tensor2 xa, xs, xo;
  const auto sa = stream(a, xa, 100), ss = stream(same, xs, 100), so = stream(other, xo, 100);
  CHECK(sa == ss);
  CHECK(sa != so);
  CHECK(std::vector<std::size_t>(sa.begin(), sa.begin() + 50) != std::vector<std::size_t>(sa.begin() + 50, sa.end()));
}

TEST_CASE("buffers are reused: no reallocation after the first batch") {
  const ImageSet images = numbered_images(30, 4, 3);
  Batcher b(images, 8, Rng(3));
  Tensor2 x({8, 16});
  std::vector<std::uint8_t> labels(8);
  const float* xp = x.data();
  const std::uint8_t* lp = labels.data();
  for (int i = 0; i < 100; ++i) b.next(x, labels);
  CHECK(x.data() == xp);
  CHECK(labels.data() == lp);
  Tensor2 unsized;
  b.next(unsized);
  const float* up = unsized.data();
  for (int i = 0; i < 10; ++i) b.next(unsized);
  CHECK(unsized.data() == up);
}

TEST_CASE("image batches are v/255 and carry their own labels") {
  const ImageSet images = numbered_images(30, 4, 3);
  Batcher b(images, 7, Rng(4));
  CHECK(b.has_labels());
  Tensor2 x;
  std::vector<std::uint8_t> labels;
  std::vector<int> seen(30, 0);
  for (int batch = 0; batch < 30; ++batch) {  // 210 examples = 7 epochs
    b.next(x, labels);
    for (std::size_t r = 0; r < 7; ++r) {
      const auto i = static_cast<std::size_t>(std::lround(x(r, 0) * 255.0f));  // pixel 0 = index
      REQUIRE(i < 30);
      ++seen[i];
      CHECK(labels[r] == i % 3);
      for (std::size_t p = 0; p < 16; ++p) CHECK(x(r, p) == byte_to_unit(static_cast<std::uint8_t>(i + p)));
    }
  }
  for (int s : seen) CHECK(s == 7);
}

TEST_CASE("dynamic binarisation: only 0 and 1, mean equal to the intensity") {
  ImageSet s;
  s.name = "levels";
  s.rows = 1;
  s.cols = 5;
  s.classes = 2;
  const std::uint8_t levels[5] = {0, 64, 128, 191, 255};
  for (int i = 0; i < 20; ++i) {
    s.pixels.insert(s.pixels.end(), levels, levels + 5);
    s.labels.push_back(static_cast<std::uint8_t>(i % 2));
  }
  Batcher b(s, 16, Rng(5), true);
  Tensor2 x;
  double sum[5] = {0, 0, 0, 0, 0};
  const int batches = 1000;  // 16,000 draws per level: standard error ≤ 0.004
  for (int k = 0; k < batches; ++k) {
    b.next(x);
    for (std::size_t r = 0; r < 16; ++r) {
      for (std::size_t j = 0; j < 5; ++j) {
        REQUIRE((x(r, j) == 0.0f || x(r, j) == 1.0f));
        sum[j] += x(r, j);
      }
    }
  }
  CHECK(sum[0] == 0.0);
  CHECK(sum[4] == 16.0 * batches);
  for (std::size_t j = 1; j < 4; ++j) {
    INFO("level " << int{levels[j]});
    CHECK(sum[j] / (16.0 * batches) == doctest::Approx(levels[j] / 255.0).epsilon(0.04));
  }
}

TEST_CASE("binarisation leaves the example order unchanged, and works on float rows") {
  const ImageSet images = numbered_images(20, 2, 5);
  Batcher plain(images, 5, Rng(6)), binary(images, 5, Rng(6), true);
  Tensor2 x;
  std::vector<std::uint8_t> lp, lb;
  for (int i = 0; i < 12; ++i) {
    plain.next(x, lp);
    binary.next(x, lb);
    CHECK(lp == lb);
  }
  Tensor2 data({4, 1});
  data(0, 0) = 0.0f, data(1, 0) = 0.3f, data(2, 0) = 0.9f, data(3, 0) = 1.0f;
  Batcher fb(data, 4, Rng(7), true);
  double total = 0.0;
  for (int i = 0; i < 4000; ++i) {
    fb.next(x);
    for (float v : x) total += v;
  }
  CHECK(total / 4000.0 == doctest::Approx(2.2).epsilon(0.02));  // 0 + 0.3 + 0.9 + 1
}

TEST_CASE("bad construction and label requests are refused with a reason") {
  const Tensor2 empty({0, 3});
  CHECK_THROWS_AS(Batcher(empty, 4, Rng(1)), std::invalid_argument);
  const Tensor2 data = indexed_rows(5, 2);
  CHECK_THROWS_AS(Batcher(data, 0, Rng(1)), std::invalid_argument);
  Batcher b(data, 2, Rng(1));
  CHECK_FALSE(b.has_labels());
  Tensor2 x;
  std::vector<std::uint8_t> labels;
  CHECK_THROWS_AS(b.next(x, labels), std::invalid_argument);
  ImageSet broken = numbered_images(3, 2, 2);
  broken.pixels.pop_back();
  CHECK_THROWS_AS(Batcher(broken, 2, Rng(1)), std::invalid_argument);
}
