// Text for people and files: number formatting, the metrics table, status lines and CSV.
// Pure: node's test runner imports it. Words come from the catalog (metric.<key>, channel.<name>).
import { has, t } from './i18n.js';

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
  { key: 'modes', text: (m) => `${fmt(m.modes)} / ${fmt(m.modes_total)}` },
  { key: 'hq', text: (m) => pct(m.hq) },
  { key: 'reverse_kl', text: (m) => fmt(m.reverse_kl) },
  { key: 'grid_kl', text: (m) => fmt(m.grid_kl) },
  { key: 'grid_js', text: (m) => fmt(m.grid_js) },
  { key: 'test_neg_elbo', text: (m) => fmt(m.test_neg_elbo) },
  { key: 'test_recon', text: (m) => fmt(m.test_recon) },
  { key: 'test_kl', text: (m) => fmt(m.test_kl) },
  { key: 'iwae_nll', text: (m) => fmt(m.iwae_nll) },
  { key: 'iwae_neg_elbo', text: (m) => fmt(m.iwae_neg_elbo) },
  { key: 'class_asked', text: (m) => pct(m.class_asked) },
  { key: 'classifier_score', text: (m) => fmt(m.classifier_score) },
  { key: 'real_classifier_score', text: (m) => fmt(m.real_classifier_score) },
  { key: 'class_modes', text: (m) => fmt(m.class_modes) },
  { key: 'class_max_fraction', text: (m) => pct(m.class_max_fraction) },
  { key: 'class_kl', text: (m) => fmt(m.class_kl) },
  { key: 'classifier_accuracy', text: (m) => pct(m.classifier_accuracy) },
];

// The name of a metric for people (an unknown one under its own name).
export const metricLabel = (key) => (has(`metric.${key}`) ? t(`metric.${key}`) : key);

// → [{ key, label, text }] for the metrics present in `m`, then any unknown numeric ones.
export function metricRows(m) {
  const rows = [];
  const seen = new Set(['steps', 'epoch', 'modes_total', 'test_examples', 'iwae_k']);
  for (const d of METRICS) {
    if (typeof m[d.key] !== 'number') continue;
    rows.push({ key: d.key, label: metricLabel(d.key), text: d.text(m) });
    seen.add(d.key);
  }
  for (const [k, v] of Object.entries(m)) {
    if (!seen.has(k) && typeof v === 'number') rows.push({ key: k, label: k, text: fmt(v) });
  }
  return rows;
}

// How each history channel (named by the core: ModelKind::channels) is labelled for people:
// channel.<kind>.<name> in the catalog when the running kind reads a field its own way (a
// VAE-GAN's "loss" is its encoder's, not −ELBO), else channel.<name>; a channel the page has no
// label for shows under its own name. setChannelKind: the running model kind (main.js, on configure).
let channelKind = '';
export const setChannelKind = (kind) => { channelKind = kind ?? ''; };
export const channelLabel = (name) => (channelKind && has(`channel.${channelKind}.${name}`) ? t(`channel.${channelKind}.${name}`)
  : has(`channel.${name}`) ? t(`channel.${name}`) : name);
// The StepStats field of a channel: the core names channels in snake_case and Embind's
// StepStats fields in camelCase (d_loss → dLoss).
export const statsField = (channel) => channel.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// The polite status line: step, speed and the run's channels (the model kind's own losses).
export function statusLine(stats, rate, channels = []) {
  if (!stats) return t('status.ready_short');
  const parts = [t('status.step', { step: stats.totalSteps })];
  if (rate > 0) parts.push(t('status.rate', { rate: fmtRate(rate) }));
  for (const c of channels) {
    const v = stats[statsField(c)];
    if (typeof v === 'number') parts.push(t('status.value', { name: channelLabel(c), value: fmt(v) }));
  }
  return t('status.line', { parts: parts.join(t('status.sep')) });
}

function csvCell(v) {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v ?? '');
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

// The loss history ({channels, data}: data holds step then one value per channel for each
// point) as CSV with named columns.
export function historyCsv(history) {
  const { channels, data } = history;
  const stride = 1 + channels.length;
  const rows = [];
  for (let i = 0; i + stride <= data.length; i += stride) rows.push(Array.from(data.subarray ? data.subarray(i, i + stride) : data.slice(i, i + stride)));
  return toCsv(['step', ...channels], rows);
}

// A log of metric evaluations [{ step, metrics }] as CSV, one column per metric key ever seen.
export function metricsCsv(log) {
  const keys = [];
  for (const { metrics } of log) for (const k of Object.keys(metrics)) if (!keys.includes(k)) keys.push(k);
  return toCsv(['step', ...keys], log.map(({ step, metrics }) => [step, ...keys.map((k) => metrics[k])]));
}
