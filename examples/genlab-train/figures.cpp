#include "figures.hpp"

#include <algorithm>
#include <cmath>

#include "canvas.hpp"
#include "genlab/data/toy2d.hpp"

namespace genlab::cli {
namespace {

int side_of(const Session& s) { return static_cast<int>(std::lround(std::sqrt(static_cast<double>(s.data_dim())))); }

// A grid of images (rows of x), `per_row` across, 2-pixel gaps.
Canvas image_grid(const Tensor2& x, int side, int per_row, int scale) {
  const int n = static_cast<int>(rows(x));
  const int grid_rows = (n + per_row - 1) / per_row;
  const int cell = side * scale + 2;
  Canvas c(per_row * cell + 2, grid_rows * cell + 2, {200, 200, 200});
  for (int i = 0; i < n; ++i)
    c.image(x.data() + static_cast<std::size_t>(i) * cols(x), side, side, 2 + (i % per_row) * cell,
            2 + (i / per_row) * cell, scale);
  return c;
}

struct Frame {  // maps data coordinates to pixels
  metrics::Box box;
  int size;
  float px(float x) const { return (x - box.x0) / (box.x1 - box.x0) * static_cast<float>(size); }
  float py(float y) const { return (box.y1 - y) / (box.y1 - box.y0) * static_cast<float>(size); }
};

Frame square_frame(metrics::Box b, int size) {
  // Equal scale on both axes so circles stay circles.
  const float cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
  const float h = std::max(b.x1 - b.x0, b.y1 - b.y0) / 2;
  return Frame{{cx - h, cx + h, cy - h, cy + h}, size};
}

std::string scatter_2d(Session& s, const std::string& dir) {
  const Frame f = square_frame(s.data_box(), 600);
  Canvas c(f.size, f.size);
  if (s.offers_view("field")) {  // the discriminator's view as a faint background
    const std::size_t res = 100;
    const Tensor2 d = s.discriminator_field(f.box, res);
    const bool prob = s.model()->critic()->outputs_probability();
    float lo = d(0, 0), hi = d(0, 0);
    for (float v : d) lo = std::min(lo, v), hi = std::max(hi, v);
    for (int y = 0; y < f.size; ++y)
      for (int x = 0; x < f.size; ++x) {
        const std::size_t i = static_cast<std::size_t>(y) * res / static_cast<std::size_t>(f.size) * res +
                              static_cast<std::size_t>(x) * res / static_cast<std::size_t>(f.size);
        const float v = prob ? d(i, 0) : (hi > lo ? (d(i, 0) - lo) / (hi - lo) : 0.5f);
        c.blend(x, y, v > 0.5f ? Rgb{44, 160, 44} : Rgb{148, 103, 189}, 0.35f * std::fabs(v - 0.5f) * 2);
      }
  }
  const Tensor2 real = s.real_samples(2500), gen = s.samples(2500);
  for (std::size_t i = 0; i < rows(real); ++i) c.dot(f.px(real(i, 0)), f.py(real(i, 1)), 1.5f, {60, 60, 60}, 0.5f);
  for (std::size_t i = 0; i < rows(gen); ++i) c.dot(f.px(gen(i, 0)), f.py(gen(i, 1)), 1.5f, {214, 39, 40}, 0.6f);
  if (auto modes = s.data_modes())
    for (const auto& m : modes->means) {
      const float r = 3 * modes->sigma / (f.box.x1 - f.box.x0) * static_cast<float>(f.size);  // the 3σ HQ disc
      c.ring(f.px(m[0]), f.py(m[1]), std::max(r, 3.0f), {31, 119, 180});
    }
  c.save_png(dir + "/scatter.png");
  return "scatter.png";
}

std::string latent_scatter(Session& s, const std::string& dir) {
  std::vector<std::uint8_t> labels;
  const Tensor2 mu = s.latent_codes(s.image_data() ? 1000 : 2000, &labels);
  if (cols(mu) < 2) return "";
  metrics::Box b{-3, 3, -3, 3};
  for (std::size_t i = 0; i < rows(mu); ++i) {
    b.x0 = std::min(b.x0, mu(i, 0)), b.x1 = std::max(b.x1, mu(i, 0));
    b.y0 = std::min(b.y0, mu(i, 1)), b.y1 = std::max(b.y1, mu(i, 1));
  }
  const Frame f = square_frame(b, 500);
  Canvas c(f.size, f.size);
  for (std::size_t i = 0; i < rows(mu); ++i)
    c.dot(f.px(mu(i, 0)), f.py(mu(i, 1)), 2.0f, labels.empty() ? Rgb{31, 119, 180} : class_colour(labels[i]), 0.7f);
  c.save_png(dir + "/latent.png");
  return "latent.png";
}

}  // namespace

std::vector<std::string> write_figures(Session& s, const std::string& dir) {
  std::vector<std::string> files;
  if (!s.image_data()) {
    files.push_back(scatter_2d(s, dir));
    if (s.offers_view("latent")) files.push_back(latent_scatter(s, dir));
    return files;
  }
  const int side = side_of(s);
  const int scale = side <= 14 ? 3 : 2;
  image_grid(s.samples(100), side, 10, scale).save_png(dir + "/samples.png");
  files.push_back("samples.png");
  if (s.offers_view("recon")) {
    Tensor2 in;
    const Tensor2 out = s.reconstructions(40, &in);
    Tensor2 pairs({2 * rows(in), cols(in)});
    for (std::size_t i = 0; i < rows(in); ++i)  // input above, reconstruction below, 10 per row
      for (std::size_t d = 0; d < cols(in); ++d) {
        const std::size_t row = (i / 10) * 20 + i % 10;
        pairs(row, d) = in(i, d);
        pairs(row + 10, d) = out(i, d);
      }
    image_grid(pairs, side, 10, scale).save_png(dir + "/reconstructions.png");
    files.push_back("reconstructions.png");
  }
  if (s.offers_view("latent")) {
    const std::string l = latent_scatter(s, dir);
    if (!l.empty()) files.push_back(l);
  }
  if (s.offers_view("manifold") && s.model()->autoencoder()->latent() >= 2) {
    image_grid(s.latent_grid(20, 2.5f), side, 20, side <= 14 ? 2 : 1).save_png(dir + "/manifold.png");
    files.push_back("manifold.png");
  }
  return files;
}

}  // namespace genlab::cli
