#include "canvas.hpp"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace genlab::cli {

Canvas::Canvas(int w, int h, Rgb bg) : w_(w), h_(h), px_(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3) {
  for (std::size_t i = 0; i < px_.size(); i += 3) px_[i] = bg.r, px_[i + 1] = bg.g, px_[i + 2] = bg.b;
}

void Canvas::set(int x, int y, Rgb c) { blend(x, y, c, 1.0f); }

void Canvas::blend(int x, int y, Rgb c, float a) {
  if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
  std::uint8_t* p = &px_[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w_) + static_cast<std::size_t>(x)) * 3];
  const auto mix = [a](std::uint8_t old, std::uint8_t v) {
    return static_cast<std::uint8_t>(std::lround(old * (1.0f - a) + v * a));
  };
  p[0] = mix(p[0], c.r), p[1] = mix(p[1], c.g), p[2] = mix(p[2], c.b);
}

void Canvas::dot(float x, float y, float r, Rgb c, float alpha) {
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  for (int yy = static_cast<int>(std::floor(y - r)); yy <= static_cast<int>(std::ceil(y + r)); ++yy)
    for (int xx = static_cast<int>(std::floor(x - r)); xx <= static_cast<int>(std::ceil(x + r)); ++xx) {
      const float dx = static_cast<float>(xx) - x, dy = static_cast<float>(yy) - y;
      if (dx * dx + dy * dy <= r * r) blend(xx, yy, c, alpha);
    }
}

void Canvas::ring(float x, float y, float r, Rgb c) {
  for (int k = 0; k < 64; ++k) {
    const float t = 6.2831853f * static_cast<float>(k) / 64.0f;
    set(static_cast<int>(std::lround(x + r * std::cos(t))), static_cast<int>(std::lround(y + r * std::sin(t))), c);
  }
}

void Canvas::line(float x0, float y0, float x1, float y1, Rgb c) {
  const int n = static_cast<int>(std::max(std::fabs(x1 - x0), std::fabs(y1 - y0))) + 1;
  if (n > 10000) return;
  for (int i = 0; i <= n; ++i) {
    const float t = static_cast<float>(i) / static_cast<float>(n);
    set(static_cast<int>(std::lround(x0 + t * (x1 - x0))), static_cast<int>(std::lround(y0 + t * (y1 - y0))), c);
  }
}

void Canvas::image(const float* pixels, int rows, int cols, int x, int y, int scale) {
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const float v = std::clamp(pixels[r * cols + c], 0.0f, 1.0f);
      const auto g = static_cast<std::uint8_t>(std::lround(255.0f * (1.0f - v)));  // ink is dark
      for (int sy = 0; sy < scale; ++sy)
        for (int sx = 0; sx < scale; ++sx) set(x + c * scale + sx, y + r * scale + sy, Rgb{g, g, g});
    }
}

void Canvas::save_png(const std::string& path) const {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!f) throw std::runtime_error("cannot write " + path);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) throw std::runtime_error("libpng: out of memory writing " + path);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("libpng: failed writing " + path);
  }
  png_init_io(png, f.get());
  png_set_IHDR(png, info, static_cast<png_uint_32>(w_), static_cast<png_uint_32>(h_), 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < h_; ++y)
    png_write_row(png, &px_[static_cast<std::size_t>(y) * static_cast<std::size_t>(w_) * 3]);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
}

Rgb class_colour(int k) {
  static const Rgb palette[10] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},  {148, 103, 189},
                                  {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
  return palette[((k % 10) + 10) % 10];
}

}  // namespace genlab::cli
