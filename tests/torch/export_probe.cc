// The GenLab side of the PyTorch round trip (tests/torch/roundtrip.py drives it):
//
//   export_probe export DIR STEPS key=value...  trains STEPS, writes DIR/model.safetensors and
//                                               DIR/genlab_model.py, and DIR/probe.safetensors:
//                                               inputs (x, z, y) and GenLab's outputs for them
//   export_probe check DIR                      imports DIR/trained.safetensors (saved by the
//                                               PyTorch module), runs the same inputs, and
//                                               compares with DIR/torch_outputs.safetensors
//   export_probe replay DIR N                   imports DIR/model.safetensors and trains N
//                                               iterations on the batches and noise that train.py
//                                               drew (DIR/replay/draws.safetensors: x.0, x.1, …
//                                               with their classes y.0, y.1, … for conditional
//                                               models, and noise.0, noise.1, … in drawing
//                                               order); prints each iteration's StepStats as a
//                                               JSON line and writes DIR/replay/genlab.safetensors
//                                               (tests/torch/replay_check.py drives it)
//
// Outputs: a VAE's μ, log σ² (of x) and decoded means (of z), with a VAE-GAN's also D's verdict on
// x ("d"); a GAN's samples from G's moving average ("g") and from G itself ("g_raw"), and D's
// verdict on x ("d"). Conditional models get the classes y. Tolerance: max |GenLab − PyTorch| ≤ 1e-5 · max |PyTorch| per tensor.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "genlab/data/image_asset.hpp"
#include "genlab/io/model_tensors.hpp"
#include "genlab/io/safetensors.hpp"
#include "genlab/models/gan.hpp"
#include "genlab/session.hpp"
#include "pytorch_export.hpp"

