// Fork-join over two threads, for the threaded WebAssembly module (built with GENLAB_THREADS, see
// src/CMakeLists.txt). run_pair(a, b) runs a on one long-lived helper thread while the caller
// runs b, and returns when both are done. An exception from b is rethrown as is; one from a
// arrives in the caller as std::runtime_error with the same what().
// Without GENLAB_THREADS it runs b, then a, on the caller. Both parts always run. No allocation per call: the callables
// are passed by reference through a plain function pointer.
#pragma once

#include <cstddef>

namespace genlab::kernels {

// Threads the kernels use now: the build's (2 in the threaded build, else 1) unless lowered by
// set_kernel_threads. Results do not depend on it: every split computes each value as one thread.
int kernel_threads();
// Threads the build has: 2 in the threaded build, else 1.
int max_kernel_threads();
// Use n threads from now on, n clamped to [1, max_kernel_threads()]; returns the count in use. The
// page's worker lowers it to 1 for models whose products are too small to gain from a second
// thread on a busy machine (web/threads_tuner.js). Call between training calls, not during one.
int set_kernel_threads(int n);

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
