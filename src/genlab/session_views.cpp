// Session views: batched calls that produce what the page and the CLI draw.
#include <algorithm>
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

Tensor2 Session::samples(std::size_t n) {
  require(configured(), "samples: configure the session first");
  Rng r = stream(cfg_.seed, kFixedNoise);  // the same noise on every call: frames are comparable
  Tensor2 out;
  if (vae_) {
    Tensor2 z({n, vae_->spec().latent});
    for (auto& v : z) v = r.normal();
    Rng noise = stream(cfg_.seed, kDecoderNoise);
    vae_->decode_sample(z, noise, out);
  } else {
    Tensor2 z({n, gan_->spec().noise});
    gan_->sample_noise(r, z);
    gan_->generate(z, out);
  }
  return out;
}

Tensor2 Session::discriminator_field(const metrics::Box& box, std::size_t res) {
  require(gan_ != nullptr && !image_data(), "discriminator_field: needs a GAN on 2-D data");
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
    gan_->discriminate(slice_rows(pts, first, n), part);
    std::copy(part.begin(), part.end(), out.data() + first);
  }
  return out;
}

Tensor2 Session::generator_gradients(std::size_t n) {
  require(gan_ != nullptr, "generator_gradients: needs a GAN");
  n -= n % gan_->spec().pack;
  Tensor2 x = samples(n), dx;
  if (n == 0) return Tensor2({0, data_dim()});
  gan_->generator_gradient(x, dx);
  return dx;
}

Tensor2 Session::noise_grid_warp(std::size_t res) {
  require(gan_ != nullptr, "noise_grid_warp: needs a GAN");
  if (res < 2 || res > 256) throw std::invalid_argument("noise_grid_warp: resolution must be in [2, 256]");
  const float ext = gan_->spec().uniform_noise ? 1.0f : 2.0f;
  Tensor2 z = xt::zeros<float>({res * res, gan_->spec().noise}), out;
  for (std::size_t iy = 0; iy < res; ++iy)
    for (std::size_t ix = 0; ix < res; ++ix) {
      z(iy * res + ix, 0) = -ext + 2 * ext * static_cast<float>(ix) / static_cast<float>(res - 1);
      if (gan_->spec().noise > 1) z(iy * res + ix, 1) = ext - 2 * ext * static_cast<float>(iy) / static_cast<float>(res - 1);
    }
  gan_->generate(z, out);
  return out;
}

Tensor2 Session::reconstructions(std::size_t n, Tensor2* inputs) {
  require(vae_ != nullptr, "reconstructions: needs a VAE");
  const Tensor2& x = test_block(n);
  Tensor2 out;
  vae_->reconstruct(x, out);
  if (inputs) *inputs = x;
  return out;
}

Tensor2 Session::latent_codes(std::size_t n, std::vector<std::uint8_t>* labels) {
  require(vae_ != nullptr, "latent_codes: needs a VAE");
  const Tensor2& x = test_block(n);
  Tensor2 mu, lv;
  vae_->encode(x, mu, lv);
  if (labels) {
    labels->clear();
    if (image_data()) {
      const auto& l = images_.at(cfg_.dataset).test.labels;
      labels->assign(l.begin(), l.begin() + static_cast<std::ptrdiff_t>(rows(x)));
    }
  }
  return mu;
}

Tensor2 Session::latent_grid(std::size_t res, float extent, std::size_t dim_x, std::size_t dim_y) {
  require(vae_ != nullptr, "latent_grid: needs a VAE");
  const std::size_t L = vae_->spec().latent;
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
  vae_->decode(z, out);
  return out;
}

Tensor2 Session::interpolate(std::size_t i, std::size_t j, std::size_t steps) {
  require(vae_ != nullptr, "interpolate: needs a VAE");
  if (steps < 2 || steps > 64) throw std::invalid_argument("interpolate: steps must be in [2, 64]");
  const Tensor2& x = test_block(std::max(i, j) + 1);
  if (i >= rows(x) || j >= rows(x)) throw std::invalid_argument("interpolate: example index out of range");
  Tensor2 mu, lv, out;
  vae_->encode(x, mu, lv);
  const std::size_t L = cols(mu);
  Tensor2 z({steps, L});
  for (std::size_t s = 0; s < steps; ++s) {
    const float t = static_cast<float>(s) / static_cast<float>(steps - 1);
    for (std::size_t l = 0; l < L; ++l) z(s, l) = (1 - t) * mu(i, l) + t * mu(j, l);
  }
  vae_->decode(z, out);
  return out;
}

}  // namespace genlab
