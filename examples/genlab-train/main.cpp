// genlab-train: the command-line trainer over the same Session the page drives.
//
//   genlab-train --preset NAME [--set key=value]... [--seed N] [--epochs N | --steps N]
//                [--eval-every N] [--iwae K] [--out DIR] [--dump-samples FILE --samples N]
//                [--data DIR] [--init FILE] [--export-pytorch DIR] [--checkpoint FILE]
//                [--checkpoint-bits 16|2..8[,NET=2..8]...]
//                [--list-presets] [--help]
//
// --init starts from a trained model: a GenLab model file, or a .safetensors file (exported by
// GenLab or saved by the generated PyTorch module). A file that names its model (GenLab's
// metadata) brings its own configuration, so it takes no --preset or --set; a plain
// .safetensors file loads into the --preset's model. --export-pytorch writes the model's weights
// (model.safetensors) and a PyTorch module for them (genlab_model.py) after training.
// --checkpoint FILE writes the weights alone as .safetensors in 16-bit floats (the page's trained
// starting points, scripts/make_checkpoints.sh); --checkpoint-bits 2..8 stores the weight matrices
// as bytes with a scale per row instead (Session::export_checkpoint; "4,D=3" gives network D its
// own). The file is then imported back and judged, printed as a last JSON line
// {"event": "checkpoint", …}.
//
// stdout: one JSON object per line for each evaluation ("event":"eval") and a last line with
// "event":"final" holding every metric of the model family (on images, also a second judge's:
// classifier2_score, class2_modes, …). A progress bar goes to stderr when it
// is a terminal. Same seed, same numbers (timings aside).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "figures.hpp"
#include "genlab/io/model_file.hpp"
#include "genlab/io/model_tensors.hpp"
#include "genlab/io/safetensors.hpp"
#include "pytorch_export.hpp"
#include "genlab/config/config.hpp"
#include "genlab/data/image_asset.hpp"
#include "genlab/session.hpp"
#include "genlab/version.hpp"

#ifndef GENLAB_DEFAULT_DATA_DIR
#define GENLAB_DEFAULT_DATA_DIR "data"
#endif

namespace {

using namespace genlab;

struct Args {
  std::string preset;
  std::vector<std::string> sets;
  long long seed = -1, epochs = -1, steps = -1, eval_every = 0, samples = 0;
  int iwae = 100, checkpoint_bits = 16;
  std::vector<std::pair<std::string, int>> bits_per_network;
  std::string out, dump, data = GENLAB_DEFAULT_DATA_DIR, init, export_dir, checkpoint;
};

[[noreturn]] void usage(int code) {
  std::fprintf(code ? stderr : stdout,
               "usage: genlab-train --preset NAME [--set key=value]... [--seed N] [--epochs N | --steps N]\n"
               "                    [--eval-every N] [--iwae K] [--out DIR] [--dump-samples FILE --samples N]\n"
               "                    [--data DIR] [--init FILE] [--export-pytorch DIR] [--checkpoint FILE]\n"
               "                    [--checkpoint-bits 16|2..8[,NET=2..8]...] [--list-presets]\n"
               "Trains a GenLab model natively and prints JSON lines of metrics (see README).\n");
  std::exit(code);
}

long long to_int(const std::string& flag, const std::string& v, long long lo, long long hi) {
  char* end = nullptr;
  errno = 0;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno == ERANGE || x < lo || x > hi)
    throw std::invalid_argument(flag + ": '" + v + "' is not an integer in [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "]");
  return x;
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(f + " needs a value");
      return argv[++i];
    };
    if (f == "--help" || f == "-h") usage(0);
    else if (f == "--list-presets") {
      for (const auto& p : preset_names()) std::printf("%-16s %s\n", p.c_str(), preset_description(p).c_str());
      std::exit(0);
    } else if (f == "--preset") a.preset = value();
    else if (f == "--set") a.sets.push_back(value());
    else if (f == "--seed") a.seed = to_int(f, value(), 0, 2147483647);
    else if (f == "--epochs") a.epochs = to_int(f, value(), 1, 100000);
    else if (f == "--steps") a.steps = to_int(f, value(), 0, 1000000000);
    else if (f == "--eval-every") a.eval_every = to_int(f, value(), 0, 1000000000);
    else if (f == "--iwae") a.iwae = static_cast<int>(to_int(f, value(), 0, 5000));
    else if (f == "--out") a.out = value();
    else if (f == "--dump-samples") a.dump = value();
    else if (f == "--samples") a.samples = to_int(f, value(), 1, 10000000);
    else if (f == "--data") a.data = value();
    else if (f == "--init") a.init = value();
    else if (f == "--export-pytorch") a.export_dir = value();
    else if (f == "--checkpoint") a.checkpoint = value();
    else if (f == "--checkpoint-bits") {  // "5", or "4,D=3": bits, then a network's own
      const std::string v = value();
      std::size_t at = 0;
      for (bool first = true; at <= v.size(); first = false) {
        const std::size_t comma = std::min(v.find(',', at), v.size());
        const std::string part = v.substr(at, comma - at);
        const std::size_t eq = part.find('=');
        if (first != (eq == std::string::npos)) throw std::invalid_argument("--checkpoint-bits: '" + v + "' is not like 5 or 4,D=3");
        if (first) a.checkpoint_bits = static_cast<int>(to_int(f, part, 2, 16));
        else a.bits_per_network.push_back({part.substr(0, eq), static_cast<int>(to_int(f, part.substr(eq + 1), 2, 8))});
        at = comma + 1;
      }
      if (a.checkpoint_bits > 8 && a.checkpoint_bits != 16) throw std::invalid_argument("--checkpoint-bits: 16, or 2 to 8");
    }
    else throw std::invalid_argument("unknown option '" + f + "' (see --help)");
  }
  if (a.preset.empty() && a.init.empty()) throw std::invalid_argument("--preset is required (see --list-presets)");
  if (a.epochs >= 0 && a.steps >= 0) throw std::invalid_argument("give --epochs or --steps, not both");
  if (!a.dump.empty() && a.samples <= 0) throw std::invalid_argument("--dump-samples needs --samples N");
  if (a.checkpoint_bits != 16 && a.checkpoint.empty()) throw std::invalid_argument("--checkpoint-bits needs --checkpoint FILE");
  return a;
}

