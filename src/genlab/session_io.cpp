// Session save/load through the GenLab model file format (io/model_file.hpp).
#include <cmath>
#include <stdexcept>

#include "genlab/io/model_file.hpp"
#include "genlab/io/model_tensors.hpp"
#include "genlab/models/build.hpp"
#include "genlab/session.hpp"
#include "genlab/session_streams.hpp"

namespace genlab {
namespace {

// The step count drives Adam's bias correction; split so float keeps it exact up to 2⁴⁸.
void put_steps(io::ModelFile& f, const optim::Optimizer& opt, const std::string& net) {
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

// Parameters, optimizer state and step count of one network ("vae", "G", "D").
void put_network(io::ModelFile& f, const ParamStore& store, optim::Optimizer& opt, const std::string& net) {
  io::add_params(f, store);
  io::add_optimizer_state(f, opt, "opt." + net, store.size());
  put_steps(f, opt, net);
}

// The same back into a freshly built network; io:: checks every name and shape before copying.
void get_network(const io::ModelFile& f, ParamStore& store, optim::Optimizer& opt, const std::string& net) {
  io::load_params(f, store);
  io::load_optimizer_state(f, opt, "opt." + net, store.size());
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
    put_network(f, vae_->params(), vae_->optimizer(), "vae");
  } else {
    put_network(f, gan_->g_params(), gan_->g_optimizer(), "G");
    put_network(f, gan_->d_params(), gan_->d_optimizer(), "D");
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
  const Config c = io::config_of(f);
  // Build and fill the new model aside; the session is touched only once everything checked out.
  Rng init = detail::stream(c.seed, detail::kInit);
  std::unique_ptr<models::Vae> vae;
  std::unique_ptr<models::Gan> gan;
  if (c.model == "vae") {
    vae = std::make_unique<models::Vae>(models::vae_spec(c), init);
    get_network(f, vae->params(), vae->optimizer(), "vae");
  } else {
    gan = std::make_unique<models::Gan>(models::gan_spec(c), init);
    get_network(f, gan->g_params(), gan->g_optimizer(), "G");
    get_network(f, gan->d_params(), gan->d_optimizer(), "D");
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
