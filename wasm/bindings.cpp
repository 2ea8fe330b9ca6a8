// Embind bindings: the JavaScript face of the GenLab Session (types in genlab.d.ts).
// Coarse calls only, no per-sample crossings: every view returns one copied typed array, never a
// view into the wasm heap (memory growth would detach it). Every C++ exception reaches
// JavaScript as an Error carrying its message.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <malloc.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "genlab/config/config.hpp"
#include "genlab/data/csv_points.hpp"
#include "genlab/data/image_asset.hpp"
#include "genlab/kernels/parallel.hpp"
#include "genlab/kernels/simd.hpp"
#include "genlab/session.hpp"
#include "genlab/version.hpp"

using emscripten::val;

namespace {

using namespace genlab;

// Runs f; turns any C++ exception into a thrown JavaScript Error with the same message.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    val::global("Error").new_(std::string(e.what())).throw_();
  } catch (...) {
    val::global("Error").new_(std::string("unknown error in the GenLab core")).throw_();
  }
  __builtin_unreachable();
}

val float_array(const float* p, std::size_t n) {
  val out = val::global("Float32Array").new_(n);
  if (n) out.call<void>("set", val(emscripten::typed_memory_view(n, p)));
  return out;
}
val float_array(const Tensor2& t) { return float_array(t.data(), t.size()); }

val byte_array(const std::uint8_t* p, std::size_t n) {
  val out = val::global("Uint8Array").new_(n);
  if (n) out.call<void>("set", val(emscripten::typed_memory_view(n, p)));
  return out;
}

std::vector<std::uint8_t> bytes_of(const val& u8) {
  const auto n = u8["length"].as<std::size_t>();
  std::vector<std::uint8_t> v(n);
  if (n) val(emscripten::typed_memory_view(n, v.data())).call<void>("set", u8);
  return v;
}

std::string text_of(const val& v) {
  if (v.isString()) return v.as<std::string>();
  return val::global("String")(v).as<std::string>();
}

