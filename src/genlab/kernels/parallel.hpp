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
using ChunkTask = void (*)(void*, std::size_t);
void run_pair(Task helper_task, void* helper_ctx, Task caller_task, void* caller_ctx);
void share_chunks(std::size_t n_chunks, ChunkTask task, void* ctx);
}  // namespace detail

template <class A, class B>
void run_pair(A& helper_part, B& caller_part) {
  detail::run_pair([](void* p) { (*static_cast<A*>(p))(); }, &helper_part,
                   [](void* p) { (*static_cast<B*>(p))(); }, &caller_part);
}

// Work in n_chunks pieces that the caller and the helper claim one at a time until none is left:
// f(c) runs exactly once for each c in [0, n_chunks), on whichever thread claimed it. Why not fixed
// halves: in a page the second core also draws, and a helper that starts late (or is paused by the
// system mid-product) held the caller waiting for its half; here the caller takes the chunks the
// helper has not reached, and a helper that has claimed nothing by the time every chunk is taken is
// not waited for at all. Each chunk must compute its values alone (as a product's column panels do),
// so which thread ran it cannot change a bit. An exception from f on the helper arrives in the
// caller as std::runtime_error with the same what(), after both threads have stopped.
// One thread (or n_chunks ≤ 1): f(0), f(1), … on the caller, in order.
template <class F>
void share_chunks(std::size_t n_chunks, F& f) {
  detail::share_chunks(n_chunks, [](void* p, std::size_t c) { (*static_cast<F*>(p))(c); }, &f);
}

// How many share_chunks calls so far ended with the helper's part withdrawn (it had taken nothing
// when the caller had run every chunk). Always 0 without two threads. A test and bench hook.
std::size_t shares_withdrawn();

// Element-wise work over [0, n) in two halves at once, f(0, m) and f(m, n), shared by the caller and
// the helper as share_chunks shares chunks (a late helper is not waited for), m a multiple of
// `align` near n / 2, when the build has two threads and n ≥ min_n; else f(0, n) on the caller. For
// work where each element is computed alone (an optimizer's update), so the split cannot change a
// bit; `align` keeps the halves' SIMD batches where one pass puts them.
template <class F>
void split_range(std::size_t n, std::size_t min_n, std::size_t align, F& f) {
  if (kernel_threads() < 2 || n < min_n || n < 2 * align) {
    f(std::size_t{0}, n);
    return;
  }
  const std::size_t m = n / 2 / align * align;
  auto half = [&](std::size_t c) { c == 0 ? f(std::size_t{0}, m) : f(m, n); };
  share_chunks(2, half);
}

}  // namespace genlab::kernels
