// libFuzzer target for the user-points CSV parser (pasted or uploaded text from anyone): it must
// either return finite points within the documented bounds or throw std::invalid_argument — never
// crash, hang, read out of bounds or throw anything else.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "genlab/data/csv_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const genlab::Tensor2 pts = genlab::parse_points_csv(text);
    if (pts.shape()[1] != 2 || pts.shape()[0] == 0 || pts.shape()[0] > genlab::kMaxCsvPoints) std::abort();
    for (float v : pts)
      if (!std::isfinite(v) || std::fabs(v) > genlab::kMaxCsvAbsValue) std::abort();
  } catch (const std::invalid_argument&) {
    // a clear rejection is the expected outcome for junk
  }
  return 0;
}
