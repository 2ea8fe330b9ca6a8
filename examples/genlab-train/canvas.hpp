// A tiny RGB raster for the trainer's figures, saved as PNG through libpng.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genlab::cli {

struct Rgb {
  std::uint8_t r, g, b;
};

class Canvas {
 public:
  Canvas(int w, int h, Rgb bg = {255, 255, 255});
  int width() const { return w_; }
  int height() const { return h_; }
  void set(int x, int y, Rgb c);
  void blend(int x, int y, Rgb c, float alpha);
  // A filled disc of radius r (pixels) centred at (x, y), alpha-blended.
  void dot(float x, float y, float r, Rgb c, float alpha = 1.0f);
  // A ring of radius r.
  void ring(float x, float y, float r, Rgb c);
  void line(float x0, float y0, float x1, float y1, Rgb c);
  // Grey image (values in [0, 1], 1 = ink) scaled by an integer factor, top-left at (x, y).
  void image(const float* pixels, int rows, int cols, int x, int y, int scale = 1);
  // Writes an 8-bit RGB PNG; throws std::runtime_error naming the file on failure.
  void save_png(const std::string& path) const;

 private:
  int w_, h_;
  std::vector<std::uint8_t> px_;
};

// A categorical colour for class k (10 distinct hues).
Rgb class_colour(int k);

}  // namespace genlab::cli
