// RNG streams of a Session, all derived from the one seed. Each purpose has its own stream, so
// drawing more in one (say, evaluation) never changes another (training): same seed, same run.
#pragma once

#include <cstdint>

#include "genlab/core/rng.hpp"

namespace genlab::detail {

enum Stream : std::uint64_t { kInit = 1, kData, kTrain, kFixedNoise, kDisplay, kEval, kDecoderNoise, kClassifier };

inline Rng stream(int seed, Stream s) { return Rng(static_cast<std::uint64_t>(seed), s); }

}  // namespace genlab::detail
