// 2-D data-space drawing: the box ↔ pixel transform (pure), points, arrows, reconstruction
// links, the warped noise grid and the discriminator field. Every function draws from typed
// arrays of (x, y) pairs in one pass; none keeps state between frames.
import { COLORS, fieldToRgba } from './colors.js';

// box [x0, x1, y0, y1] → a transform into a w×h canvas keeping the aspect ratio (centred),
// y up. Pure.
export function makeTransform(box, w, h, pad = 8) {
  const [x0, x1, y0, y1] = box;
  const bw = x1 - x0 || 1;
  const bh = y1 - y0 || 1;
  const s = Math.min((w - 2 * pad) / bw, (h - 2 * pad) / bh);
  const ox = (w - s * bw) / 2;
  const oy = (h - s * bh) / 2;
  return {
    scale: s,
    x: (x) => ox + (x - x0) * s,
    y: (y) => h - oy - (y - y0) * s,
    invX: (px) => x0 + (px - ox) / s,
    invY: (py) => y0 + (h - oy - py) / s,
    rect: [ox, oy, s * bw, s * bh],   // the box in pixels: left, top, width, height
  };
}

export function drawFrameBox(ctx, tf) {
  const [l, t, w, h] = tf.rect;
  ctx.strokeStyle = COLORS.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(l) + 0.5, Math.round(t) + 0.5, Math.round(w) - 1, Math.round(h) - 1);
}

// Runs draw() with everything clipped to the plot frame: points, arrows and the warped grid
// that land outside the box must not spill over the margins and the frame.
export function drawClipped(ctx, tf, draw) {
  const [l, t, w, h] = tf.rect;
  ctx.save();
  ctx.beginPath();
  ctx.rect(l, t, w, h);
  ctx.clip();
  try {
    draw();
  } finally {
    ctx.restore();
  }
}

// At most `max` of the (x, y) pairs in `xy`, for display: every k-th (k = ⌈n / max⌉), so the
// picture keeps the data's shape at any size and the same data always gives the same points. Pure.
export const MAX_DRAWN_POINTS = 4096;
export function thinPoints(xy, max = MAX_DRAWN_POINTS) {
  const n = xy.length >> 1;
  if (n <= max) return xy;
  const k = Math.ceil(n / max);
  const m = Math.ceil(n / k);
  const out = new Float32Array(2 * m);
  for (let i = 0, j = 0; i < n; i += k, j++) {
    out[2 * j] = xy[2 * i];
    out[2 * j + 1] = xy[2 * i + 1];
  }
  return out;
}

// Points (x, y pairs) as small discs; `max` limits how many are drawn.
export function drawPoints(ctx, xy, tf, color, radius = 2.5, max = Infinity) {
  if (!xy) return;
  const n = Math.min(xy.length >> 1, max);
  ctx.fillStyle = color;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const px = tf.x(xy[2 * i]);
    const py = tf.y(xy[2 * i + 1]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    ctx.moveTo(px + radius, py);
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
  }
  ctx.fill();
}

// Arrows from the first points of `xy` along −∂L_G/∂x (the direction G moves them), scaled so
// that the longest is `maxLen` pixels.
export function drawArrows(ctx, xy, grads, tf, maxLen = 28) {
  if (!xy || !grads) return;
  const n = Math.min(xy.length, grads.length) >> 1;
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, Math.hypot(grads[2 * i], grads[2 * i + 1]));
  if (!(longest > 0) || !Number.isFinite(longest)) return;
  const k = maxLen / longest;
  ctx.strokeStyle = COLORS.arrow;
  ctx.globalAlpha = 0.7;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const px = tf.x(xy[2 * i]);
    const py = tf.y(xy[2 * i + 1]);
    const dx = -grads[2 * i] * k;
    const dy = grads[2 * i + 1] * k;   // screen y points down
    const len = Math.hypot(dx, dy);
    if (!(len > 1.5) || !Number.isFinite(px + py)) continue;
    const ex = px + dx;
    const ey = py + dy;
    ctx.moveTo(px, py);
    ctx.lineTo(ex, ey);
    const head = Math.min(5, len / 2);
    const a = Math.atan2(dy, dx);
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - head * Math.cos(a - 0.45), ey - head * Math.sin(a - 0.45));
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - head * Math.cos(a + 0.45), ey - head * Math.sin(a + 0.45));
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
}

// Line segments from inputs[i] to outputs[i] (VAE reconstructions).
export function drawLinks(ctx, inputs, outputs, tf, color = COLORS.recon) {
  if (!inputs || !outputs) return;
  const n = Math.min(inputs.length, outputs.length) >> 1;
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.6;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    ctx.moveTo(tf.x(inputs[2 * i]), tf.y(inputs[2 * i + 1]));
    ctx.lineTo(tf.x(outputs[2 * i]), tf.y(outputs[2 * i + 1]));
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  drawPoints(ctx, outputs, tf, color, 1.8);
}

// The generator's image of a res×res noise grid: its rows and columns as polylines.
export function drawWarpGrid(ctx, warp, res, tf) {
  if (!warp || warp.length < res * res * 2) return;
  ctx.strokeStyle = COLORS.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const i = 2 * (r * res + c);
      const fn = c === 0 ? 'moveTo' : 'lineTo';
      ctx[fn](tf.x(warp[i]), tf.y(warp[i + 1]));
    }
  }
  for (let c = 0; c < res; c++) {
    for (let r = 0; r < res; r++) {
      const i = 2 * (r * res + c);
      const fn = r === 0 ? 'moveTo' : 'lineTo';
      ctx[fn](tf.x(warp[i]), tf.y(warp[i + 1]));
    }
  }
  ctx.stroke();
}

// One ImageData for the whole field, scaled up (smoothed) into the box's pixel rectangle.
let fieldCanvas = null;
export function drawField(ctx, values, res, probability, tf) {
  if (!values || values.length < res * res) return;
  fieldCanvas ??= new OffscreenCanvas(res, res);
  if (fieldCanvas.width !== res) {
    fieldCanvas.width = res;
    fieldCanvas.height = res;
  }
  const fctx = fieldCanvas.getContext('2d');
  const img = fctx.createImageData(res, res);
  fieldToRgba(values, res, probability, 255, img.data);
  fctx.putImageData(img, 0, 0);
  const [l, t, w, h] = tf.rect;
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.globalAlpha = 0.85;
  ctx.drawImage(fieldCanvas, l, t, w, h);
  ctx.restore();
}