// Defaults + the given settings object ({key: value}); throws ConfigError on the first bad one.
Config config_from(const val& settings) {
  Config c;
  const val entries = val::global("Object").call<val>("entries", settings);
  const auto n = entries["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) set_value(c, text_of(entries[i][0]), text_of(entries[i][1]));
  validate(c);
  return c;
}

val stats_object(const StepStats& s) {
  val o = val::object();
  o.set("steps", s.steps);
  o.set("totalSteps", static_cast<double>(s.total_steps));
  o.set("epoch", s.epoch);
  o.set("finite", s.finite);
  o.set("loss", s.loss), o.set("recon", s.recon), o.set("kl", s.kl), o.set("beta", s.beta);
  o.set("dLoss", s.d_loss), o.set("gLoss", s.g_loss), o.set("dReal", s.d_real), o.set("dFake", s.d_fake);
  return o;
}

std::size_t count(double n, double max, const char* what) {
  if (!(n >= 0 && n <= max)) throw std::invalid_argument(std::string(what) + ": count must be in [0, " +
                                                         std::to_string(static_cast<long long>(max)) + "]");
  return static_cast<std::size_t>(n);
}

constexpr double kMaxView = 100000;

// Live Session objects, so tests can prove the page deletes every one it creates.
int g_live_sessions = 0;

class JsSession {
 public:
  JsSession() { ++g_live_sessions; }
  ~JsSession() { --g_live_sessions; }
  JsSession(const JsSession&) = delete;
  JsSession& operator=(const JsSession&) = delete;

  void configure(val settings) { guarded([&] { s_.configure(config_from(settings)); }); }
  val config() const {
    val o = val::object();
    for (const Field& f : schema()) o.set(f.key, get_value(s_.config(), f.key));
    return o;
  }
  void provideImages(std::string dataset, val train, val test) {
    guarded([&] {
      const auto a = bytes_of(train), b = bytes_of(test);
      s_.provide_images(dataset, read_image_asset(a.data(), a.size()), read_image_asset(b.data(), b.size()));
    });
  }
  bool hasImages(std::string dataset) const { return s_.has_images(dataset); }
  int setPointsCsv(std::string text) {
    return guarded([&] {
      const Tensor2 pts = parse_points_csv(text);
      s_.set_points(pts);
      return static_cast<int>(rows(pts));
    });
  }
  void setPoints(val xy) {
    guarded([&] {
      const auto n = xy["length"].as<std::size_t>();
      if (n % 2 != 0) throw std::invalid_argument("setPoints: expected x, y pairs");
      Tensor2 pts({n / 2, 2});
      if (n) val(emscripten::typed_memory_view(n, pts.data())).call<void>("set", xy);
      s_.set_points(pts);
    });
  }
  val train(double n) { return guarded([&] { return stats_object(s_.train(static_cast<int>(count(n, 1e6, "train")))); }); }
  val trainD(double n) { return guarded([&] { return stats_object(s_.train_d(static_cast<int>(count(n, 1e6, "trainD")))); }); }
  val trainG(double n) { return guarded([&] { return stats_object(s_.train_g(static_cast<int>(count(n, 1e6, "trainG")))); }); }
  double steps() const { return static_cast<double>(s_.steps()); }

  val evaluate(double k) {
    return guarded([&] {
      val o = val::object();
      for (const auto& [key, v] : s_.evaluate(static_cast<int>(count(k, 5000, "evaluate")))) o.set(key, v);
      return o;
    });
  }
  double classifierAccuracy() { return guarded([&] { return s_.classifier_accuracy(); }); }

  int dataDim() const { return s_.configured() ? static_cast<int>(s_.data_dim()) : 0; }
  bool isImage() const { return s_.configured() && s_.image_data(); }
  val dataBox() const {
    const metrics::Box b = s_.data_box();
    const float v[4] = {b.x0, b.x1, b.y0, b.y1};
    return float_array(v, 4);
  }
  val realSamples(double n) { return guarded([&] { return float_array(s_.real_samples(count(n, kMaxView, "realSamples"))); }); }
  val samples(double n) { return guarded([&] { return float_array(s_.samples(count(n, kMaxView, "samples"))); }); }
  val discriminatorField(float x0, float x1, float y0, float y1, double res) {
    return guarded([&] {
      if (!(x0 < x1 && y0 < y1)) throw std::invalid_argument("discriminatorField: empty box");
      return float_array(s_.discriminator_field({x0, x1, y0, y1}, count(res, 512, "discriminatorField")));
    });
  }
  bool discriminatorIsProbability() { return s_.gan() && s_.gan()->outputs_probability(); }
  val generatorGradients(double n) {
    return guarded([&] { return float_array(s_.generator_gradients(count(n, kMaxView, "generatorGradients"))); });
  }
  val noiseGridWarp(double res) { return guarded([&] { return float_array(s_.noise_grid_warp(count(res, 256, "noiseGridWarp"))); }); }
  val reconstructions(double n) {
    return guarded([&] {
      Tensor2 in;
      const Tensor2 out = s_.reconstructions(count(n, kMaxView, "reconstructions"), &in);
      val o = val::object();
      o.set("inputs", float_array(in));
      o.set("outputs", float_array(out));
      return o;
    });
  }
  val latentCodes(double n) {
    return guarded([&] {
      std::vector<std::uint8_t> labels;
      const Tensor2 mu = s_.latent_codes(count(n, kMaxView, "latentCodes"), &labels);
      val o = val::object();
      o.set("codes", float_array(mu));
      o.set("labels", byte_array(labels.data(), labels.size()));
      o.set("dim", static_cast<int>(cols(mu)));
      return o;
    });
  }
  val latentGrid(double res, float extent, double dx, double dy) {
    return guarded([&] {
      return float_array(s_.latent_grid(count(res, 64, "latentGrid"), extent, count(dx, 1e4, "dimX"), count(dy, 1e4, "dimY")));
    });
  }
  val interpolate(double i, double j, double n) {
    return guarded([&] {
      return float_array(s_.interpolate(count(i, 1e6, "interpolate"), count(j, 1e6, "interpolate"), count(n, 64, "interpolate")));
    });
  }
  val history() const {
    const auto& h = s_.history();
    std::vector<float> flat;
    flat.reserve(h.size() * 4);
    for (const HistoryPoint& p : h) {
      flat.push_back(static_cast<float>(p.step));
      flat.push_back(p.a), flat.push_back(p.b), flat.push_back(p.c);
    }
    return float_array(flat.data(), flat.size());
  }
  val saveModel() {
    return guarded([&] {
      const std::vector<std::uint8_t> b = s_.save_model();
      return byte_array(b.data(), b.size());
    });
  }
  double restoreCheckpoint() { return guarded([&] { return static_cast<double>(s_.restore_checkpoint()); }); }
  double checkpointSteps() const { return static_cast<double>(s_.checkpoint_steps()); }
  void loadModel(val bytes) {
    guarded([&] {
      const auto b = bytes_of(bytes);
      s_.load_model(b.data(), b.size());
    });
  }

 private:
  Session s_;
};

std::string version() { return genlab::kVersion; }
int live_sessions() { return g_live_sessions; }
// Bytes of the wasm heap in use by malloc (the sbrk'd region minus free blocks) and the size of
// wasm memory: soak tests watch them for growth.
val heap_stats() {
  const struct mallinfo mi = mallinfo();
  val o = val::object();
  o.set("used", static_cast<double>(mi.uordblks));
  o.set("arena", static_cast<double>(mi.arena));
  o.set("memory", static_cast<double>(emscripten_get_heap_size()));
  return o;
}
std::string simd() { return genlab::kernels::simd_name(); }
bool simd_enabled() { return GENLAB_SIMD != 0; }
int threads() { return genlab::kernels::kernel_threads(); }

val schema_js() {
  val out = val::array();
  const Config d;
  for (const Field& f : schema()) {
    val o = val::object();
    static const char* types[] = {"int", "float", "bool", "enum", "intlist"};
    o.set("key", f.key);
    o.set("type", std::string(types[static_cast<int>(f.type)]));
    o.set("group", f.group);
    o.set("help", f.help);
    o.set("min", f.min);
    o.set("max", f.max);
    val ch = val::array();
    for (const auto& c : f.choices) ch.call<void>("push", c);
    o.set("choices", ch);
    o.set("default", get_value(d, f.key));
    out.call<void>("push", o);
  }
  return out;
}

val presets_js() {
  val out = val::array();
  for (const auto& name : preset_names()) {
    val o = val::object();
    o.set("name", name);
    o.set("description", preset_description(name));
    val settings = val::object();
    for (const auto& a : changed_assignments(preset(name))) {
      const auto eq = a.find('=');
      settings.set(a.substr(0, eq), a.substr(eq + 1));
    }
    o.set("settings", settings);
    out.call<void>("push", o);
  }
  return out;
}

val datasets_js() {
  val out = val::array();
  for (const auto& d : dataset_names()) out.call<void>("push", d);
  return out;
}

// Parses CSV points without touching any session: x, y pairs, or a thrown Error naming the line.
val parse_points_csv_js(std::string text) {
  return guarded([&] { return float_array(parse_points_csv(text)); });
}

val check_config(val settings) {
  try {
    config_from(settings);
    return val::null();
  } catch (const std::exception& e) {
    return val(std::string(e.what()));
  }
}

}  // namespace

