// Counts what operator new hands out on this thread while an AllocProbe is alive (alloc_probe.cpp
// replaces the global operator new/delete of the test_io executable). Lets tests prove that a
// hostile file is rejected without allocating what it claims.
#pragma once

#include <cstddef>

namespace genlab::test {

class AllocProbe {
 public:
  AllocProbe();
  ~AllocProbe();
  AllocProbe(const AllocProbe&) = delete;
  AllocProbe& operator=(const AllocProbe&) = delete;

  std::size_t total() const;    // bytes requested since construction
  std::size_t largest() const;  // largest single request
};

}  // namespace genlab::test
