// Fork-join over two threads, for the threaded WebAssembly module (built with GENLAB_THREADS, see
// src/CMakeLists.txt). run_pair(a, b) runs a on one long-lived helper thread while the caller
// runs b, and returns when both are done. An exception from b is rethrown as is; one from a
// arrives in the caller as std::runtime_error with the same what().
// Without GENLAB_THREADS it runs b, then a, on the caller. Both parts always run. No allocation per call: the callables
// are passed by reference through a plain function pointer.
#pragma once

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

}  // namespace genlab::kernels
