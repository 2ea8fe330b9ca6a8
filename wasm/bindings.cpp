// Embind bindings: the JavaScript face of the GenLab Session (types in genlab.d.ts).
// Coarse calls only, no per-sample crossings: every view returns one copied typed array, never a
// view into the wasm heap (memory growth would detach it). Records (StepStats, run info, heap
// statistics) are value objects; the core's registries (data sets, model kinds, presets, the
// settings schema, architecture specs) come from the core's own tables. Every C++ exception
// reaches JavaScript as an Error with two extra fields: `key` (the setting it is about, or null)
// and `kind` ("config", "file", "input", "state" or "internal") — nobody parses message text.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <string>
#include <vector>

#include "genlab/config/config.hpp"
#include "genlab/data/csv_points.hpp"
#include "genlab/data/datasets.hpp"
#include "genlab/data/image_asset.hpp"
#include "genlab/io/model_file.hpp"
#include "genlab/io/model_tensors.hpp"
#include "genlab/io/safetensors.hpp"
#include "genlab/kernels/parallel.hpp"
#include "genlab/kernels/simd.hpp"
#include "genlab/models/registry.hpp"
#include "genlab/session.hpp"
#include "genlab/version.hpp"

using emscripten::val;

namespace {

using namespace genlab;

// {key, kind} of an exception, for JavaScript.
struct ErrorInfo {
  val key = val::null();
  const char* kind = "internal";
};

ErrorInfo classify(const std::exception& e) {
  ErrorInfo i;
  if (const auto* c = dynamic_cast<const ConfigError*>(&e)) {
    i.key = val(c->key());
    i.kind = "config";
  } else if (dynamic_cast<const io::ModelFileError*>(&e)) {
    i.kind = "file";
  } else if (dynamic_cast<const std::invalid_argument*>(&e)) {
    i.kind = "input";
  } else if (dynamic_cast<const std::logic_error*>(&e)) {
    i.kind = "state";
  }
  return i;
}

[[noreturn]] void throw_js(const std::string& message, const ErrorInfo& info) {
  val err = val::global("Error").new_(message);
  err.set("key", info.key);
  err.set("kind", val(std::string(info.kind)));
  err.throw_();
  __builtin_unreachable();
}

// Runs f; turns any C++ exception into a thrown JavaScript Error (message, key, kind).
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    throw_js(e.what(), classify(e));
  } catch (...) {
    throw_js("unknown error in the GenLab core", ErrorInfo{});
  }
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

