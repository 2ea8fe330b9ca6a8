// Text for people and files: number formatting, the metrics table, status lines and CSV.
// Pure: node's test runner imports it.

export function fmt(v, digits = 3) {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  if (Number.isInteger(v) && a < 1e5) return String(v);
  return v.toFixed(a >= 100 ? 1 : digits);
}

export function fmtRate(r) {
  if (!(r > 0)) return '0';
  if (r >= 1000) return `${(r / 1000).toFixed(1)}k`;
  return r >= 10 ? r.toFixed(0) : r.toFixed(1);
}

export function fmtBytes(n) {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} kB`;
  return `${n} B`;
}

// The metrics evaluate() reports, in display order, with a label and a formatter.
const pct = (v) => `${fmt(100 * v, 1)} %`;
export const METRICS = [
  { key: 'modes', label: 'Modes covered', text: (m) => `${fmt(m.modes)} / ${fmt(m.modes_total)}` },
  { key: 'hq', label: 'High-quality samples', text: (m) => pct(m.hq) },
  { key: 'reverse_kl', label: 'Reverse KL (modes)', text: (m) => fmt(m.reverse_kl) },
  { key: 'grid_kl', label: 'Grid KL (real ‖ generated)', text: (m) => fmt(m.grid_kl) },
  { key: 'grid_js', label: 'Grid JS divergence', text: (m) => fmt(m.grid_js) },
  { key: 'test_neg_elbo', label: 'Held-out −ELBO', text: (m) => fmt(m.test_neg_elbo) },
  { key: 'test_recon', label: 'Held-out reconstruction', text: (m) => fmt(m.test_recon) },
  { key: 'test_kl', label: 'Held-out KL', text: (m) => fmt(m.test_kl) },
  { key: 'iwae_nll', label: 'IWAE NLL', text: (m) => fmt(m.iwae_nll) },
  { key: 'classifier_score', label: 'Classifier score', text: (m) => fmt(m.classifier_score) },
  { key: 'real_classifier_score', label: 'Classifier score of real data', text: (m) => fmt(m.real_classifier_score) },
  { key: 'class_modes', label: 'Classes generated', text: (m) => fmt(m.class_modes) },
  { key: 'class_max_fraction', label: 'Largest class share', text: (m) => pct(m.class_max_fraction) },
  { key: 'class_kl', label: 'Class KL from uniform', text: (m) => fmt(m.class_kl) },
  { key: 'classifier_accuracy', label: 'Classifier accuracy', text: (m) => pct(m.classifier_accuracy) },
];

// → [{ key, label, text }] for the metrics present in `m`, then any unknown numeric ones.
export function metricRows(m) {
  const rows = [];
  const seen = new Set(['steps', 'epoch', 'modes_total', 'test_examples', 'iwae_k']);
  for (const d of METRICS) {
    if (typeof m[d.key] !== 'number') continue;
    rows.push({ key: d.key, label: d.label, text: d.text(m) });
    seen.add(d.key);
  }
  for (const [k, v] of Object.entries(m)) {
    if (!seen.has(k) && typeof v === 'number') rows.push({ key: k, label: k, text: fmt(v) });
  }
  return rows;
}

// Names of the three history series (history(): step, a, b, c).
export function seriesNames(model) {
  return model === 'gan' ? ['D loss', 'G loss', 'D(x) real'] : ['−ELBO (loss)', 'Reconstruction', 'KL'];
}

// The polite status line: step, speed and the main losses.
export function statusLine(stats, rate, model) {
  if (!stats) return 'Ready.';
  const parts = [`Step ${stats.totalSteps}`];
  if (rate > 0) parts.push(`${fmtRate(rate)} steps/s`);
  if (model === 'gan') parts.push(`D loss ${fmt(stats.dLoss)}`, `G loss ${fmt(stats.gLoss)}`);
  else parts.push(`loss ${fmt(stats.loss)}`, `reconstruction ${fmt(stats.recon)}`, `KL ${fmt(stats.kl)}`);
  return `${parts.join(', ')}.`;
}

function csvCell(v) {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v ?? '');
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

// The loss history (Float32Array, 4 per point) as CSV with named columns.
export function historyCsv(history, model) {
  const names = seriesNames(model);
  const rows = [];
  for (let i = 0; i + 3 < history.length; i += 4) rows.push([history[i], history[i + 1], history[i + 2], history[i + 3]]);
  return toCsv(['step', ...names], rows);
}

// A log of metric evaluations [{ step, metrics }] as CSV, one column per metric key ever seen.
export function metricsCsv(log) {
  const keys = [];
  for (const { metrics } of log) for (const k of Object.keys(metrics)) if (!keys.includes(k)) keys.push(k);
  return toCsv(['step', ...keys], log.map(({ step, metrics }) => [step, ...keys.map((k) => metrics[k])]));
}
