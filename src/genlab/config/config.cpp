#include "genlab/config/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "genlab/data/datasets.hpp"
#include "genlab/data/toy2d.hpp"

namespace genlab {
namespace {

using C = Config;

Field f_int(const char* key, const char* group, int C::*m, double lo, double hi, const char* help) {
  return Field{key, FieldType::Int, group, help, lo, hi, {}, m, "", false};
}
Field f_float(const char* key, const char* group, float C::*m, double lo, double hi, const char* help) {
  return Field{key, FieldType::Float, group, help, lo, hi, {}, m, "", false};
}
Field f_bool(const char* key, const char* group, bool C::*m, const char* help) {
  return Field{key, FieldType::Bool, group, help, 0, 1, {}, m, "", false};
}
Field f_enum(const char* key, const char* group, std::string C::*m, std::vector<std::string> choices, const char* help) {
  return Field{key, FieldType::Enum, group, help, 0, 0, std::move(choices), m, "", false};
}
Field f_list(const char* key, const char* group, std::vector<int> C::*m, double lo, double hi, const char* help) {
  return Field{key, FieldType::IntList, group, help, lo, hi, {}, m, "", false};
}

Field live(Field f) {
  f.live = true;
  return f;
}

Field when(Field f, const char* condition) {
  f.when = condition;
  return f;
}

const std::vector<std::string> kActs = {"relu", "leaky_relu", "tanh", "sigmoid", "elu"};
const std::vector<std::string> kOpts = {"sgd", "rmsprop", "adam"};
const char* const kAdam =
    "model=vae|vaegan and opt=adam or model=gan and g_opt=adam or model=gan|vaegan and d_opt=adam";
// The GAN's settings that a VAE-GAN, which shares the group for its D, has no use for.
const char* const kGanOnly = "model=gan";

std::string fmt_float(double v) {
  // Shortest of %.6g … %.9g that reads back as the same float: "0.001", not "0.00100000005".
  char buf[32];
  for (int p = 6; p <= 9; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (static_cast<float>(std::strtod(buf, nullptr)) == static_cast<float>(v)) break;
  }
  return buf;
}

std::string range_text(const Field& f) {
  if (f.type == FieldType::Enum) {
    std::string s = "one of ";
    for (std::size_t i = 0; i < f.choices.size(); ++i) s += (i ? ", " : "") + f.choices[i];
    return s;
  }
  if (f.type == FieldType::Bool) return "true or false";
  const std::string r = "[" + fmt_float(f.min) + ", " + fmt_float(f.max) + "]";
  if (f.type == FieldType::IntList) return "comma-separated integers in " + r + " (at most 4), or 'none'";
  return (f.type == FieldType::Int ? "an integer in " : "a number in ") + r;
}

[[noreturn]] void bad(const Field& f, const std::string& value, const std::string& why = "") {
  throw ConfigError(f.key, "'" + value + "' is not valid" + (why.empty() ? "" : " (" + why + ")") + "; expected " +
                               range_text(f));
}

double parse_number(const Field& f, const std::string& s) {
  if (s.empty()) bad(f, s, "empty");
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  // ERANGE alone is not an error: an underflow such as "-1e-999" is a fine 0 (the page's URL
  // decoder agrees); an overflow comes back as ±inf and is caught by isfinite.
  if (end != s.c_str() + s.size() || !std::isfinite(v)) bad(f, s);
  if (v < f.min || v > f.max) bad(f, s, "out of range");
  if (f.type != FieldType::Float && v != std::floor(v)) bad(f, s, "not an integer");
  return v;
}

}  // namespace

const std::vector<Field>& schema() {
  static const std::vector<Field> s = {
      f_enum("model", "general", &C::model, model_kind_names(), "model family"),
      f_enum("dataset", "general", &C::dataset, dataset_names(), "training data"),
      f_int("seed", "general", &C::seed, 0, 2147483647, "random seed: same seed, same run"),
      f_int("batch", "general", &C::batch, 1, 4096, "examples per training step"),
      f_enum("init", "general", &C::init, {"he", "xavier", "torch", "dcgan"}, "weight initialisation"),
      when(f_enum("net", "general", &C::net, {"mlp", "conv"},
                  "network type for images: mlp on flattened pixels, or conv (two stride-2 convolutions; the hidden widths are channel counts, a third one adds a stride-1 3×3 stage at side/4)"),
           "data=image"),
      when(f_bool("batch_norm", "general", &C::batch_norm,
                  "batch normalisation before the convolutional networks' hidden activations (DCGAN)"),
           "net=conv and data=image"),
      when(f_bool("conditional", "general", &C::conditional,
                  "class-conditional: the class (one-hot) goes into both networks (VAE: encoder and decoder; GAN: G and D); "
                  "samples are drawn for a chosen class (images: the labels; ring8, grid25: the mixture's components)"),
           "model=vae|gan and data=image and net=mlp or model=vae|gan and dataset=ring8|grid25"),
      // ELU's α is fixed at 1 (nn/net_spec): the slope only matters for leaky_relu.
      when(f_float("leaky_alpha", "general", &C::leaky_alpha, 0.0, 1.0, "slope of leaky_relu for negative inputs"),
           "model=vae|vaegan and act=leaky_relu or model=gan and g_act=leaky_relu or model=gan|vaegan and d_act=leaky_relu"),

      f_int("latent", "vae", &C::latent, 1, 128, "latent dimensions"),
      f_list("enc_hidden", "vae", &C::enc_hidden, 1, 4096, "encoder hidden widths"),
      f_list("dec_hidden", "vae", &C::dec_hidden, 1, 4096, "decoder hidden widths"),
      f_enum("act", "vae", &C::act, kActs, "hidden activation"),
      live(f_float("beta", "vae", &C::beta, 0.0, 1000.0, "weight β of the KL term")),
      live(f_int("kl_warmup", "vae", &C::kl_warmup, 0, 10000000, "steps over which β ramps up from 0")),
      when(f_enum("likelihood", "vae", &C::likelihood, {"auto", "bernoulli", "gaussian"}, "decoder likelihood"), "model=vae"),
      when(f_bool("binarize", "vae", &C::binarize, "dynamically binarise image batches"), "model=vae and data=image"),
      when(f_enum("gauss_var", "vae", &C::gauss_var, {"fixed", "learned"}, "Gaussian decoder variance"),
           "model=vae and likelihood=gaussian or model=vae and likelihood=auto and data=2d"),
      when(f_float("gauss_logvar", "vae", &C::gauss_logvar, -12.0, 5.0, "log σ² of a fixed Gaussian decoder"),
           "model=vae and gauss_var=fixed and likelihood=gaussian or model=vae and gauss_var=fixed and likelihood=auto and data=2d"),
      f_enum("opt", "vae", &C::opt, kOpts, "VAE optimizer"),
      live(f_float("lr", "vae", &C::lr, 1e-7, 10.0, "VAE learning rate")),

      when(f_int("noise", "gan", &C::noise, 1, 512, "noise dimensions"), kGanOnly),
      when(f_enum("noise_dist", "gan", &C::noise_dist, {"gaussian", "uniform"}, "noise distribution"), kGanOnly),
      when(f_list("g_hidden", "gan", &C::g_hidden, 1, 4096, "generator hidden widths"), kGanOnly),
      f_list("d_hidden", "gan", &C::d_hidden, 1, 4096, "discriminator hidden widths"),
      when(f_enum("g_act", "gan", &C::g_act, kActs, "generator hidden activation"), kGanOnly),
      f_enum("d_act", "gan", &C::d_act, kActs, "discriminator hidden activation"),
      when(f_enum("g_out", "gan", &C::g_out, {"auto", "none", "tanh", "sigmoid"}, "generator output activation"), kGanOnly),
      live(f_enum("loss", "gan", &C::loss, {"minimax", "nonsaturating", "lsgan", "hinge", "wgan"}, "GAN objective")),
      live(when(f_int("k_d", "gan", &C::k_d, 1, 100, "discriminator steps per iteration"), kGanOnly)),
      live(when(f_int("k_g", "gan", &C::k_g, 1, 100, "generator steps per iteration"), kGanOnly)),
      live(when(f_float("label_smooth", "gan", &C::label_smooth, 0.0, 0.5, "one-sided label smoothing s (real target 1 − s)"),
                "loss=minimax|nonsaturating")),
      when(f_int("pack", "gan", &C::pack, 1, 16, "PacGAN packing: samples the discriminator judges together"), kGanOnly),
      live(when(f_float("wgan_clip", "gan", &C::wgan_clip, 1e-4, 10.0, "weight clipping bound for wgan"), "model=gan and loss=wgan")),
      when(f_float("g_ema", "gan", &C::g_ema, 0.0, 0.9999,
                   "decay of the generator weights' moving average used for samples (0 = off)"),
           kGanOnly),
      when(f_int("g_ema_warmup", "gan", &C::g_ema_warmup, 0, 1000000,
                 "the average starts short: its decay is at most (1 + t)/(N + t) after t G steps (0 = off)"),
           kGanOnly),
      when(f_int("batch_start", "gan", &C::batch_start, 0, 4096,
                 "first batch size; it doubles every batch_every G steps up to batch, each doubling dividing the learning rates by √2 (0 or ≥ batch = off)"),
           kGanOnly),
      when(f_int("batch_every", "gan", &C::batch_every, 1, 10000000, "G steps between doublings of the batch"),
           "model=gan and batch_start!=0"),
      when(f_float("d_dropout", "gan", &C::d_dropout, 0.0, 0.9,
                   "dropout rate after the discriminator's hidden layers while training (0 = off)"),
           kGanOnly),
      when(f_enum("g_opt", "gan", &C::g_opt, kOpts, "generator optimizer"), kGanOnly),
      f_enum("d_opt", "gan", &C::d_opt, kOpts, "discriminator optimizer"),
      live(when(f_float("g_lr", "gan", &C::g_lr, 1e-7, 10.0, "generator learning rate"), kGanOnly)),
      live(f_float("d_lr", "gan", &C::d_lr, 1e-7, 10.0, "discriminator learning rate")),
      live(f_float("gamma", "vaegan", &C::gamma, 0.0, 1000.0,
                   "VAE-GAN: weight γ of the reconstruction in D's features in the decoder's loss")),
      f_int("feature_layer", "vaegan", &C::feature_layer, 1, 3,
            "VAE-GAN: D's hidden layer (1 = the first) whose activations the reconstruction is measured in"),

      live(when(f_float("beta1", "optimizer", &C::beta1, 0.0, 0.9999, "Adam β₁"), kAdam)),
      live(when(f_float("beta2", "optimizer", &C::beta2, 0.0, 0.99999, "Adam β₂"), kAdam)),
      live(when(f_float("momentum", "optimizer", &C::momentum, 0.0, 0.999, "SGD / RMSprop momentum"),
                "model=vae|vaegan and opt=sgd|rmsprop or model=gan and g_opt=sgd|rmsprop or model=gan|vaegan and d_opt=sgd|rmsprop")),
      live(when(f_float("rho", "optimizer", &C::rho, 0.0, 0.9999, "RMSprop decay ρ"),
                "model=vae|vaegan and opt=rmsprop or model=gan and g_opt=rmsprop or model=gan|vaegan and d_opt=rmsprop")),
      live(f_float("weight_decay", "optimizer", &C::weight_decay, 0.0, 1.0, "L2 weight decay")),
      live(f_float("clip_norm", "optimizer", &C::clip_norm, 0.0, 1e6, "clip gradients to this global norm (0 = off)")),
  };
  return s;
}

const Field& field(const std::string& key) {
  for (const Field& f : schema())
    if (f.key == key) return f;
  throw ConfigError(key, "unknown setting");
}

void set_value(Config& c, const std::string& key, const std::string& value) {
  const Field& f = field(key);
  switch (f.type) {
    case FieldType::Int: c.*std::get<int C::*>(f.member) = static_cast<int>(parse_number(f, value)); break;
    case FieldType::Float: c.*std::get<float C::*>(f.member) = static_cast<float>(parse_number(f, value)); break;
    case FieldType::Bool:
      if (value == "true" || value == "1") c.*std::get<bool C::*>(f.member) = true;
      else if (value == "false" || value == "0") c.*std::get<bool C::*>(f.member) = false;
      else bad(f, value);
      break;
    case FieldType::Enum: {
      bool ok = false;
      for (const auto& ch : f.choices) ok = ok || ch == value;
      if (!ok) bad(f, value);
      c.*std::get<std::string C::*>(f.member) = value;
      break;
    }
    case FieldType::IntList: {
      std::vector<int> out;
      if (value != "none" && !value.empty()) {
        // Split by hand: a stringstream here pulled libc++'s locale machinery (~70 KB) into the wasm.
        if (value.back() == ',') bad(f, value, "trailing comma");
        for (std::size_t at = 0; at <= value.size();) {
          const std::size_t end = std::min(value.find(',', at), value.size());
          out.push_back(static_cast<int>(parse_number(f, value.substr(at, end - at))));
          at = end + 1;
        }
      }
      if (out.size() > 4) bad(f, value, "more than 4 layers");
      c.*std::get<std::vector<int> C::*>(f.member) = out;
      break;
    }
  }
}

void apply_assignment(Config& c, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) throw ConfigError(assignment, "expected key=value");
  set_value(c, assignment.substr(0, eq), assignment.substr(eq + 1));
}