void load_images(Session& s, const std::string& dataset, const std::string& dir) {
  const std::string train = dir + "/" + dataset + "-train.glds", test = dir + "/" + dataset + "-test.glds";
  if (!std::filesystem::exists(train))
    throw std::runtime_error("no image data at " + train + ": build the data sets (scripts/genlab test builds them) or pass --data DIR");
  s.provide_images(dataset, load_image_asset(train), load_image_asset(test));
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string metrics_json(const Metrics& m) {
  std::string s;
  for (const auto& [k, v] : m) s += ", \"" + k + "\": " + json_number(v);
  return s;
}

// The value of the kind's first history channel (the VAE's loss, the GAN's D loss).
float main_loss(const Session& s, const StepStats& st) { return st.*models::stat_field(s.kind().channels.at(0)).member; }

void progress(const Session& s, long long done, long long total, const StepStats& st) {
  const int width = 30;
  const int filled = total > 0 ? static_cast<int>(width * done / total) : 0;
  std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld ", filled, "##############################", width - filled, "", done,
               total);
  const auto& channels = s.kind().channels;
  for (std::size_t i = 0; i < channels.size() && i < 2; ++i)
    std::fprintf(stderr, " %s %.4g", channels[i].c_str(), static_cast<double>(st.*models::stat_field(channels[i]).member));
  std::fputs("   ", stderr);
}

// Samples as float32 little-endian rows after a 16-byte header: "GLSM", u32 version 1, u32 rows,
// u32 columns.
void dump_samples(Session& s, const std::string& path, long long n) {
  const Tensor2 x = s.samples(static_cast<std::size_t>(n));
  std::ofstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot write " + path);
  const std::uint32_t header[4] = {0x4d534c47u /* "GLSM" */, 1u, static_cast<std::uint32_t>(rows(x)),
                                   static_cast<std::uint32_t>(cols(x))};
  f.write(reinterpret_cast<const char*>(header), sizeof header);
  f.write(reinterpret_cast<const char*>(x.data()), static_cast<std::streamsize>(x.size() * sizeof(float)));
  if (!f) throw std::runtime_error("failed writing " + path);
}

// The configuration a --init file names (GenLab's model file, or a .safetensors file with
// GenLab's metadata); false for a plain .safetensors file.
bool file_config(const std::vector<std::uint8_t>& bytes, Config& c) {
  if (io::looks_like_safetensors(bytes.data(), bytes.size()))
    return io::config_of(io::read_safetensors(bytes.data(), bytes.size()), c);
  c = io::config_of(io::read_model_file(bytes));
  return true;
}

