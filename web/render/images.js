// Grey-scale image grids: pixels in [0, 1] (row-major, image after image) → one RGBA buffer
// (pure), drawn crisp (no smoothing) into a canvas. Ink is dark on white, as on paper.

// Layout of n images of side×side in `cols` columns with `gap` background pixels between.
export function gridLayout(n, side, cols, gap = 1) {
  const c = Math.max(1, Math.min(cols, n));
  const r = Math.max(1, Math.ceil(n / c));
  return { cols: c, rows: r, width: c * side + (c + 1) * gap, height: r * side + (r + 1) * gap };
}

// → { width, height, data: Uint8ClampedArray RGBA }. Values outside [0, 1] are clamped, NaN is red.
// scale: screen pixels per image pixel (exports use 2); gutters stay `gap` pixels wide.
export function imagesToRgba(pixels, n, side, cols, gap = 1, scale = 1) {
  const S = side * scale;
  const L = gridLayout(n, S, cols, gap);
  const data = new Uint8ClampedArray(L.width * L.height * 4).fill(255);
  const per = side * side;
  for (let k = 0; k < n; k++) {
    const ox = gap + (k % L.cols) * (S + gap);
    const oy = gap + Math.floor(k / L.cols) * (S + gap);
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const v = pixels[k * per + Math.floor(y / scale) * side + Math.floor(x / scale)];
        const o = 4 * ((oy + y) * L.width + ox + x);
        if (!Number.isFinite(v)) {
          data[o] = 220; data[o + 1] = 40; data[o + 2] = 40;
          continue;
        }
        const g = 255 - Math.round(255 * Math.min(1, Math.max(0, v)));
        data[o] = g; data[o + 1] = g; data[o + 2] = g;
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

// Draws the grid as large as fits, centred (crisp pixels at whole scales, smoothed otherwise).
export function drawImageGrid(ctx, w, h, pixels, n, side, cols, gap = 1) {
  if (!pixels || n <= 0 || pixels.length < n * side * side) return null;
  const img = imagesToRgba(pixels, n, side, cols, gap);
  const off = new OffscreenCanvas(img.width, img.height);
  off.getContext('2d').putImageData(new ImageData(img.data, img.width, img.height), 0, 0);
  const scale = gridScale(img.width, img.height, w, h);
  const dw = img.width * scale;
  const dh = img.height * scale;
  const x = Math.floor((w - dw) / 2);
  const y = Math.floor((h - dh) / 2);
  ctx.imageSmoothingEnabled = !Number.isInteger(scale);
  ctx.drawImage(off, x, y, dw, dh);
  return { x, y, scale, cell: (side + gap) * scale, cols: Math.min(cols, n) };
}
