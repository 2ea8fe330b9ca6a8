#include "runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "genlab/config/config.hpp"
#include "genlab/core/rng.hpp"
#include "genlab/kernels/gemm.hpp"
#include "genlab/kernels/simd.hpp"

namespace genlab::bench {
namespace {

constexpr double kChunkTargetS = 0.020;  // one train(n) call: ~20 ms, as in web/protocol.js

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<std::string> split(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\"";
}

std::string error_reply(const std::string& message) { return "{\"ok\":false,\"error\":" + quoted(message) + "}"; }

// A finite number as JSON (NaN/inf are not JSON: they become null, which the checks reject).
std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", v);
  return buf;
}

// Next chunk size: aim at the target time, at most 2× up or 4× down per chunk (the page's rule).
int next_chunk(int n, double dt) {
  if (!(dt > 0)) return n * 2;
  const double ideal = n * kChunkTargetS / dt;
  const double next = std::min(2.0 * n, std::max(n / 4.0, ideal));
  return std::max(1, std::min(100000, static_cast<int>(std::lround(next))));
}

}  // namespace

std::string Runner::handle(const std::string& line) {
  try {
    const std::vector<std::string> words = split(line);
    if (words.empty()) return error_reply("empty command");
    const std::string& cmd = words[0];
    if (cmd == "setup") return setup(words);
    if (cmd == "gemm") return prepare_gemm(words);
    if (cmd == "run" && words.size() == 2) return run(std::stod(words[1]));
    if (cmd == "info") return std::string("{\"ok\":true,\"simd\":") + quoted(kernels::simd_name()) + "}";
    return error_reply("unknown command '" + line + "'");
  } catch (const std::exception& e) {
    return error_reply(e.what());
  }
}

// setup NAME key=value ...: a fresh Session with GenLab's defaults plus these settings.
std::string Runner::setup(const std::vector<std::string>& words) {
  if (words.size() < 2) throw std::invalid_argument("setup: missing workload name");
  gemm_ready_ = false;
  Config c;
  for (std::size_t i = 2; i < words.size(); ++i) apply_assignment(c, words[i]);
  auto s = std::make_unique<Session>();
  if (is_image_dataset(c.dataset)) {
    if (!loader_) throw std::runtime_error("setup: this build cannot load image data sets");
    auto [train, test] = loader_(c.dataset);
    s->provide_images(c.dataset, std::move(train), std::move(test));
  }
  s->configure(c);
  session_ = std::move(s);
  chunk_ = 1;
  return "{\"ok\":true}";
}

// gemm M K N FORM: operands uniform in [−1, 1], C overwritten (β = 0) by every call.
std::string Runner::prepare_gemm(const std::vector<std::string>& words) {
  if (words.size() != 5) throw std::invalid_argument("usage: gemm M K N NN|NT|TN");
  M_ = std::stoul(words[1]), K_ = std::stoul(words[2]), N_ = std::stoul(words[3]);
  const std::string& form = words[4];
  if (form != "NN" && form != "NT" && form != "TN") throw std::invalid_argument("gemm: form must be NN, NT or TN");
  ta_ = form[0] == 'T', tb_ = form[1] == 'T';
  A_.assign(M_ * K_, 0.0f), B_.assign(K_ * N_, 0.0f), C_.assign(M_ * N_, 0.0f);
  Rng rng(1u);
  for (auto& v : A_) v = rng.uniform(-1.0f, 1.0f);
  for (auto& v : B_) v = rng.uniform(-1.0f, 1.0f);
  session_.reset();
  gemm_ready_ = true;
  return "{\"ok\":true}";
}

void Runner::gemm_once() {
  using kernels::Trans;
  // Stored shapes: A is (M,K) or, transposed, (K,M); B is (K,N) or (N,K).
  const std::size_t lda = ta_ ? M_ : K_, ldb = tb_ ? K_ : N_;
  kernels::gemm(ta_ ? Trans::T : Trans::N, tb_ ? Trans::T : Trans::N, M_, N_, K_, A_.data(), lda, B_.data(), ldb,
                0.0f, C_.data(), N_);
}

std::string Runner::run(double seconds) {
  if (gemm_ready_) return run_gemm(seconds);
  if (session_) return run_training(seconds);
  throw std::logic_error("run: send setup or gemm first");
}

std::string Runner::run_gemm(double seconds) {
  long long calls = 0;
  const double t0 = now_s();
  double dt = 0;
  do {
    gemm_once();
    ++calls;
    dt = now_s() - t0;
  } while (dt < seconds);
  const double flop = 2.0 * static_cast<double>(M_) * static_cast<double>(N_) * static_cast<double>(K_);
  return "{\"ok\":true,\"units\":" + std::to_string(calls) + ",\"seconds\":" + number(dt) +
         ",\"flop_per_unit\":" + number(flop) + ",\"chunks\":[]}";
}

// Trains in chunks of train(n) until `seconds` have passed; every chunk's mean losses go back.
std::string Runner::run_training(double seconds) {
  // a: the kind's first history channel (VAE loss, GAN D loss); b: G's loss (0 for a VAE).
  const float StepStats::*a = models::stat_field(session_->kind().channels.at(0)).member;
  std::string chunks;
  long long steps = 0;
  const double t0 = now_s();
  double dt = 0;
  do {
    const double c0 = now_s();
    const StepStats s = session_->train(chunk_);
    const double cdt = now_s() - c0;
    steps += s.steps;
    if (!chunks.empty()) chunks += ',';
    chunks += "[" + std::to_string(s.steps) + "," + number(s.*a) + "," + number(s.g_loss) + "]";
    if (!s.finite) return error_reply("the loss became NaN or infinite after " + std::to_string(steps) + " steps");
    chunk_ = next_chunk(s.steps, cdt);
    dt = now_s() - t0;
  } while (dt < seconds);
  return "{\"ok\":true,\"units\":" + std::to_string(steps) + ",\"seconds\":" + number(dt) + ",\"chunks\":[" + chunks +
         "]}";
}

}  // namespace genlab::bench
