// Fork-join over two threads, for the threaded WebAssembly module (built with GENLAB_THREADS, see
// src/CMakeLists.txt). run_pair(a, b) runs a on one long-lived helper thread while the caller
// runs b, and returns when both are done. An exception from b is rethrown as is; one from a
// arrives in the caller as std::runtime_error with the same what().
// Without GENLAB_THREADS it runs b, then a, on the caller. Both parts always run. No allocation per call: the callables
// are passed by reference through a plain function pointer.
#pragma once

#include <cstddef>

namespace genlab::kernels {

// Threads the kernels use: 2 in the threaded build, else 1.
int kernel_threads();

namespace detail {
using Task = void (*)(void*);
void run_pair(Task helper_task, void* helper_ctx, Task caller_task, void* caller_ctx);
}  // namespace detail

template <class A, class B>
void run_pair(A& helper_part, B& caller_part) {
  detail::run_pair([](void* p) { (*static_cast<A*>(p))(); }, &helper_part,
                   [](void* p) { (*static_cast<B*>(p))(); }, &caller_part);
}

// Element-wise work over [0, n) in two halves at once: f(0, m) on the caller and f(m, n) on the
// helper, m a multiple of `align` near n / 2, when the build has two threads and n ≥ min_n; else
// f(0, n) on the caller. For work where each element is computed alone (an optimizer's update), so
// the split cannot change a bit; `align` keeps the halves' SIMD batches where one pass puts them.
template <class F>
void split_range(std::size_t n, std::size_t min_n, std::size_t align, F& f) {
  if (kernel_threads() < 2 || n < min_n || n < 2 * align) {
    f(std::size_t{0}, n);
    return;
  }
  const std::size_t m = n / 2 / align * align;
  auto upper = [&] { f(m, n); };
  auto lower = [&] { f(std::size_t{0}, m); };
  run_pair(upper, lower);
}

}  // namespace genlab::kernels
