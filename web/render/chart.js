// Loss curves, hand-drawn: the history (4 floats per point: step, a, b, c) is reduced to one
// min / max / mean per pixel column (pure, O(n)), so drawing costs the same for 100 points or
// 1,000,000. Each series is a translucent min–max band with its mean line on top.
import { t } from '../i18n.js';
import { COLORS } from './colors.js';

// Per pixel column over [x0, x1] of series `s` (1…3): { min, max, mean } Float32Arrays of
// length `cols`, NaN where a column holds no finite point.
export function downsampleMinMax(history, s, x0, x1, cols, stride = 4) {
  const min = new Float32Array(cols).fill(NaN);
  const max = new Float32Array(cols).fill(NaN);
  const sum = new Float64Array(cols);
  const count = new Uint32Array(cols);
  const span = x1 - x0;
  const n = Math.floor(history.length / stride);
  for (let i = 0; i < n; i++) {
    const x = history[i * stride];
    const v = history[i * stride + s];
    if (!Number.isFinite(v) || !Number.isFinite(x)) continue;
    let c = span > 0 ? Math.floor(((x - x0) / span) * cols) : 0;
    if (c < 0 || c > cols) continue;
    if (c === cols) c = cols - 1;
    if (Number.isNaN(min[c]) || v < min[c]) min[c] = v;
    if (Number.isNaN(max[c]) || v > max[c]) max[c] = v;
    sum[c] += v;
    count[c]++;
  }
  const mean = new Float32Array(cols);
  for (let c = 0; c < cols; c++) mean[c] = count[c] ? sum[c] / count[c] : NaN;
  return { min, max, mean };
}

// A y range for the columns, ignoring the first `skip` fraction (early losses are often far
// larger than everything after) unless that leaves nothing. Pure.
export function valueRange(columns, skip = 0.05) {
  let lo = Infinity;
  let hi = -Infinity;
  const scan = (from) => {
    for (const { min, max } of columns) {
      for (let c = Math.floor(min.length * from); c < min.length; c++) {
        if (min[c] < lo) lo = min[c];
        if (max[c] > hi) hi = max[c];
      }
    }
  };
  scan(skip);
  if (!(hi >= lo)) scan(0);
  if (!(hi >= lo)) return [0, 1];
  if (hi === lo) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

export function niceNumber(v) {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(a >= 1 ? 2 : 3);
}

// series: [{ index: 1…3, name, color }]. Returns the last finite value of each series.
export function drawChart(ctx, w, h, history, series, { stride = 4 } = {}) {
  ctx.clearRect(0, 0, w, h);
  const left = 44;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const pw = Math.max(10, w - left - right);
  const ph = Math.max(10, h - top - bottom);
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = COLORS.axis;
  const n = history ? Math.floor(history.length / stride) : 0;
  if (n < 2) {
    ctx.fillText(t('chart.empty'), left, top + ph / 2);
    return [];
  }
  const x0 = history[0];
  const x1 = history[(n - 1) * stride];
  const cols = Math.max(2, Math.floor(pw));
  const columns = series.map((s) => downsampleMinMax(history, s.index, x0, x1, cols, stride));
  const [lo, hi] = valueRange(columns);
  const Y = (v) => top + ph - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * ph;
  const X = (c) => left + (c + 0.5) * (pw / cols);

  ctx.strokeStyle = '#e1e3e8';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 0; k <= 3; k++) {
    const v = lo + ((hi - lo) * k) / 3;
    const y = Math.round(Y(v)) + 0.5;
    ctx.moveTo(left, y);
    ctx.lineTo(left + pw, y);
    ctx.fillText(niceNumber(v), 2, y + 4);
  }
  if (lo < 0 && hi > 0) {
    ctx.moveTo(left, Math.round(Y(0)) + 0.5);
    ctx.lineTo(left + pw, Math.round(Y(0)) + 0.5);
  }
  ctx.stroke();
  ctx.fillText(t('chart.step', { step: Math.round(x0) }), left, h - 5);
  const endLabel = `${Math.round(x1)}`;
  ctx.fillText(endLabel, left + pw - ctx.measureText(endLabel).width, h - 5);

  const last = [];
  series.forEach((s, k) => {
    const { min, max, mean } = columns[k];
    ctx.fillStyle = s.color;
    ctx.globalAlpha = 0.18;
    for (let c = 0; c < cols; c++) {
      if (Number.isNaN(min[c])) continue;
      const ya = Y(max[c]);
      const yb = Y(min[c]);
      ctx.fillRect(X(c) - 0.5, ya, 1, Math.max(1, yb - ya));
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (let c = 0; c < cols; c++) {
      if (Number.isNaN(mean[c])) continue;
      if (pen) ctx.lineTo(X(c), Y(mean[c]));
      else ctx.moveTo(X(c), Y(mean[c]));
      pen = true;
    }
    ctx.stroke();
    let v = NaN;
    for (let i = n - 1; i >= 0 && !Number.isFinite(v); i--) v = history[i * stride + s.index];
    last.push(v);
  });
  return last;
}