template <class T>
val array_of(const std::vector<T>& v) {
  val out = val::array();
  for (const T& x : v) out.call<void>("push", x);
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

std::size_t count(double n, double max, const char* what) {
  if (!(n >= 0 && n <= max)) throw std::invalid_argument(std::string(what) + ": count must be in [0, " +
                                                         std::to_string(static_cast<long long>(max)) + "]");
  return static_cast<std::size_t>(n);
}

constexpr double kMaxView = 100000;

// What the page needs to know about the configured run, in one record.
struct RunInfo {
  std::string model, dataset;
  bool image = false;
  int dataDim = 0, side = 0, latent = 0, classes = 0;
  bool probability = false;  // the critic's output is a probability (else a raw score)
  val box = val::null();     // Float32Array [x0, x1, y0, y1]
  val views = val::null(), channels = val::null(), parts = val::null(), groups = val::null();
  double parameters = 0;
};

struct HeapStats {
  double used = 0, arena = 0, memory = 0;
};

// Live Session objects, so tests can prove the page deletes every one it creates.
int g_live_sessions = 0;

class JsSession {
 public:
  JsSession() { ++g_live_sessions; }
  ~JsSession() { --g_live_sessions; }
  JsSession(const JsSession&) = delete;
  JsSession& operator=(const JsSession&) = delete;

  void configure(val settings) {
    guarded([&] {
      s_.configure(config_from(settings));
      saved_.reserve(s_.save_capacity());  // the page's first periodic save then allocates nothing either
    });
  }
  void retune(val settings) { guarded([&] { s_.retune(config_from(settings)); }); }
  val config() const {
    val o = val::object();
    for (const Field& f : schema()) o.set(f.key, get_value(s_.config(), f.key));
    return o;
  }
  RunInfo info() {
    return guarded([&] {
      if (!s_.configured()) throw std::logic_error("info: configure the session first");
      RunInfo r;
      const Config& c = s_.config();
      const DatasetInfo& d = *find_dataset(c.dataset);
      const models::ModelKind& k = s_.kind();
      r.model = c.model;
      r.dataset = c.dataset;
      r.image = d.image();
      r.dataDim = static_cast<int>(d.dim);
      r.side = static_cast<int>(d.side);
      models::Model* m = s_.model();
      r.latent = m->autoencoder() ? static_cast<int>(m->autoencoder()->latent()) : 0;
      r.classes = static_cast<int>(m->classes());
      r.probability = m->critic() && m->critic()->outputs_probability();
      const metrics::Box b = s_.data_box();
      const float v[4] = {b.x0, b.x1, b.y0, b.y1};
      r.box = float_array(v, 4);
      r.views = array_of(s_.views());
      r.channels = array_of(k.channels);
      r.parts = array_of(k.parts);
      r.groups = array_of(k.groups);
      r.parameters = static_cast<double>(s_.arch().parameter_count());
      return r;
    });
  }
  std::string architecture() const { return guarded([&] { return s_.arch().to_json(); }); }
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
  StepStats train(double n) { return guarded([&] { return s_.train(static_cast<int>(count(n, 1e6, "train"))); }); }
  StepStats trainPart(std::string part, double n) {
    return guarded([&] { return s_.train_part(part, static_cast<int>(count(n, 1e6, "trainPart"))); });
  }
  double steps() const { return static_cast<double>(s_.steps()); }
  double epoch() const { return s_.epoch(); }  // epochs of data seen, a loaded file's included

  val evaluate(double k) { return metrics(k, true, "evaluate"); }
  val evaluateWithoutJudge(double k) { return metrics(k, false, "evaluateWithoutJudge"); }
  double classifierAccuracy() { return guarded([&] { return s_.classifier_accuracy(); }); }
  val judgeWeights(std::string dataset) {
    return guarded([&] {
      const std::vector<float> w = s_.judge_weights(dataset);
      return float_array(w.data(), w.size());
    });
  }
  double judgesTrained() const { return static_cast<double>(s_.judges_trained()); }
  std::string judgeRecipe(std::string dataset) const {
    return guarded([&] { return s_.judge_recipe(dataset); });
  }
  void installJudge(std::string dataset, val weights) {
    guarded([&] {
      const auto n = weights["length"].as<std::size_t>();
      std::vector<float> w(n);
      if (n) val(emscripten::typed_memory_view(n, w.data())).call<void>("set", weights);
      s_.install_judge(dataset, std::move(w));
    });
  }

  val realSamples(double n) { return guarded([&] { return float_array(s_.real_samples(count(n, kMaxView, "realSamples"))); }); }
  val samples(double n) { return guarded([&] { return float_array(s_.samples(count(n, kMaxView, "samples"))); }); }
  void setSampleClass(int c) { guarded([&] { s_.set_sample_class(c); }); }
  val discriminatorField(float x0, float x1, float y0, float y1, double res) {
    return guarded([&] {
      if (!(x0 < x1 && y0 < y1)) throw std::invalid_argument("discriminatorField: empty box");
      return float_array(s_.discriminator_field({x0, x1, y0, y1}, count(res, 512, "discriminatorField")));
    });
  }
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
  // {channels, data}: data holds 1 + channels.length floats per point (step, then each channel).
  val history() const {
    const History& h = s_.history();
    const std::size_t k = h.channels.size();
    std::vector<float> flat;
    flat.reserve(h.size() * (1 + k));
    for (std::size_t i = 0; i < h.size(); ++i) {
      flat.push_back(static_cast<float>(h.steps[i]));
      for (std::size_t c = 0; c < k; ++c) flat.push_back(h.value(i, c));
    }
    val o = val::object();
    o.set("channels", array_of(h.channels));
    o.set("data", float_array(flat.data(), flat.size()));
    return o;
  }
  val saveModel() {
    return guarded([&] {
      s_.save_model(saved_);  // one buffer for every save: a checkpoint each few seconds allocates nothing
      return byte_array(saved_.data(), saved_.size());
    });
  }
  double restoreCheckpoint() { return guarded([&] { return static_cast<double>(s_.restore_checkpoint()); }); }
  double checkpointSteps() const { return static_cast<double>(s_.checkpoint_steps()); }
  void loadModel(val bytes) {
    guarded([&] {
      const auto b = bytes_of(bytes);
      if (io::looks_like_safetensors(b.data(), b.size()))
        s_.import_safetensors(b.data(), b.size());  // weights from PyTorch or an export
      else
        s_.load_model(b.data(), b.size());
      saved_.reserve(s_.save_capacity());
    });
  }
  // For train.py on a 2-D set: n draws of it (or your points) as .safetensors.
  val exportTrainingPoints(double n) {
    return guarded([&] {
      const std::vector<std::uint8_t> b = s_.export_training_points(static_cast<std::size_t>(n));
      return byte_array(b.data(), b.size());
    });
  }
  // The weights as .safetensors with PyTorch's names (io/README.md).
  val exportSafetensors() {
    return guarded([&] {
      const std::vector<std::uint8_t> b = s_.export_safetensors();
      return byte_array(b.data(), b.size());
    });
  }

 private:
  val metrics(double k, bool judge, const char* what) {
    return guarded([&] {
      val o = val::object();
      for (const auto& [key, v] : s_.evaluate(static_cast<int>(count(k, 5000, what)), judge)) o.set(key, v);
      return o;
    });
  }

  Session s_;
  std::vector<std::uint8_t> saved_;
};

std::string version() { return genlab::kVersion; }
int live_sessions() { return g_live_sessions; }
// Bytes of the wasm heap in use by malloc (the sbrk'd region minus free blocks) and the size of
// wasm memory: soak tests watch them for growth.
HeapStats heap_stats() {
  const struct mallinfo mi = mallinfo();
  return HeapStats{static_cast<double>(mi.uordblks), static_cast<double>(mi.arena),
                   static_cast<double>(emscripten_get_heap_size())};
}
std::string simd() { return genlab::kernels::simd_name(); }
bool simd_enabled() { return GENLAB_SIMD != 0; }
int threads() { return genlab::kernels::max_kernel_threads(); }
int set_threads(int n) { return genlab::kernels::set_kernel_threads(n); }

val schema_js() {
  val out = val::array();
  const Config d;
  static const char* types[] = {"int", "float", "bool", "enum", "intlist"};
  for (const Field& f : schema()) {
    val o = val::object();
    o.set("key", f.key);
    o.set("type", std::string(types[static_cast<int>(f.type)]));
    o.set("group", f.group);
    o.set("help", f.help);
    o.set("when", f.when);
    o.set("live", f.live);
    o.set("min", f.min);
    o.set("max", f.max);
    o.set("choices", array_of(f.choices));
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
    const auto [steps, what] = preset_expectation(name);
    o.set("expectSteps", static_cast<double>(steps));
    o.set("expectWhat", what);
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
  for (const DatasetInfo& d : datasets()) {
    val o = val::object();
    o.set("name", d.name);
    o.set("kind", data_kind_name(d.kind));
    o.set("title", d.title);
    o.set("dim", static_cast<int>(d.dim));
    o.set("side", static_cast<int>(d.side));
    o.set("source", d.source);
    o.set("classNames", array_of(d.class_names));
    o.set("hasModes", d.has_modes);
    out.call<void>("push", o);
  }
  return out;
}

val model_kinds_js() {
  val out = val::array();
  for (const models::ModelKind& k : models::model_kinds()) {
    val o = val::object();
    o.set("name", k.name);
    o.set("title", k.title);
    o.set("groups", array_of(k.groups));
    o.set("parts", array_of(k.parts));
    o.set("channels", array_of(k.channels));
    o.set("views2d", array_of(k.views_2d));
    o.set("viewsImage", array_of(k.views_image));
    out.call<void>("push", o);
  }
  return out;
}

// Parses CSV points without touching any session: x, y pairs, or a thrown Error naming the line.
val parse_points_csv_js(std::string text) {
  return guarded([&] { return float_array(parse_points_csv(text)); });
}

// null, or {key, message} of the first problem.
val check_config(val settings) {
  try {
    config_from(settings);
    return val::null();
  } catch (const std::exception& e) {
    val o = val::object();
    o.set("key", classify(e).key);
    o.set("message", std::string(e.what()));
    return o;
  }
}

// What a model file holds, without loading it: {kind, steps, config} (every setting, as text).
// Throws (kind "file") for anything the strict reader rejects.
// What a picked file holds: a model file's kind, steps and config; a .safetensors file's config
// when it has GenLab's metadata ({plain: true} when not: it loads into the model configured now).
val model_file_info(val bytes) {
  return guarded([&] {
    const auto b = bytes_of(bytes);
    Config c;
    val o = val::object();
    if (io::looks_like_safetensors(b.data(), b.size())) {
      o.set("format", std::string("safetensors"));
      if (!io::config_of(io::read_safetensors(b.data(), b.size()), c)) {
        o.set("plain", true);
        return o;
      }
      o.set("kind", c.model);
    } else {
      const io::ModelFile f = io::read_model_file(b.data(), b.size());
      c = io::config_of(f);
      o.set("kind", f.kind);
      o.set("steps", static_cast<double>(f.steps));
    }
    val cfg = val::object();
    for (const Field& fd : schema()) cfg.set(fd.key, get_value(c, fd.key));
    o.set("config", cfg);
    return o;
  });
}

// The architecture a configuration builds, as JSON (no weights allocated).
std::string architecture_js(val settings) {
  return guarded([&] { return models::arch_of(config_from(settings)).to_json(); });
}

// Embind here has no 64-bit integers (no WASM_BIGINT): the step count crosses as a double, exact
// up to 2^53 steps.
double total_steps_of(const StepStats& s) { return static_cast<double>(s.total_steps); }
void set_total_steps(StepStats& s, double v) { s.total_steps = static_cast<long long>(v); }

}  // namespace

EMSCRIPTEN_BINDINGS(genlab) {
  using emscripten::value_object;
  {
    // One list of StepStats' float fields (models/model.cpp) drives these names.
    auto stats = value_object<StepStats>("StepStats");
    stats.field("steps", &StepStats::steps);
    stats.field("totalSteps", &total_steps_of, &set_total_steps);
    stats.field("epoch", &StepStats::epoch);
    stats.field("finite", &StepStats::finite);
    for (const models::StatField& f : models::stat_fields()) stats.field(f.js, f.member);
  }
  value_object<RunInfo>("RunInfo")
      .field("model", &RunInfo::model)
      .field("dataset", &RunInfo::dataset)
      .field("image", &RunInfo::image)
      .field("dataDim", &RunInfo::dataDim)
      .field("side", &RunInfo::side)
      .field("latent", &RunInfo::latent)
      .field("classes", &RunInfo::classes)
      .field("probability", &RunInfo::probability)
      .field("box", &RunInfo::box)
      .field("views", &RunInfo::views)
      .field("channels", &RunInfo::channels)
      .field("parts", &RunInfo::parts)
      .field("groups", &RunInfo::groups)
      .field("parameters", &RunInfo::parameters);
  value_object<HeapStats>("HeapStats")
      .field("used", &HeapStats::used)
      .field("arena", &HeapStats::arena)
      .field("memory", &HeapStats::memory);

  emscripten::function("version", &version);
  emscripten::function("simd", &simd);
  emscripten::function("simdEnabled", &simd_enabled);
  emscripten::function("threads", &threads);
  emscripten::function("setThreads", &set_threads);
  emscripten::function("schema", &schema_js);
  emscripten::function("presets", &presets_js);
  emscripten::function("datasets", &datasets_js);
  emscripten::function("modelKinds", &model_kinds_js);
  emscripten::function("checkConfig", &check_config);
  emscripten::function("architecture", &architecture_js);
  emscripten::function("modelFileInfo", &model_file_info);
  emscripten::function("liveSessions", &live_sessions);
  emscripten::function("parsePointsCsv", &parse_points_csv_js);
  emscripten::function("heapStats", &heap_stats);
  emscripten::class_<JsSession>("Session")
      .constructor<>()
      .function("configure", &JsSession::configure)
      .function("retune", &JsSession::retune)
      .function("config", &JsSession::config)
      .function("info", &JsSession::info)
      .function("architecture", &JsSession::architecture)
      .function("provideImages", &JsSession::provideImages)
      .function("hasImages", &JsSession::hasImages)
      .function("setPointsCsv", &JsSession::setPointsCsv)
      .function("setPoints", &JsSession::setPoints)
      .function("train", &JsSession::train)
      .function("trainPart", &JsSession::trainPart)
      .function("steps", &JsSession::steps)
      .function("epoch", &JsSession::epoch)
      .function("evaluate", &JsSession::evaluate)
      .function("evaluateWithoutJudge", &JsSession::evaluateWithoutJudge)
      .function("classifierAccuracy", &JsSession::classifierAccuracy)
      .function("judgeWeights", &JsSession::judgeWeights)
      .function("installJudge", &JsSession::installJudge)
      .function("judgeRecipe", &JsSession::judgeRecipe)
      .function("judgesTrained", &JsSession::judgesTrained)
      .function("realSamples", &JsSession::realSamples)
      .function("samples", &JsSession::samples)
      .function("setSampleClass", &JsSession::setSampleClass)
      .function("discriminatorField", &JsSession::discriminatorField)
      .function("generatorGradients", &JsSession::generatorGradients)
      .function("noiseGridWarp", &JsSession::noiseGridWarp)
      .function("reconstructions", &JsSession::reconstructions)
      .function("latentCodes", &JsSession::latentCodes)
      .function("latentGrid", &JsSession::latentGrid)
      .function("interpolate", &JsSession::interpolate)
      .function("history", &JsSession::history)
      .function("saveModel", &JsSession::saveModel)
      .function("loadModel", &JsSession::loadModel)
      .function("exportSafetensors", &JsSession::exportSafetensors)
      .function("exportTrainingPoints", &JsSession::exportTrainingPoints)
      .function("restoreCheckpoint", &JsSession::restoreCheckpoint)
      .function("checkpointSteps", &JsSession::checkpointSteps);
}
