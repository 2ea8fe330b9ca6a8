// Grey-scale image grids: pixels in [0, 1] (row-major, image after image) → one RGBA buffer
// (pure), drawn crisp (no smoothing) into a canvas. Ink is dark on white, as on paper.

// Layout of n images of side×side in `cols` columns with `gap` background pixels between.
export function gridLayout(n, side, cols, gap = 1) {
  const c = Math.max(1, Math.min(cols, n));
  const r = Math.max(1, Math.ceil(n / c));
  return { cols: c, rows: r, width: c * side + (c + 1) * gap, height: r * side + (r + 1) * gap };
}

// → { width, height, data: Uint8ClampedArray RGBA }. Values outside [0, 1] are clamped, NaN and ±∞
// are red.
// scale: screen pixels per image pixel (exports use 2); gutters stay `gap` pixels wide.
// One 32-bit write per pixel through a table of the 256 greys (the page draws 64–300 images a
// frame; per-byte writes with Math.round per pixel were its largest drawing cost).
const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const rgba32 = (r, g, b) => (LITTLE ? ((255 << 24) | (b << 16) | (g << 8) | r) : ((r << 24) | (g << 16) | (b << 8) | 255)) >>> 0;
const GREYS = Uint32Array.from({ length: 256 }, (_, q) => rgba32(255 - q, 255 - q, 255 - q));
const NAN_RED = rgba32(220, 40, 40);
const WHITE = rgba32(255, 255, 255);

// into: an RGBA buffer of the right size to fill instead of a new one (the page reuses one per grid).
export function imagesToRgba(pixels, n, side, cols, gap = 1, scale = 1, into = null) {
  const S = side * scale;
  const L = gridLayout(n, S, cols, gap);
  const data = into?.length === L.width * L.height * 4 ? into : new Uint8ClampedArray(L.width * L.height * 4);
  const out = new Uint32Array(data.buffer);
  out.fill(WHITE);
  const per = side * side;
  for (let k = 0; k < n; k++) {
    const ox = gap + (k % L.cols) * (S + gap);
    const oy = gap + Math.floor(k / L.cols) * (S + gap);
    for (let y = 0; y < S; y++) {
      const src = k * per + Math.floor(y / scale) * side;
      const row = (oy + y) * L.width + ox;
      for (let x = 0; x < S; x++) {
        const v = pixels[src + (scale === 1 ? x : Math.floor(x / scale))];
        // The grey's index is Math.round(255 · clamp(v)); NaN and ±Infinity fail every test below.
        out[row + x] = v >= 0 && v <= 1 ? GREYS[(255 * v + 0.5) | 0]
          : v > 1 && v < Infinity ? GREYS[255] : v < 0 && v > -Infinity ? GREYS[0] : NAN_RED;
      }
    }
  }
  return { width: L.width, height: L.height, data };
}

// Draws the grid into `canvas` at one canvas pixel per image pixel (the canvas takes the grid's
// size); the page scales it with CSS (object-fit: contain, image-rendering: pixelated). A grid drawn
// at the view's size × devicePixelRatio was 4–25× the pixels to fill, commit and composite on the
// main thread every frame, for the same picture.
const images = new WeakMap();   // canvas → its ImageData, reused frame after frame
export function putImageGrid(canvas, pixels, n, side, cols, gap = 1) {
  if (!pixels || n <= 0 || pixels.length < n * side * side) return null;
  const L = gridLayout(n, side, cols, gap);
  if (canvas.width !== L.width || canvas.height !== L.height) {
    canvas.width = L.width;
    canvas.height = L.height;
  }
  let image = images.get(canvas);
  if (!image || image.width !== L.width || image.height !== L.height) images.set(canvas, image = new ImageData(L.width, L.height));
  imagesToRgba(pixels, n, side, cols, gap, 1, image.data);
  canvas.getContext('2d').putImageData(image, 0, 0);
  return L;
}