namespace {

using namespace genlab;
using Outputs = std::map<std::string, Tensor2>;

constexpr std::size_t kRows = 8;

void provide_data(Session& s, const std::string& dataset) {
  if (!is_image_dataset(dataset)) return;
  const std::string dir = GENLAB_DATA_DIR;
  s.provide_images(dataset, load_image_asset(dir + "/" + dataset + "-train.glds"),
                   load_image_asset(dir + "/" + dataset + "-test.glds"));
}

Tensor2 tensor_of(const io::SafeTensorIn& t) {
  Tensor2 out({t.shape.at(0), t.values.size() / t.shape.at(0)});
  std::copy(t.values.begin(), t.values.end(), out.begin());
  return out;
}

// GenLab's outputs for inputs x (kRows, D), z (kRows, noise), y (kRows classes).
Outputs outputs(Session& s, const Tensor2& x, const Tensor2& z, const std::vector<std::uint8_t>& y) {
  models::Model& m = *s.model();
  Outputs out;
  if (m.classes() > 0) m.condition(y);
  if (models::Autoencoder* ae = m.autoencoder()) {
    ae->encode(x, out["mu"], out["logvar"]);
    ae->decode(z, out["x_mean"]);
    if (models::Critic* d = m.critic()) d->discriminate(x, out["d"]);  // a VAE-GAN's D
  } else {
    auto& gan = dynamic_cast<models::Gan&>(m);
    Rng unused(0);
    m.generate(z, unused, out["g"]);
    if (gan.g_ema_values().size() > 0) {
      // G itself: its moving average set to its current weights for one call.
      const Tensor1 ema = gan.g_ema_values();
      gan.g_ema_values() = gan.g_params().values();
      m.generate(z, unused, out["g_raw"]);
      gan.g_ema_values() = ema;
    }
    gan.discriminate(x, out["d"]);
  }
  return out;
}

std::vector<io::SafeTensorOut> refs(const Outputs& o) {
  std::vector<io::SafeTensorOut> r;
  for (const auto& [k, t] : o) r.push_back({k, {t.shape(0), t.shape(1)}, t.data()});
  return r;
}

void write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

int do_export(const std::string& dir, long long steps, const std::vector<std::string>& sets) {
  Config c;
  for (const auto& a : sets) apply_assignment(c, a);
  validate(c);
  Session s;
  provide_data(s, c.dataset);
  s.configure(c);
  s.train(static_cast<int>(steps));  // batch statistics, a moving average apart from G, Adam moments
  cli::export_pytorch(s, dir, GENLAB_DATA_DIR);
  models::Model& m = *s.model();
  const Tensor2 x = s.real_samples(kRows);
  Tensor2 z({kRows, m.noise_dim()});
  Rng rng(7);
  m.sample_noise(rng, z);
  std::vector<std::uint8_t> y(kRows);
  Tensor2 yf({kRows, 1});
  for (std::size_t r = 0; r < kRows; ++r) {
    y[r] = static_cast<std::uint8_t>(m.classes() > 0 ? (3 * r + 1) % m.classes() : 0);
    yf(r, 0) = y[r];
  }
  Outputs o = outputs(s, x, z, y);
  o["x"] = x;
  o["z"] = z;
  o["y"] = yf;
  write(dir + "/probe.safetensors", io::write_safetensors(refs(o), {}));
  // A compact checkpoint (3-bit matrices, G from G_ema) and what GenLab makes of it, in float32:
  // the generated module must expand it to the same tensors.
  const std::vector<std::uint8_t> compact = s.export_checkpoint(3);
  write(dir + "/compact.safetensors", compact);
  Session back;
  provide_data(back, c.dataset);
  back.import_safetensors(compact.data(), compact.size());
  write(dir + "/compact_expanded.safetensors", back.export_safetensors());
  std::printf("exported %s (%zu outputs)\n", dir.c_str(), o.size() - 3);
  return 0;
}

// A model file (weights and settings) imported into `s`, its image data provided first.
void import_model(Session& s, const std::string& path) {
  const std::vector<std::uint8_t> model = cli::read_file(path);
  const io::SafeTensors mf = io::read_safetensors(model.data(), model.size());
  Config c;
  if (!io::config_of(mf, c)) throw std::runtime_error(path + " has no GenLab metadata");
  provide_data(s, c.dataset);
  s.import_safetensors(model.data(), model.size());
}

int do_check(const std::string& dir) {
  Session s;
  import_model(s, dir + "/trained.safetensors");
  const std::vector<std::uint8_t> pb = cli::read_file(dir + "/probe.safetensors");
  const std::vector<std::uint8_t> tb = cli::read_file(dir + "/torch_outputs.safetensors");
  const io::SafeTensors probe = io::read_safetensors(pb.data(), pb.size());
  const io::SafeTensors torch = io::read_safetensors(tb.data(), tb.size());
  std::vector<std::uint8_t> y;
  for (float v : probe.find("y")->values) y.push_back(static_cast<std::uint8_t>(v));
  const Outputs o = outputs(s, tensor_of(*probe.find("x")), tensor_of(*probe.find("z")), y);
  int failed = 0, passed = 0;
  for (const io::SafeTensorIn& t : torch.tensors) {
    const auto it = o.find(t.name);
    if (it == o.end() || it->second.size() != t.values.size()) {
      std::printf("FAIL %s: GenLab has no such output of that size\n", t.name.c_str());
      ++failed;
      continue;
    }
    double err = 0, scale = 0;
    for (std::size_t i = 0; i < t.values.size(); ++i) {
      err = std::max(err, std::fabs(static_cast<double>(it->second.data()[i]) - t.values[i]));
      scale = std::max(scale, std::fabs(static_cast<double>(t.values[i])));
    }
    const bool ok = err <= 1e-5 * std::max(scale, 1e-30);
    std::printf("%s PyTorch-trained %s: max |GenLab - PyTorch| %.3g, relative %.3g\n", ok ? "ok  " : "FAIL", t.name.c_str(),
                err, err / std::max(scale, 1e-30));
    (ok ? passed : failed)++;
  }
  if (torch.tensors.empty()) ++failed;
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

// The batches train.py drew, in order (x.0, x.1, …).
class RecordedBatches final : public models::DataStream {
 public:
  explicit RecordedBatches(const io::SafeTensors& draws) : draws_(draws) {}
  const Tensor2& next() override {
    const io::SafeTensorIn* t = draws_.find("x." + std::to_string(used_));
    if (!t) throw std::runtime_error("the replay needs batch x." + std::to_string(used_) + ", which train.py did not draw");
    x_ = tensor_of(*t);
    y_.clear();
    if (const io::SafeTensorIn* y = draws_.find("y." + std::to_string(used_)))
      for (float v : y->values) y_.push_back(static_cast<std::uint8_t>(v));
    ++used_;
    return x_;
  }
  const std::uint8_t* labels() const override { return y_.empty() ? nullptr : y_.data(); }
  int used() const { return used_; }

 private:
  const io::SafeTensors& draws_;
  Tensor2 x_;
  std::vector<std::uint8_t> y_;
  int used_ = 0;
};

int count_prefixed(const io::SafeTensors& f, const std::string& prefix) {
  int n = 0;
  while (f.find(prefix + std::to_string(n))) ++n;
  return n;
}

int do_replay(const std::string& dir, int iterations) {
  Session s;
  import_model(s, dir + "/model.safetensors");
  const std::vector<std::uint8_t> db = cli::read_file(dir + "/replay/draws.safetensors");
  const io::SafeTensors draws = io::read_safetensors(db.data(), db.size());
  models::Model& m = *s.model();
  int noise = 0;
  m.replay_noise([&](Tensor2& z) {
    const std::string name = "noise." + std::to_string(noise++);
    const io::SafeTensorIn* t = draws.find(name);
    if (!t || t->values.size() != z.size() || t->shape.at(0) != z.shape(0))
      throw std::runtime_error("the replay needs " + name + " of " + std::to_string(z.shape(0)) + " x " +
                               std::to_string(z.shape(1)) + ", which train.py did not draw");
    std::copy(t->values.begin(), t->values.end(), z.begin());
  });
  RecordedBatches data(draws);
  Rng unused(0);  // every draw is replayed; one from this Rng would make the runs part (and fail)
  for (int i = 1; i <= iterations; ++i) {
    const StepStats st = m.train_iteration(data, unused);
    std::printf("{\"step\": %d", i);
    for (const auto& f : models::stat_fields()) std::printf(", \"%s\": %.9g", f.name, static_cast<double>(st.*f.member));
    std::printf("}\n");
  }
  // Every draw train.py made was used, in the same number: a model that draws less (or more) is
  // not the same step.
  const int batches = count_prefixed(draws, "x."), noises = count_prefixed(draws, "noise.");
  if (data.used() != batches || noise != noises)
    throw std::runtime_error("GenLab used " + std::to_string(data.used()) + " batches and " + std::to_string(noise) +
                             " noise draws; train.py drew " + std::to_string(batches) + " and " + std::to_string(noises));
  write(dir + "/replay/genlab.safetensors", s.export_safetensors());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() >= 3 && args[0] == "export")
      return do_export(args[1], std::stoll(args[2]), std::vector<std::string>(args.begin() + 3, args.end()));
    if (args.size() == 2 && args[0] == "check") return do_check(args[1]);
    if (args.size() == 3 && args[0] == "replay") return do_replay(args[1], std::stoi(args[2]));
    std::fprintf(stderr, "usage: export_probe export DIR STEPS key=value... | export_probe check DIR | export_probe replay DIR N\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "export_probe: %s\n", e.what());
    return 2;
  }
}