EMSCRIPTEN_BINDINGS(genlab) {
  emscripten::function("version", &version);
  emscripten::function("simd", &simd);
  emscripten::function("simdEnabled", &simd_enabled);
  emscripten::function("threads", &threads);
  emscripten::function("schema", &schema_js);
  emscripten::function("presets", &presets_js);
  emscripten::function("datasets", &datasets_js);
  emscripten::function("checkConfig", &check_config);
  emscripten::function("liveSessions", &live_sessions);
  emscripten::function("parsePointsCsv", &parse_points_csv_js);
  emscripten::function("heapStats", &heap_stats);
  emscripten::class_<JsSession>("Session")
      .constructor<>()
      .function("configure", &JsSession::configure)
      .function("config", &JsSession::config)
      .function("provideImages", &JsSession::provideImages)
      .function("hasImages", &JsSession::hasImages)
      .function("setPointsCsv", &JsSession::setPointsCsv)
      .function("setPoints", &JsSession::setPoints)
      .function("train", &JsSession::train)
      .function("trainD", &JsSession::trainD)
      .function("trainG", &JsSession::trainG)
      .function("steps", &JsSession::steps)
      .function("evaluate", &JsSession::evaluate)
      .function("classifierAccuracy", &JsSession::classifierAccuracy)
      .function("dataDim", &JsSession::dataDim)
      .function("isImage", &JsSession::isImage)
      .function("dataBox", &JsSession::dataBox)
      .function("realSamples", &JsSession::realSamples)
      .function("samples", &JsSession::samples)
      .function("discriminatorField", &JsSession::discriminatorField)
      .function("discriminatorIsProbability", &JsSession::discriminatorIsProbability)
      .function("generatorGradients", &JsSession::generatorGradients)
      .function("noiseGridWarp", &JsSession::noiseGridWarp)
      .function("reconstructions", &JsSession::reconstructions)
      .function("latentCodes", &JsSession::latentCodes)
      .function("latentGrid", &JsSession::latentGrid)
      .function("interpolate", &JsSession::interpolate)
      .function("history", &JsSession::history)
      .function("saveModel", &JsSession::saveModel)
      .function("loadModel", &JsSession::loadModel)
      .function("restoreCheckpoint", &JsSession::restoreCheckpoint)
      .function("checkpointSteps", &JsSession::checkpointSteps);
}
