// Colours shared by every view, and the pixel maths of the discriminator heatmap. Pure.
// Real data is green, generated data purple (a reader learns the code once, as in GAN Lab's
// convention of two contrasting hues), with a neutral near-white where D is undecided.

export const COLORS = Object.freeze({
  // Dark enough to keep ≥ 3 : 1 against the heatmap at both of its ends (tests/web/colors).
  real: '#0b6b3a',
  fake: '#4b1f78',
  recon: '#d9822b',
  arrow: '#3b2a55',
  grid: 'rgba(60, 60, 90, 0.45)',
  axis: '#5f6670',   // ≥ 4.5 : 1 on white: chart text
  text: '#2b2f36',
  latent: '#2d6cdf',
  series: ['#2d6cdf', '#d9822b', '#1b9e5a', '#b03f6e'],
});

// Ten well-separated class colours (labels 0–9), then they repeat.
export const CLASS_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf'];

// The heatmap's ends are light tints, so that the dark points stay visible on either side.
const FAKE_RGB = [214, 190, 236];
const MID_RGB = [247, 247, 244];
const REAL_RGB = [172, 222, 190];

// t in [0, 1] (0: "fake", 1: "real") → [r, g, b]; NaN maps to mid grey.
export function heatColor(t) {
  if (!Number.isFinite(t)) return [170, 170, 170];
  const u = Math.min(1, Math.max(0, t));
  const [a, b, s] = u < 0.5 ? [FAKE_RGB, MID_RGB, u * 2] : [MID_RGB, REAL_RGB, (u - 0.5) * 2];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * s));
}

// Field values → t in [0, 1]. Probabilities are used as they are; other critics (WGAN, hinge,
// least squares) are centred on their midrange and scaled by their spread in this frame.
export function fieldScale(values, probability) {
  if (probability) return { offset: 0, scale: 1 };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return { offset: Number.isFinite(lo) ? lo - 0.5 : 0, scale: 1 };
  return { offset: lo, scale: 1 / (hi - lo) };
}

// res×res field values (row 0 = top) → RGBA bytes (alpha `alpha`), written into `out` if given.
export function fieldToRgba(values, res, probability, alpha = 255, out = undefined) {
  const n = res * res;
  const rgba = out ?? new Uint8ClampedArray(n * 4);
  const { offset, scale } = fieldScale(values, probability);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = heatColor((values[i] - offset) * scale);
    rgba[4 * i] = r;
    rgba[4 * i + 1] = g;
    rgba[4 * i + 2] = b;
    rgba[4 * i + 3] = alpha;
  }
  return rgba;
}
