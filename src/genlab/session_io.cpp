// Session save/load through the GenLab model file format (io/model_file.hpp).
#include <cmath>
#include <stdexcept>

#include "genlab/io/model_file.hpp"
#include "genlab/models/build.hpp"
#include "genlab/session.hpp"
#include "genlab/session_streams.hpp"

namespace genlab {
namespace {

// Parameters and optimizer state of one network under a name prefix ("vae", "G", "D").
void put_store(io::ModelFile& f, const ParamStore& store, optim::Optimizer& opt, const std::string& net) {
  for (std::size_t id = 0; id < store.count(); ++id) {
    const auto& e = store.entry(id);
    io::NamedTensor t;
    t.name = e.name;
    for (std::size_t d : e.shape) t.shape.push_back(static_cast<std::uint32_t>(d));
    t.values.assign(store.value(id), store.value(id) + e.size);
    f.tensors.push_back(std::move(t));
  }
  const auto state = opt.state();
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (state[i]->size() == 0) continue;  // never stepped: nothing to keep
    io::NamedTensor t;
    t.name = "opt." + net + "." + std::to_string(i);
    t.shape = {static_cast<std::uint32_t>(state[i]->size())};
    t.values.assign(state[i]->begin(), state[i]->end());
    f.tensors.push_back(std::move(t));
  }
  // The step count drives Adam's bias correction; split so float keeps it exact up to 2⁴⁸.
  const auto steps = static_cast<double>(opt.steps());
  io::NamedTensor t;
  t.name = "opt." + net + ".steps";
  t.shape = {2};
  t.values = {static_cast<float>(std::floor(steps / 16777216.0)), static_cast<float>(std::fmod(steps, 16777216.0))};
  f.tensors.push_back(std::move(t));
}

const io::NamedTensor* find(const io::ModelFile& f, const std::string& name) {
  for (const auto& t : f.tensors)
    if (t.name == name) return &t;
  return nullptr;
}

// Copies a network's tensors from the file into a freshly built store and optimizer, checking
// every name and shape first.
void get_store(const io::ModelFile& f, ParamStore& store, optim::Optimizer& opt, const std::string& net) {
  for (std::size_t id = 0; id < store.count(); ++id) {
    const auto& e = store.entry(id);
    const io::NamedTensor* t = find(f, e.name);
    if (!t) throw std::runtime_error("model file: tensor '" + e.name + "' is missing");
    std::vector<std::uint32_t> shape(e.shape.begin(), e.shape.end());
    if (t->shape != shape || t->values.size() != e.size)
      throw std::runtime_error("model file: tensor '" + e.name + "' has the wrong shape for this configuration");
    std::copy(t->values.begin(), t->values.end(), store.value(id));
  }
  const auto state = opt.state();
  for (std::size_t i = 0; i < state.size(); ++i) {
    const io::NamedTensor* t = find(f, "opt." + net + "." + std::to_string(i));
    if (!t) continue;
    if (t->values.size() != store.size())
      throw std::runtime_error("model file: optimizer state of " + net + " has the wrong size");
    *state[i] = xt::adapt(t->values, std::array<std::size_t, 1>{t->values.size()});
  }
  if (const io::NamedTensor* t = find(f, "opt." + net + ".steps"); t && t->values.size() == 2)
    opt.set_steps(static_cast<long long>(static_cast<double>(t->values[0]) * 16777216.0 + t->values[1]));
}

}  // namespace

std::vector<std::uint8_t> Session::save_model() const {
  if (!configured()) throw std::logic_error("save_model: nothing to save, configure and train first");
  io::ModelFile f;
  f.kind = cfg_.model;
  f.config = changed_assignments(cfg_);
  f.steps = steps_;
  if (vae_) {
    put_store(f, vae_->params(), vae_->optimizer(), "vae");
  } else {
    put_store(f, gan_->g_params(), gan_->g_optimizer(), "G");
    put_store(f, gan_->d_params(), gan_->d_optimizer(), "D");
    const Tensor1& ema = gan_->g_ema_values();
    if (ema.size() != 0) {
      io::NamedTensor t;
      t.name = "ema.G";
      t.shape = {static_cast<std::uint32_t>(ema.size())};
      t.values.assign(ema.begin(), ema.end());
      f.tensors.push_back(std::move(t));
    }
  }
  return io::write_model_file(f);
}

void Session::load_model(const std::uint8_t* bytes, std::size_t n) {
  const io::ModelFile f = io::read_model_file(bytes, n);
  Config c;
  for (const auto& a : f.config) apply_assignment(c, a);
  validate(c);
  if (c.model != f.kind) throw std::runtime_error("model file: kind '" + f.kind + "' does not match its config");
  // Build and fill the new model aside; the session is touched only once everything checked out.
  Rng init = detail::stream(c.seed, detail::kInit);
  std::unique_ptr<models::Vae> vae;
  std::unique_ptr<models::Gan> gan;
  if (c.model == "vae") {
    vae = std::make_unique<models::Vae>(models::vae_spec(c), init);
    get_store(f, vae->params(), vae->optimizer(), "vae");
  } else {
    gan = std::make_unique<models::Gan>(models::gan_spec(c), init);
    get_store(f, gan->g_params(), gan->g_optimizer(), "G");
    get_store(f, gan->d_params(), gan->d_optimizer(), "D");
    if (const io::NamedTensor* t = find(f, "ema.G"); t && gan->g_ema_values().size() != 0) {
      if (t->values.size() != gan->g_ema_values().size())
        throw std::runtime_error("model file: tensor 'ema.G' has the wrong size for this configuration");
      std::copy(t->values.begin(), t->values.end(), gan->g_ema_values().begin());
    }
  }
  configure(c);  // data for the file's config (throws, leaving the session as it was, if missing)
  vae_ = std::move(vae);
  gan_ = std::move(gan);
  steps_ = f.steps;
  checkpoint();  // the loaded model is the new last good state
}

}  // namespace genlab
