#include "genlab/kernels/parallel.hpp"

#include <stdexcept>

#if defined(GENLAB_THREADS)
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#endif

namespace genlab::kernels {

#if defined(GENLAB_THREADS)
namespace {

// One helper thread, started on first use and kept for the module's lifetime (a web worker from
// Emscripten's pool). The caller hands it one task at a time and waits for it to finish.
class Helper {
 public:
  Helper() : thread_([this] { loop(); }) { thread_.detach(); }

  void start(detail::Task task, void* ctx) {
    std::lock_guard<std::mutex> lock(m_);
    task_ = task;
    ctx_ = ctx;
    failed_ = false;
    cv_.notify_all();
  }

  // Waits for the task given to start(); false if it threw (what() is then in message()).
  bool wait() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [this] { return task_ == nullptr; });
    return !failed_;
  }
  const char* message() const { return message_; }

 private:
  // Why a copied message rather than std::exception_ptr: with Emscripten 3.1.6's threaded
  // libc++abi and wasm exceptions, a rethrown exception_ptr arrives as an unknown exception.
  void loop() {
    for (;;) {
      detail::Task task;
      void* ctx;
      {
        std::unique_lock<std::mutex> lock(m_);
        cv_.wait(lock, [this] { return task_ != nullptr; });
        task = task_;
        ctx = ctx_;
      }
      bool failed = false;
      try {
        task(ctx);
      } catch (const std::exception& e) {
        failed = true;
        std::strncpy(message_, e.what(), sizeof message_ - 1);
      } catch (...) {
        failed = true;
        std::strncpy(message_, "unknown error on the helper thread", sizeof message_ - 1);
      }
      std::lock_guard<std::mutex> lock(m_);
      failed_ = failed;
      task_ = nullptr;
      cv_.notify_all();
    }
  }

  std::mutex m_;
  std::condition_variable cv_;
  detail::Task task_ = nullptr;
  void* ctx_ = nullptr;
  bool failed_ = false;
  char message_[256] = {};
  std::thread thread_;
};

Helper& helper() {
  static Helper* h = new Helper();  // never destroyed: the detached thread outlives static teardown
  return *h;
}

}  // namespace

int kernel_threads() { return 2; }

void detail::run_pair(Task helper_task, void* helper_ctx, Task caller_task, void* caller_ctx) {
  Helper& h = helper();
  h.start(helper_task, helper_ctx);
  try {
    caller_task(caller_ctx);
  } catch (...) {
    h.wait();  // always wait: the helper reads the same operands
    throw;
  }
  if (!h.wait()) throw std::runtime_error(h.message());
}

#else

int kernel_threads() { return 1; }

void detail::run_pair(Task helper_task, void* helper_ctx, Task caller_task, void* caller_ctx) {
  try {  // both parts always run, as in the threaded build
    caller_task(caller_ctx);
  } catch (...) {
    helper_task(helper_ctx);
    throw;
  }
  helper_task(helper_ctx);
}

#endif

}  // namespace genlab::kernels
