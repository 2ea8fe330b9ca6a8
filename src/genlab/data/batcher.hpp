// Mini-batches in shuffled epochs. The example stream is a concatenation of random permutations
// of the data set (one per epoch, drawn from our Rng), cut into batches of B: every example is
// seen exactly once per epoch, every batch is full (a batch may straddle two epochs), and a seed
// gives the same stream natively and in WebAssembly. Allocates only at construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "genlab/core/rng.hpp"
#include "genlab/core/tensor.hpp"
#include "genlab/data/image_asset.hpp"

namespace genlab {

class Batcher {
 public:
  // Rows of data (N, D). The batcher keeps a pointer: data must outlive it and keep its shape.
  // binarize: each value v becomes 1 with probability v (clamped to [0, 1]), else 0.
  Batcher(const Tensor2& data, std::size_t batch_size, Rng rng, bool binarize = false);
  // Images as floats v/255 ∈ [0, 1], or binarised: each pixel 1 with probability v/255 (dynamic
  // binarisation, redrawn every time an image is served). images must outlive the batcher.
  Batcher(const ImageSet& images, std::size_t batch_size, Rng rng, bool binarize = false);
  // A temporary would dangle: refuse it at compile time.
  Batcher(Tensor2&&, std::size_t, Rng, bool = false) = delete;
  Batcher(ImageSet&&, std::size_t, Rng, bool = false) = delete;

  // Writes the next batch into x (B, D); x is reshaped only if its shape differs.
  void next(Tensor2& x);
  // The same, with the batch's labels (image sets only) in labels (B), resized only if needed.
  void next(Tensor2& x, std::vector<std::uint8_t>& labels);

  std::size_t size() const { return n_; }         // N, examples per epoch
  std::size_t dim() const { return d_; }          // D, values per example
  std::size_t batch_size() const { return batch_; }
  std::size_t epoch() const { return epoch_; }    // epochs completed so far
  std::size_t position() const { return pos_; }   // examples served in the current epoch
  bool has_labels() const { return images_ != nullptr; }

 private:
  // Writes example order_[pos_] into row b of x (and its label), then advances the stream.
  void serve(Tensor2& x, std::size_t b, std::uint8_t* label);

  const Tensor2* data_ = nullptr;
  const ImageSet* images_ = nullptr;
  std::size_t n_ = 0, d_ = 0, batch_ = 0;
  bool binarize_ = false;
  Rng order_rng_;  // permutations only, so switching binarisation on keeps the same order
  Rng pixel_rng_;  // binarisation draws
  std::vector<std::uint32_t> order_;
  std::size_t pos_ = 0, epoch_ = 0;
};

}  // namespace genlab
