#include "genlab/kernels/parallel.hpp"

#include <stdexcept>

#if defined(GENLAB_THREADS)
#include <atomic>
#include <chrono>
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
//
// Why both sides spin before they sleep: a step of a small model runs a dozen split products a few
// microseconds apart, and waking a sleeping thread (a futex, Atomics.wait/notify in wasm) costs tens
// of microseconds each way — the split then barely beat one thread (W2: ×1.08 in Chromium). So the
// helper watches `posted_` for kSpin after each task, and the caller watches `finished_`, before
// either sleeps on the condition variable; between chunks of training both sleep, costing no CPU.
class Helper {
 public:
  Helper() : thread_([this] { loop(); }) { thread_.detach(); }

  void start(detail::Task task, void* ctx) {
    task_ = task;
    ctx_ = ctx;
    failed_ = false;
    const unsigned n = posted_.load(std::memory_order_relaxed) + 1;
    posted_.store(n, std::memory_order_release);  // publishes task_, ctx_
    std::lock_guard<std::mutex> lock(m_);           // a helper between its check and its wait
    cv_.notify_all();                               // holds m_: it cannot miss this
  }

  // After the caller's own part of a task it may share (share_chunks): a task the helper has not
  // taken yet is withdrawn, and the helper will skip it; one it has taken is waited for. Returns
  // false if the helper's part threw.
  bool settle() {
    const unsigned n = posted_.load(std::memory_order_relaxed);
    unsigned before = n - 1;
    if (claimed_.compare_exchange_strong(before, n, std::memory_order_acq_rel)) {
      withdrawn_.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
    return wait();
  }
  std::size_t withdrawn() const { return withdrawn_.load(std::memory_order_relaxed); }

  // Waits for the task given to start(); false if it threw (what() is then in message()).
  bool wait() {
    const unsigned n = posted_.load(std::memory_order_relaxed);
    if (!spin_until([&] { return finished_.load(std::memory_order_acquire) == n; })) {
      std::unique_lock<std::mutex> lock(m_);
      cv_.wait(lock, [&] { return finished_.load(std::memory_order_acquire) == n; });
    }
    return !failed_;
  }
  const char* message() const { return message_; }

 private:
  static constexpr auto kSpin = std::chrono::microseconds(200);

  // Polls done() for up to kSpin; true as soon as it holds. The clock is read every 64 polls.
  template <class Done>
  static bool spin_until(Done done) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (;;) {
      for (int i = 0; i < 64; ++i)
        if (done()) return true;
      if (std::chrono::steady_clock::now() >= until) return done();
    }
  }

  // Why a copied message rather than std::exception_ptr: with Emscripten 3.1.6's threaded
  // libc++abi and wasm exceptions, a rethrown exception_ptr arrives as an unknown exception.
  void loop() {
    unsigned seen = 0;
    for (;;) {
      const auto arrived = [&] { return posted_.load(std::memory_order_acquire) != seen; };
      if (!spin_until(arrived)) {
        std::unique_lock<std::mutex> lock(m_);
        cv_.wait(lock, arrived);
      }
      seen = posted_.load(std::memory_order_acquire);
      // Take task `seen` unless the caller withdrew it (settle); tasks are posted one at a time,
      // each only after the last was finished or withdrawn, so the newest follows the last claimed.
      unsigned before = seen - 1;
      if (!claimed_.compare_exchange_strong(before, seen, std::memory_order_acq_rel)) continue;
      bool failed = false;
      try {
        task_(ctx_);
      } catch (const std::exception& e) {
        failed = true;
        std::strncpy(message_, e.what(), sizeof message_ - 1);
      } catch (...) {
        failed = true;
        std::strncpy(message_, "unknown error on the helper thread", sizeof message_ - 1);
      }
      failed_ = failed;
      finished_.store(seen, std::memory_order_release);  // publishes failed_, message_
      std::lock_guard<std::mutex> lock(m_);               // a caller between its check and its wait
      cv_.notify_all();
    }
  }

  std::mutex m_;
  std::condition_variable cv_;
  std::atomic<unsigned> posted_{0};    // tasks handed over so far
  std::atomic<std::size_t> withdrawn_{0};
  std::atomic<unsigned> claimed_{0};   // the last task taken, by the helper or withdrawn by the caller
  std::atomic<unsigned> finished_{0};  // the last task the helper finished
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

namespace {
std::atomic<int> active_threads{2};
}  // namespace

int kernel_threads() { return active_threads.load(std::memory_order_relaxed); }
int max_kernel_threads() { return 2; }
int set_kernel_threads(int n) {
  active_threads.store(n < 2 ? 1 : 2, std::memory_order_relaxed);
  return kernel_threads();
}

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

namespace {
struct Chunks {
  std::atomic<std::size_t> next{0};
  std::size_t n;
  detail::ChunkTask task;
  void* ctx;
};
// Claims and runs chunks until none is left: both threads run this on the same Chunks.
void drain(void* p) {
  auto& s = *static_cast<Chunks*>(p);
  for (std::size_t c; (c = s.next.fetch_add(1, std::memory_order_relaxed)) < s.n;) s.task(s.ctx, c);
}
}  // namespace

std::size_t shares_withdrawn() { return helper().withdrawn(); }

void detail::share_chunks(std::size_t n_chunks, ChunkTask task, void* ctx) {
  if (kernel_threads() < 2 || n_chunks < 2) {
    for (std::size_t c = 0; c < n_chunks; ++c) task(ctx, c);
    return;
  }
  Chunks s;
  s.n = n_chunks;
  s.task = task;
  s.ctx = ctx;
  Helper& h = helper();
  h.start(drain, &s);
  try {
    drain(&s);
  } catch (...) {
    s.next.store(n_chunks, std::memory_order_relaxed);  // the helper takes no more
    h.settle();
    throw;
  }
  if (!h.settle()) throw std::runtime_error(h.message());
}

#else

int kernel_threads() { return 1; }
int max_kernel_threads() { return 1; }
int set_kernel_threads(int) { return 1; }

void detail::run_pair(Task helper_task, void* helper_ctx, Task caller_task, void* caller_ctx) {
  try {  // both parts always run, as in the threaded build
    caller_task(caller_ctx);
  } catch (...) {
    helper_task(helper_ctx);
    throw;
  }
  helper_task(helper_ctx);
}

void detail::share_chunks(std::size_t n_chunks, ChunkTask task, void* ctx) {
  for (std::size_t c = 0; c < n_chunks; ++c) task(ctx, c);
}
std::size_t shares_withdrawn() { return 0; }

#endif

}  // namespace genlab::kernels
