// Class conditioning shared by the conditional models (Sohn et al. 2015; Mirza & Osindero 2014):
// which class each row of a call is for, and the network inputs with the one-hot class appended.
// Row r of a call is for: the training batch's class (during a step), else the class set with
// Model::condition (rows beyond them cycle), else r mod C — offset by first_row during a pass
// that goes through its rows in chunks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "genlab/core/tensor.hpp"
#include "genlab/models/model.hpp"

namespace genlab::models {

struct Conditioning {
  std::size_t classes = 0;                 // 0: the model takes no class
  const std::uint8_t* train = nullptr;     // the training batch's classes, during a step
  std::vector<std::uint8_t> given;         // Model::condition
  std::size_t first_row = 0;               // chunked passes: rows of this call start here

  std::size_t class_of(std::size_t r) const {
    if (train != nullptr) return train[r];
    const std::size_t i = first_row + r;
    return i < given.size() ? given[i] % classes : i % classes;
  }

  // a (B, W) → in (B, W + C) = [a | one-hot(class_of(r))]; returns a itself when unconditional.
  const Tensor2& append(const Tensor2& a, Tensor2& in) const {
    if (classes == 0) return a;
    const std::size_t B = rows(a), W = cols(a), C = classes;
    ensure_shape(in, B, W + C);
    for (std::size_t r = 0; r < B; ++r) {
      float* dst = in.data() + r * (W + C);
      std::copy(a.data() + r * W, a.data() + (r + 1) * W, dst);
      std::fill(dst + W, dst + W + C, 0.0f);
      dst[W + class_of(r)] = 1.0f;
    }
    return in;
  }
};

// Sets Conditioning::train for one scope (cleared again even when the step throws).
struct TrainLabelsScope {
  TrainLabelsScope(Conditioning& c, const std::uint8_t* y) : c_(c) { c_.train = y; }
  // The classes of the stream's last batch, for a conditional model (which cannot train without).
  TrainLabelsScope(Conditioning& c, const DataStream& data) : TrainLabelsScope(c, c.classes > 0 ? data.labels() : nullptr) {
    if (c.classes > 0 && c.train == nullptr)
      throw std::invalid_argument("a class-conditional model needs the classes of its training data");
  }
  ~TrainLabelsScope() { c_.train = nullptr; }
  TrainLabelsScope(const TrainLabelsScope&) = delete;
  TrainLabelsScope& operator=(const TrainLabelsScope&) = delete;
  Conditioning& c_;
};

}  // namespace genlab::models
