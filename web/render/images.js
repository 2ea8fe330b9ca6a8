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

// The drawing scale for content of size cw×ch in a w×h box: as large as fits, rounded down to a
// whole number of pixels per image pixel when that loses little (≥ 3×), so pixels stay crisp.
export function gridScale(cw, ch, w, h) {
  const fit = Math.min(w / cw, h / ch);
  return fit >= 3 ? Math.floor(fit) : fit;
}

// One offscreen canvas and RGBA buffer per grid size, reused frame after frame (the page has a
// handful of grids; new ones each frame were ~8 MB/s of garbage and its collections).
const scratches = new Map();
function scratch(w, h) {
  const key = `${w}x${h}`;
  let c = scratches.get(key);
  if (!c) {
    if (scratches.size > 16) scratches.clear();
    scratches.set(key, c = { canvas: new OffscreenCanvas(w, h), image: new ImageData(w, h) });
  }
  return c;
}

// Draws the grid as large as fits, centred (crisp pixels at whole scales, smoothed otherwise).
export function drawImageGrid(ctx, w, h, pixels, n, side, cols, gap = 1) {
  if (!pixels || n <= 0 || pixels.length < n * side * side) return null;
  const L = gridLayout(n, side, cols, gap);
  const { canvas: off, image } = scratch(L.width, L.height);
  const img = imagesToRgba(pixels, n, side, cols, gap, 1, image.data);
  off.getContext('2d').putImageData(image, 0, 0);
  const scale = gridScale(img.width, img.height, w, h);
  const dw = img.width * scale;
  const dh = img.height * scale;
  const x = Math.floor((w - dw) / 2);
  const y = Math.floor((h - dh) / 2);
  ctx.imageSmoothingEnabled = !Number.isInteger(scale);
  ctx.drawImage(off, x, y, dw, dh);
  return { x, y, scale, cell: (side + gap) * scale, cols: Math.min(cols, n) };
}
