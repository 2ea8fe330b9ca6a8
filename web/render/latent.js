// The latent scatter: encoder means μ of held-out examples on two chosen dimensions, coloured
// by label, with the picked interpolation ends ringed. The box fitting and nearest-point search
// are pure.
import { CLASS_COLORS, COLORS } from './colors.js';
import { drawFrameBox, makeTransform } from './scatter.js';

// A square box around dims (dx, dy) of the codes that always holds the prior's ±3 and, at most,
// the codes' range (so one far outlier cannot squash the picture). Pure.
export function latentBox(codes, dim, dx, dy) {
  let m = 3;
  const n = Math.floor(codes.length / dim);
  const vals = [];
  for (let i = 0; i < n; i++) {
    const a = Math.abs(codes[i * dim + dx]);
    const b = Math.abs(codes[i * dim + dy]);
    if (Number.isFinite(a)) vals.push(a);
    if (Number.isFinite(b)) vals.push(b);
  }
  if (vals.length) {
    vals.sort((p, q) => p - q);
    m = Math.max(m, vals[Math.min(vals.length - 1, Math.floor(vals.length * 0.99))] * 1.08);
  }
  return [-m, m, -m, m];
}

// Index of the code nearest to (x, y) in the chosen dims, or −1.
export function nearestCode(codes, dim, dx, dy, x, y) {
  let best = -1;
  let bestD = Infinity;
  const n = Math.floor(codes.length / dim);
  for (let i = 0; i < n; i++) {
    const d = (codes[i * dim + dx] - x) ** 2 + (codes[i * dim + dy] - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

// Draws the scatter; returns the transform (for pointer picking).
export function drawLatent(ctx, w, h, latent, dx, dy, picks = []) {
  const { codes, labels, dim } = latent;
  const box = latentBox(codes, dim, dx, dy);
  const tf = makeTransform(box, w, h, 10);
  ctx.strokeStyle = '#e1e3e8';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(tf.x(0), tf.rect[1]);
  ctx.lineTo(tf.x(0), tf.rect[1] + tf.rect[3]);
  ctx.moveTo(tf.rect[0], tf.y(0));
  ctx.lineTo(tf.rect[0] + tf.rect[2], tf.y(0));
  ctx.stroke();
  drawFrameBox(ctx, tf);
  ctx.save();   // codes beyond the box (it is fitted to most of them) stay inside the frame
  ctx.beginPath();
  ctx.rect(...tf.rect);
  ctx.clip();
  const n = Math.floor(codes.length / dim);
  const r = n > 400 ? 2 : 2.5;
  const labelled = labels && labels.length >= n;   // 2-D data sets have no labels: one colour
  for (let c = 0; c < (labelled ? CLASS_COLORS.length : 1); c++) {
    ctx.fillStyle = labelled ? CLASS_COLORS[c] : COLORS.latent;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      if (labelled && labels[i] % CLASS_COLORS.length !== c) continue;
      const px = tf.x(codes[i * dim + dx]);
      const py = tf.y(dim > 1 ? codes[i * dim + dy] : 0);
      if (!Number.isFinite(px + py)) continue;
      ctx.moveTo(px + r, py);
      ctx.arc(px, py, r, 0, 2 * Math.PI);
    }
    ctx.fill();
  }
  ctx.strokeStyle = COLORS.text;
  ctx.lineWidth = 2;
  picks.forEach((i, k) => {
    if (i < 0 || i >= n) return;
    const px = tf.x(codes[i * dim + dx]);
    const py = tf.y(dim > 1 ? codes[i * dim + dy] : 0);
    ctx.beginPath();
    ctx.arc(px, py, 7, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = COLORS.text;
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(k === 0 ? 'A' : 'B', px + 9, py - 7);
  });
  ctx.restore();
  return tf;
}
