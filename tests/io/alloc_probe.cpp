// Global operator new/delete for test_io, counting requests for AllocProbe. Not a test case.
#include "alloc_probe.hpp"

#include <cstdlib>
#include <new>

namespace {
thread_local int probes = 0;
thread_local std::size_t total_bytes = 0;
thread_local std::size_t largest_bytes = 0;
}  // namespace

namespace genlab::test {

AllocProbe::AllocProbe() {
  if (probes++ == 0) total_bytes = largest_bytes = 0;
}
AllocProbe::~AllocProbe() { --probes; }
std::size_t AllocProbe::total() const { return total_bytes; }
std::size_t AllocProbe::largest() const { return largest_bytes; }

}  // namespace genlab::test

// Every plain and array new goes through here (the library's defaults forward array and nothrow
// forms to it); aligned forms are not used by the reader.
void* operator new(std::size_t n) {
  if (probes > 0) {
    total_bytes += n;
    if (n > largest_bytes) largest_bytes = n;
  }
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
