// Session views: batched calls that produce what the page and the CLI draw.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "genlab/data/toy2d.hpp"
#include "genlab/session.hpp"
#include "genlab/session_streams.hpp"

namespace genlab {

using namespace detail;

namespace {

constexpr std::size_t kChunk = 4096;  // rows per forward pass for large view requests

void require(bool ok, const char* what) {
  if (!ok) throw std::logic_error(what);
}

// Rows [first, first + n) of t as a new tensor.
Tensor2 slice_rows(const Tensor2& t, std::size_t first, std::size_t n) {
  Tensor2 out({n, cols(t)});
  std::copy(t.data() + first * cols(t), t.data() + (first + n) * cols(t), out.data());
  return out;
}

// A colour label for a 2-D example, so the latent view shows which part of the data each code
// came from: the nearest mode for the Gaussian mixtures (ring8: modes at angles 2πi/8; grid25:
// means {−4,…,4}², numbered row by row), else the example's eighth of the plane by angle.
std::uint8_t region_label(const std::string& dataset, float x, float y) {
  constexpr float kTwoPi = 6.28318531f;
  const auto sector = [&] {
    const float a = std::atan2(y, x);                      // (−π, π]
    const long s = std::lround(a / (kTwoPi / 8.0f));        // nearest multiple of 2π/8
    return static_cast<std::uint8_t>(((s % 8) + 8) % 8);
  };
  if (dataset == "grid25") {
    const auto cell = [](float v) { return std::clamp(static_cast<long>(std::lround(v / 2.0f)) + 2, 0L, 4L); };
    return static_cast<std::uint8_t>(cell(y) * 5 + cell(x));
  }
  return sector();  // ring8: exactly the nearest mode
}

}  // namespace

const Tensor2& Session::test_block(std::size_t n) {
  if (image_data()) {
    const ImageSet& test = images_.at(cfg_.dataset).test;
    n = std::min(n, test.count());
    if (rows(test_2d_) != n || cols(test_2d_) != data_dim()) {
      test_2d_ = Tensor2({n, data_dim()});
      images_to_tensor(test, 0, n, test_2d_);
    }
  } else if (rows(test_2d_) != n) {
    if (cfg_.dataset == "points") {
      test_2d_ = slice_rows(points_, 0, std::min(n, rows(points_)));
    } else {
      Rng r = stream(cfg_.seed, kEval);
      test_2d_ = sample_toy2d(cfg_.dataset, r, n);
    }
  }
  return test_2d_;
}

Tensor2 Session::real_samples(std::size_t n) {
  require(configured(), "real_samples: configure the session first");
  if (image_data()) {
    const ImageSet& train = images_.at(cfg_.dataset).train;
    n = std::min(n, train.count());
    Tensor2 out({n, data_dim()});
    images_to_tensor(train, 0, n, out);
    return out;
  }
  if (cfg_.dataset == "points") return slice_rows(points_, 0, std::min(n, rows(points_)));
  Rng r = stream(cfg_.seed, kDisplay);
  return sample_toy2d(cfg_.dataset, r, n);
}

Tensor2 Session::samples(std::size_t n) { return samples_for(n, sample_class_); }

Tensor2 Session::samples_for(std::size_t n, int cls) {
  require(configured(), "samples: configure the session first");
  Rng r = stream(cfg_.seed, kFixedNoise);  // the same noise on every call: frames are comparable
  Tensor2 z({n, model_->noise_dim()}), out;
  model_->sample_noise(r, z);
  Rng noise = stream(cfg_.seed, kDecoderNoise);
  condition_on_class(cls, n);
  model_->generate(z, noise, out);
  return out;
}

std::size_t Session::classes() const { return configured() ? model_->classes() : 0; }

void Session::set_sample_class(int c) {
  const int C = static_cast<int>(classes());
  if (c < -1 || c >= C)
    throw std::invalid_argument("sample class " + std::to_string(c) + " is out of range: " +
                                (C == 0 ? std::string("this model is not class-conditional (only -1)")
                                        : "use -1 (every class in turn) or 0 to " + std::to_string(C - 1)));
  sample_class_ = c;
}

void Session::condition_on_test(std::size_t n) {
  if (model_->classes() > 0) model_->condition(test_classes(n));
}

// The classes of test_block(n)'s rows: image labels, or each 2-D point's region.
std::vector<std::uint8_t> Session::test_classes(std::size_t n) {
  if (!image_data()) return point_classes(test_block(n));
  const auto& l = images_.at(cfg_.dataset).test.labels;
  return std::vector<std::uint8_t>(l.begin(), l.begin() + static_cast<std::ptrdiff_t>(std::min(n, l.size())));
}

// A 2-D point's region for each point: for the mixtures the nearest mode (points are σ ≪ the
// spacing away), else its eighth of the plane (region_label).
std::vector<std::uint8_t> Session::point_classes(const Tensor2& x) const {
  std::vector<std::uint8_t> y(rows(x));
  for (std::size_t i = 0; i < rows(x); ++i) y[i] = region_label(cfg_.dataset, x(i, 0), x(i, 1));
  return y;
}

int Session::view_class(std::size_t example) {
  if (model_->classes() == 0) return -1;  // unconditional: nothing to choose
  if (sample_class_ >= 0) return sample_class_;
  if (!image_data()) {
    // A conditional 2-D model is on a mixture (ring8, grid25): the component of test_block's row
    // `example` — the same point, from its stream drawn in order, without resizing test_block's
    // cache under a caller that holds it.
    Rng r = stream(cfg_.seed, kEval);
    const Tensor2 x = sample_toy2d(cfg_.dataset, r, example + 1);
    return region_label(cfg_.dataset, x(example, 0), x(example, 1));
  }
  const auto& l = images_.at(cfg_.dataset).test.labels;
  return example < l.size() ? l[example] : 0;
}

void Session::condition_on_class(int c, std::size_t n) {
  if (model_->classes() == 0) return;
  model_->condition(c < 0 ? std::vector<std::uint8_t>{} : std::vector<std::uint8_t>(n, static_cast<std::uint8_t>(c)));
}

models::Critic& Session::critic(const char* what) {
  models::Critic* c = configured() ? model_->critic() : nullptr;
  if (c == nullptr) throw std::logic_error(std::string(what) + ": needs a model with a discriminator (a GAN)");
  return *c;
}

models::Autoencoder& Session::autoencoder(const char* what) {
  models::Autoencoder* a = configured() ? model_->autoencoder() : nullptr;
  if (a == nullptr) throw std::logic_error(std::string(what) + ": needs a model with an encoder (a VAE)");
  return *a;
}

Tensor2 Session::discriminator_field(const metrics::Box& box, std::size_t res) {
  models::Critic& D = critic("discriminator_field");
  require(!image_data(), "discriminator_field: needs 2-D data");
  if (res < 2 || res > 512) throw std::invalid_argument("discriminator_field: resolution must be in [2, 512]");
  Tensor2 pts({res * res, 2}), out({res * res, 1}), part;
  for (std::size_t iy = 0; iy < res; ++iy)
    for (std::size_t ix = 0; ix < res; ++ix) {
      // Cell centres; row 0 is the top of the picture (largest y).
      pts(iy * res + ix, 0) = box.x0 + (box.x1 - box.x0) * (static_cast<float>(ix) + 0.5f) / static_cast<float>(res);
      pts(iy * res + ix, 1) = box.y1 - (box.y1 - box.y0) * (static_cast<float>(iy) + 0.5f) / static_cast<float>(res);
    }
  for (std::size_t first = 0; first < res * res; first += kChunk) {
    const std::size_t n = std::min(kChunk, res * res - first);
    // A conditional D judges each point as the chosen class, else as its nearest mode's.
    const Tensor2 block = slice_rows(pts, first, n);
    if (model_->classes() > 0)
      sample_class_ >= 0 ? condition_on_class(sample_class_, n) : model_->condition(point_classes(block));
    D.discriminate(block, part);
    std::copy(part.begin(), part.end(), out.data() + first);
  }
  return out;
}

Tensor2 Session::generator_gradients(std::size_t n) {
  models::Critic& D = critic("generator_gradients");
  n -= n % D.pack();
  Tensor2 x = samples(n), dx;
  if (n == 0) return Tensor2({0, data_dim()});
  condition_on_class(sample_class_, n);  // each sample judged as the class it was drawn for
  D.generator_gradient(x, dx);
  return dx;
}

Tensor2 Session::noise_grid_warp(std::size_t res) {
  require(configured(), "noise_grid_warp: configure the session first");
  if (res < 2 || res > 256) throw std::invalid_argument("noise_grid_warp: resolution must be in [2, 256]");
  const float ext = model_->noise_extent();
  const std::size_t nz = model_->noise_dim();
  Tensor2 z = xt::zeros<float>({res * res, nz}), out;
  for (std::size_t iy = 0; iy < res; ++iy)
    for (std::size_t ix = 0; ix < res; ++ix) {
      z(iy * res + ix, 0) = -ext + 2 * ext * static_cast<float>(ix) / static_cast<float>(res - 1);
      if (nz > 1) z(iy * res + ix, 1) = ext - 2 * ext * static_cast<float>(iy) / static_cast<float>(res - 1);
    }
  Rng noise = stream(cfg_.seed, kDecoderNoise);
  condition_on_class(view_class(0), res * res);  // a conditional G's grid is one class's
  model_->generate(z, noise, out);
  return out;
}

Tensor2 Session::reconstructions(std::size_t n, Tensor2* inputs) {
  models::Autoencoder& ae = autoencoder("reconstructions");
  const Tensor2& x = test_block(n);
  Tensor2 out;
  condition_on_test(rows(x));
  ae.reconstruct(x, out);
  if (inputs) *inputs = x;
  return out;
}


Tensor2 Session::latent_codes(std::size_t n, std::vector<std::uint8_t>* labels) {
  models::Autoencoder& ae = autoencoder("latent_codes");
  const Tensor2& x = test_block(n);
  Tensor2 mu, lv;
  condition_on_test(rows(x));
  ae.encode(x, mu, lv);
  if (labels) *labels = test_classes(rows(x));
  return mu;
}

Tensor2 Session::latent_grid(std::size_t res, float extent, std::size_t dim_x, std::size_t dim_y) {
  models::Autoencoder& ae = autoencoder("latent_grid");
  const std::size_t L = ae.latent();
  if (res < 1 || res > 64) throw std::invalid_argument("latent_grid: resolution must be in [1, 64]");
  if (dim_x >= L || (L > 1 && dim_y >= L)) throw std::invalid_argument("latent_grid: latent dimension out of range");
  Tensor2 z = xt::zeros<float>({res * res, L}), out;
  const auto step = [&](std::size_t i) {
    return res == 1 ? 0.0f : -extent + 2 * extent * static_cast<float>(i) / static_cast<float>(res - 1);
  };
  for (std::size_t iy = 0; iy < res; ++iy)
    for (std::size_t ix = 0; ix < res; ++ix) {
      z(iy * res + ix, dim_x) = step(ix);
      if (L > 1) z(iy * res + ix, dim_y) = -step(iy);
    }
  condition_on_class(view_class(0), res * res);  // a conditional model's manifold is one class's
  ae.decode(z, out);
  return out;
}

Tensor2 Session::interpolate(std::size_t i, std::size_t j, std::size_t steps) {
  models::Autoencoder& ae = autoencoder("interpolate");
  if (steps < 2 || steps > 64) throw std::invalid_argument("interpolate: steps must be in [2, 64]");
  const Tensor2& x = test_block(std::max(i, j) + 1);
  if (i >= rows(x) || j >= rows(x)) throw std::invalid_argument("interpolate: example index out of range");
  Tensor2 mu, lv, out;
  condition_on_test(rows(x));
  ae.encode(x, mu, lv);
  const std::size_t L = cols(mu);
  Tensor2 z({steps, L});
  for (std::size_t s = 0; s < steps; ++s) {
    const float t = static_cast<float>(s) / static_cast<float>(steps - 1);
    for (std::size_t l = 0; l < L; ++l) z(s, l) = (1 - t) * mu(i, l) + t * mu(j, l);
  }
  condition_on_class(view_class(i), steps);
  ae.decode(z, out);
  return out;
}

}  // namespace genlab