std::string get_value(const Config& c, const std::string& key) {
  const Field& f = field(key);
  switch (f.type) {
    case FieldType::Int: return std::to_string(c.*std::get<int C::*>(f.member));
    case FieldType::Float: return fmt_float(c.*std::get<float C::*>(f.member));
    case FieldType::Bool: return c.*std::get<bool C::*>(f.member) ? "true" : "false";
    case FieldType::Enum: return c.*std::get<std::string C::*>(f.member);
    case FieldType::IntList: {
      const auto& v = c.*std::get<std::vector<int> C::*>(f.member);
      if (v.empty()) return "none";
      std::string s;
      for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
      return s;
    }
  }
  return "";
}

std::string to_json(const Config& c) {
  std::string s = "{";
  for (std::size_t i = 0; i < schema().size(); ++i) {
    const Field& f = schema()[i];
    const std::string v = get_value(c, f.key);
    s += (i ? ", \"" : "\"") + f.key + "\": ";
    if (f.type == FieldType::Enum) s += "\"" + v + "\"";
    else if (f.type == FieldType::IntList) s += v == "none" ? "[]" : "[" + v + "]";
    else s += v;
  }
  return s + "}";
}

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const DatasetInfo& d : datasets()) n.push_back(d.name);
    return n;
  }();
  return names;
}

bool is_image_dataset(const std::string& name) {
  const DatasetInfo* d = find_dataset(name);
  return d != nullptr && d->image();
}

std::size_t dataset_dim(const std::string& name) {
  const DatasetInfo* d = find_dataset(name);
  if (d == nullptr) throw ConfigError("dataset", "unknown data set '" + name + "'");
  return d->dim;
}

std::size_t dataset_classes(const std::string& name) {
  const DatasetInfo* d = find_dataset(name);
  if (d == nullptr) return 0;
  if (d->image()) return d->class_names.size();
  const auto modes = d->has_modes ? toy2d_modes(name) : std::nullopt;
  return modes ? modes->means.size() : 0;
}

std::vector<std::string> changed_assignments(const Config& c) {
  const Config d;
  std::vector<std::string> out;
  for (const Field& f : schema())
    if (get_value(c, f.key) != get_value(d, f.key)) out.push_back(f.key + "=" + get_value(c, f.key));
  return out;
}

}  // namespace genlab