int run(const Args& a) {
  Config c;
  std::vector<std::uint8_t> init;
  bool named = false;
  if (!a.init.empty()) {
    init = cli::read_file(a.init);
    named = file_config(init, c);
    if (named && (!a.preset.empty() || !a.sets.empty()))
      throw std::invalid_argument(a.init + " names its model: drop --preset and --set");
    if (!named && a.preset.empty()) throw std::invalid_argument(a.init + " has no GenLab metadata: give the --preset it was trained for");
  }
  if (!named) {
    c = preset(a.preset);
    for (const auto& s : a.sets) apply_assignment(c, s);
  }
  if (a.seed >= 0) c.seed = static_cast<int>(a.seed);
  validate(c);
  Session s;
  if (is_image_dataset(c.dataset)) load_images(s, c.dataset, a.data);
  if (c.dataset == "points") throw std::invalid_argument("the points data set is drawn in the page; use a 2-D set here");
  s.configure(c);
  if (!init.empty()) {
    if (io::looks_like_safetensors(init.data(), init.size()))
      s.import_safetensors(init.data(), init.size());
    else
      s.load_model(init.data(), init.size());
    std::fprintf(stderr, "started from %s (step %lld)\n", a.init.c_str(), s.steps());
    c = s.config();
  }

  if (!a.checkpoint.empty()) (void)s.export_checkpoint(a.checkpoint_bits, a.bits_per_network);  // a bad --checkpoint-bits fails now, not after training
  long long total = a.steps;
  if (a.epochs >= 0 && !is_image_dataset(c.dataset))
    throw std::invalid_argument("--epochs needs a finite data set; use --steps for 2-D data");
  if (total < 0) {
    if (is_image_dataset(c.dataset)) {
      const long long epochs = a.epochs >= 0 ? a.epochs : 10;
      const double n = static_cast<double>(s.real_samples(1u << 30).shape()[0]);
      // Batches an iteration draws: one for a VAE, k_D for a GAN.
      const double per_step = static_cast<double>(c.batch) * s.model()->batches_per_iteration();
      total = static_cast<long long>(std::ceil(static_cast<double>(epochs) * n / per_step));
    } else {
      total = 10000;
    }
  }
  const bool tty = isatty(2) != 0;
  using clock = std::chrono::steady_clock;
  double train_seconds = 0;
  long long done = 0;
  StepStats last;
  const long long chunk = a.eval_every > 0 ? a.eval_every : std::max(1LL, total / 100);
  while (done < total) {
    const long long n = std::min(chunk, total - done);
    const auto t0 = clock::now();
    long long ran = 0;
    while (ran < n) {  // small pieces so the progress bar moves
      const int piece = static_cast<int>(std::min<long long>(n - ran, 200));
      last = s.train(piece);
      ran += last.steps;
      if (!last.finite) break;
      if (tty) progress(s, done + ran, total, last);
    }
    train_seconds += std::chrono::duration<double>(clock::now() - t0).count();
    done += ran;
    if (!last.finite) {
      if (tty) std::fputc('\n', stderr);
      std::printf("{\"event\": \"diverged\", \"step\": %lld, \"message\": \"a loss became NaN or infinite; try a smaller "
                  "learning rate\"}\n", done);
      return 3;
    }
    if (a.eval_every > 0 && done < total) {
      const Metrics m = s.evaluate(0);
      if (tty) std::fputc('\r', stderr);
      std::printf("{\"event\": \"eval\", \"step\": %lld, \"train_loss\": %s%s, \"steps_per_s\": %s}\n", done,
                  json_number(main_loss(s, last)).c_str(), metrics_json(m).c_str(),
                  json_number(static_cast<double>(done) / train_seconds).c_str());
      std::fflush(stdout);
    }
  }
  if (tty) std::fputs("\n", stderr);
  Metrics m = s.evaluate(a.iwae);  // the IWAE bound, for models that define a likelihood
  if (is_image_dataset(c.dataset)) s.second_opinion(m);  // a second, differently built judge
  std::printf("{\"event\": \"final\", \"preset\": \"%s\", \"seed\": %d, \"step\": %lld, \"train_loss\": %s%s, "
              "\"steps_per_s\": %s, \"train_seconds\": %s, \"config\": %s}\n",
              a.preset.c_str(), c.seed, done, json_number(main_loss(s, last)).c_str(),
              metrics_json(m).c_str(), json_number(static_cast<double>(done) / std::max(train_seconds, 1e-9)).c_str(),
              json_number(train_seconds).c_str(), to_json(c).c_str());
  std::fflush(stdout);
  if (!a.out.empty()) {
    std::filesystem::create_directories(a.out);
    for (const auto& f : cli::write_figures(s, a.out)) std::fprintf(stderr, "wrote %s/%s\n", a.out.c_str(), f.c_str());
  }
  if (!a.dump.empty()) dump_samples(s, a.dump, a.samples);
  if (!a.checkpoint.empty()) {
    const std::vector<std::uint8_t> b = s.export_checkpoint(a.checkpoint_bits, a.bits_per_network);
    std::ofstream f(a.checkpoint, std::ios::binary);
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    if (!f) throw std::runtime_error("cannot write " + a.checkpoint);
    std::fprintf(stderr, "wrote %s (%zu bytes, %d-bit)\n", a.checkpoint.c_str(), b.size(), a.checkpoint_bits);
    // The file as the page will see it: imported into a fresh session and judged the same way.
    Session back;
    if (is_image_dataset(c.dataset)) load_images(back, c.dataset, a.data);
    back.import_safetensors(b.data(), b.size());
    Metrics mb = back.evaluate(a.iwae);
    if (is_image_dataset(c.dataset)) back.second_opinion(mb);
    std::printf("{\"event\": \"checkpoint\", \"preset\": \"%s\", \"seed\": %d, \"step\": %lld, \"bits\": %d, \"bytes\": %zu%s}\n",
                a.preset.c_str(), c.seed, back.steps(), a.checkpoint_bits, b.size(), metrics_json(mb).c_str());
    std::fflush(stdout);
  }
  if (!a.export_dir.empty())
    for (const auto& f : cli::export_pytorch(s, a.export_dir, a.data)) std::fprintf(stderr, "wrote %s\n", (std::filesystem::path(a.export_dir) / f).string().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "genlab-train: %s\n", e.what());
    return 2;
  }
}
