#include "genlab/data/batcher.hpp"

#include <numeric>
#include <stdexcept>
#include <string>

#include "genlab/kernels/vec.hpp"

namespace genlab {

namespace {

// The pixel stream's generator, split off the caller's: seeded from two of its draws, on a
// stream of its own, so its numbers never overlap the order stream.
Rng split_pixel_rng(Rng& rng) {
  const std::uint64_t hi = rng.next_u32();
  const std::uint64_t lo = rng.next_u32();
  return Rng((hi << 32) | lo, 0x62696e6172697a65ULL);  // "binarize"
}

void check_sizes(std::size_t n, std::size_t d, std::size_t batch) {
  if (n == 0) throw std::invalid_argument("Batcher: the data set is empty");
  if (n > 0xffffffffu) throw std::invalid_argument("Batcher: " + std::to_string(n) + " examples exceed 2^32 - 1");
  if (d == 0) throw std::invalid_argument("Batcher: examples have no values (D = 0)");
  if (batch == 0) throw std::invalid_argument("Batcher: batch size must be at least 1");
}

}  // namespace

Batcher::Batcher(const Tensor2& data, std::size_t batch_size, Rng rng, bool binarize)
    : data_(&data), n_(rows(data)), d_(cols(data)), batch_(batch_size), binarize_(binarize), order_rng_(rng),
      pixel_rng_(split_pixel_rng(order_rng_)) {
  check_sizes(n_, d_, batch_);
  order_.resize(n_);
  std::iota(order_.begin(), order_.end(), 0u);
  order_rng_.shuffle(order_.begin(), order_.end());
}

Batcher::Batcher(const ImageSet& images, std::size_t batch_size, Rng rng, bool binarize)
    : images_(&images), n_(images.count()), d_(images.pixels_per_image()), batch_(batch_size), binarize_(binarize),
      order_rng_(rng), pixel_rng_(split_pixel_rng(order_rng_)) {
  check_sizes(n_, d_, batch_);
  if (images.pixels.size() != n_ * d_)
    throw std::invalid_argument("Batcher: image set '" + images.name + "' has " + std::to_string(images.pixels.size()) +
                                " pixels for " + std::to_string(n_) + " images of " + std::to_string(d_));
  order_.resize(n_);
  std::iota(order_.begin(), order_.end(), 0u);
  order_rng_.shuffle(order_.begin(), order_.end());
}

void Batcher::serve(Tensor2& x, std::size_t b, std::uint8_t* label) {
  const std::size_t k = order_[pos_];
  float* dst = x.data() + b * d_;
  if (images_ != nullptr) {
    const std::uint8_t* src = images_->image(k);
    if (binarize_) {
      // 1 iff u·255 < v·2^24 for a uniform 24-bit u: probability v/255 in exact integer arithmetic.
      for (std::size_t j = 0; j < d_; ++j) {
        const std::uint64_t u = pixel_rng_.next_u32() >> 8;
        dst[j] = u * 255u < (std::uint64_t{src[j]} << 24) ? 1.0f : 0.0f;
      }
    } else {
      kernels::bytes_to_unit(src, dst, d_);  // = byte_to_unit per pixel, bit for bit
    }
    if (label != nullptr) *label = images_->labels[k];
  } else {
    const float* src = data_->data() + k * d_;
    if (binarize_) {
      for (std::size_t j = 0; j < d_; ++j) dst[j] = pixel_rng_.uniform() < src[j] ? 1.0f : 0.0f;
    } else {
      for (std::size_t j = 0; j < d_; ++j) dst[j] = src[j];
    }
  }
  if (++pos_ == n_) {
    pos_ = 0;
    ++epoch_;
    order_rng_.shuffle(order_.begin(), order_.end());
  }
}

void Batcher::next(Tensor2& x) {
  if (data_ != nullptr && (rows(*data_) != n_ || cols(*data_) != d_))
    throw std::invalid_argument("Batcher: the data tensor changed shape after the batcher was built");
  ensure_shape(x, batch_, d_);
  for (std::size_t b = 0; b < batch_; ++b) serve(x, b, nullptr);
}

void Batcher::next(Tensor2& x, std::vector<std::uint8_t>& labels) {
  if (images_ == nullptr)
    throw std::invalid_argument("Batcher: no labels here: this batcher serves a Tensor2, not an ImageSet");
  ensure_shape(x, batch_, d_);
  if (labels.size() != batch_) labels.resize(batch_);
  for (std::size_t b = 0; b < batch_; ++b) serve(x, b, &labels[b]);
}

}  // namespace genlab
