// GenLab page state ↔ URL hash. A typed property table: every schema setting (seed included),
// the view settings below, `<key>_hide` flags and `embed`. Pure: no DOM access, so node's test
// runner imports it directly.
//
// Parsing is hostile-input safe: unknown keys are ignored, bad or out-of-range values are
// clamped (near misses) or replaced by the default (garbage), each with a human notice. Keys and
// values are only ever returned as data; callers insert notices with textContent.
import { LANGS, t } from './i18n.js';

// View settings that live in the URL next to the model settings (same field shape as schema()).
export const VIEW_FIELDS = [
  { key: 'speed', type: 'int', min: 1, max: 5, default: '5', help: 'training speed (1 slow … 5 fastest)' },
  { key: 'v_field', type: 'bool', default: 'true', help: 'discriminator heatmap' },
  { key: 'v_arrows', type: 'bool', default: 'true', help: 'generator gradient arrows' },
  { key: 'v_grid', type: 'bool', default: 'false', help: 'warped noise grid' },
  { key: 'v_real', type: 'bool', default: 'true', help: 'real samples' },
  { key: 'v_fake', type: 'bool', default: 'true', help: 'generated samples' },
  { key: 'v_recon', type: 'bool', default: 'true', help: 'reconstruction lines' },
  { key: 'lat_x', type: 'int', min: 0, max: 127, default: '0', help: 'latent dimension on the x axis' },
  { key: 'lat_y', type: 'int', min: 0, max: 127, default: '1', help: 'latent dimension on the y axis' },
  { key: 'ia', type: 'int', min: 0, max: 99999, default: '0', help: 'first interpolation example' },
  { key: 'ib', type: 'int', min: 0, max: 99999, default: '1', help: 'second interpolation example' },
  { key: 'cls', type: 'int', min: -1, max: 255, default: '-1', help: 'class the samples are drawn for (conditional models; -1: every class in turn)' },
];

// Page controls (not settings) that `<name>_hide=1` can hide, besides every setting key.
export const UI_HIDEABLE = ['play', 'step', 'reset', 'train_d', 'train_g', 'speed', 'preset', 'points', 'files',
  'course', 'metrics', 'chart', 'settings', 'views', 'objectives', 'expect', 'graph'];

export const MAX_HASH_CHARS = 16384;   // longer hashes are cut (with a notice)
export const MAX_VALUE_CHARS = 256;    // longer values are rejected
export const MAX_NOTICES = 12;         // notices per parse; the rest are summed up in one
const KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;

// A short, printable excerpt of hostile text for a notice (still inserted with textContent).
export function excerpt(s, n = 40) {
  const clean = String(s).replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > n ? `${clean.slice(0, n)}…` : clean;
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

// Checks one raw value against a field. Returns { value, notice }: value is the text to use
// (undefined means "use the default"), notice is a message or null.
export function normalizeValue(field, raw) {
  const k = field.key;
  const text = String(raw).trim();
  const useDefault = (why) => ({ value: undefined, notice: t('link.use_default', { key: k, why, default: field.default }) });
  if (text.length > MAX_VALUE_CHARS) return useDefault(t('link.why.too_long', { n: text.length }));
  switch (field.type) {
    case 'bool': {
      const low = text.toLowerCase();
      if (low === 'true' || low === '1') return { value: 'true', notice: null };
      if (low === 'false' || low === '0') return { value: 'false', notice: null };
      return useDefault(t('link.why.not_bool', { text: excerpt(text) }));
    }
    case 'enum':
      if (field.choices.includes(text)) return { value: text, notice: null };
      return useDefault(t('link.why.not_choice', { text: excerpt(text), choices: field.choices.join(', ') }));
    case 'int':
    case 'float': {
      if (!FLOAT_RE.test(text)) return useDefault(t('link.why.not_number', { text: excerpt(text) }));
      const v = Number(text);
      if (!Number.isFinite(v)) return useDefault(t('link.why.not_finite', { text: excerpt(text) }));
      if (field.type === 'int' && !Number.isInteger(v)) return useDefault(t('link.why.not_integer', { text: excerpt(text) }));
      const c = clampNumber(v, field.min, field.max);
      if (c === undefined) return useDefault(t('link.why.far_outside', { text: excerpt(text), min: field.min, max: field.max }));
      if (c !== v) return { value: String(c), notice: t('link.clamped', { key: k, text: excerpt(text), min: field.min, max: field.max, value: c }) };
      return { value: text, notice: null };
    }
    case 'intlist': {
      if (text === 'none' || text === '') return { value: 'none', notice: null };
      const parts = text.split(',');
      if (parts.length > 4) return useDefault(t('link.why.too_many_layers', { text: excerpt(text) }));
      const out = [];
      let clamped = false;
      for (const p of parts) {
        if (!/^\d+$/.test(p.trim())) return useDefault(t('link.why.not_widths', { text: excerpt(text) }));
        const v = Number(p);
        const c = clampNumber(v, field.min, field.max);
        if (c === undefined) return useDefault(t('link.why.far_outside', { text: excerpt(p), min: field.min, max: field.max }));
        clamped ||= c !== v;
        out.push(c);
      }
      const value = out.join(',');
      return { value, notice: clamped ? t('link.widths_clamped', { key: k, min: field.min, max: field.max, value }) : null };
    }
    default:
      return useDefault('has an unknown type');
  }
}

// Near misses are clamped into [min, max]; values beyond 10× the range's bounds (or of the wrong
// sign) are rejected (undefined), since they are more likely garbage than intent.
export function clampNumber(v, min, max) {
  if (v >= min && v <= max) return v;
  if (v > max) return v <= Math.max(max * 10, max + 10) ? max : undefined;
  if (min > 0) return v > 0 && v >= min / 10 ? min : undefined;   // e.g. lr 1e-9 → 1e-7; batch −5 → default
  if (min < 0) return v >= min * 10 ? min : undefined;            // e.g. gauss_logvar −15 → −12
  return undefined;                                               // min 0: a negative value is garbage
}

export function defaultsOf(fields) {
  const d = Object.create(null);
  for (const f of fields) d[f.key] = f.default;
  return d;
}

function fieldTable(schema) {
  const m = new Map();
  for (const f of schema) m.set(f.key, f);
  return m;
}

// location.hash → { settings, view, hide, embed, lang, notices, lesson } (lesson: lessonOf()).
//   settings: null-prototype object of the schema keys the hash sets (validated text values)
//   view:     every VIEW_FIELDS key (defaults filled in)
//   hide:     Set of hidden control names
export function parseHash(hash, schema) {
  const notices = [];
  const settings = Object.create(null);
  const view = defaultsOf(VIEW_FIELDS);
  const hide = new Set();
  let embed = false;
  let lang = null;
  let text = String(hash ?? '');
  if (text.startsWith('#')) text = text.slice(1);
  if (text.length > MAX_HASH_CHARS) {
    notices.push(t('link.too_long', { n: text.length, max: MAX_HASH_CHARS }));
    text = text.slice(0, MAX_HASH_CHARS);
  }
  const fields = fieldTable(schema);
  const viewFields = fieldTable(VIEW_FIELDS);
  const hideable = new Set([...fields.keys(), ...UI_HIDEABLE]);
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key, raw;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      raw = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      notices.push(t('link.malformed', { text: excerpt(part) }));
      continue;
    }
    if (!KEY_RE.test(key)) {
      notices.push(t('link.unknown', { key: excerpt(key) }));
      continue;
    }
    if (key === 'embed') {
      embed = raw === '1' || raw === 'true';
    } else if (key === 'lesson' || key === 'step') {
      // a guided lesson: lessonOf()
    } else if (key === 'lang') {
      if (LANGS.includes(raw)) lang = raw;
      else notices.push(t('link.bad_lang', { text: excerpt(raw), langs: LANGS.join(', ') }));
    } else if (key.endsWith('_hide')) {
      const name = key.slice(0, -5);
      if (!hideable.has(name)) notices.push(t('link.no_control', { key: excerpt(key), name: excerpt(name) }));
      else if (raw === '1' || raw === 'true') hide.add(name);
    } else if (fields.has(key) || viewFields.has(key)) {
      const f = fields.get(key) ?? viewFields.get(key);
      const { value, notice } = normalizeValue(f, raw);
      if (notice) notices.push(notice);
      const target = fields.has(key) ? settings : view;
      if (value !== undefined) target[key] = value;
      else if (target === view) view[key] = f.default;
      else delete settings[key];
    } else {
      notices.push(t('link.unknown', { key: excerpt(key) }));
    }
  }
  if (notices.length > MAX_NOTICES) {
    const more = notices.length - (MAX_NOTICES - 1);
    notices.splice(MAX_NOTICES - 1, Infinity, t('link.more', { n: more }));
  }
  return { settings, view, hide, embed, lang, notices, lesson: lessonOf(text) };
}

// A link's guided lesson as raw (still encoded) text, { id, step }, or null; lessons.js checks them.
export function lessonOf(hash) {
  const get = (k) => new RegExp(`(?:^#?|&)${k}=([^&]*)`).exec(String(hash ?? '').slice(0, MAX_HASH_CHARS))?.[1] ?? null;
  const [id, step] = [get('lesson'), get('step')];
  return id === null && step === null ? null : { id, step };
}

const enc = (s) => encodeURIComponent(s).replace(/%2C/gi, ',');

// The canonical text form of a value (so '0.0010' and '0.001' both count as the default).
export function canonical(field, value) {
  const v = String(value);
  if (field.type === 'float' || field.type === 'int') {
    const n = Number(v);
    return Number.isFinite(n) ? String(n) : v;
  }
  if (field.type === 'bool') return v === '1' || v === 'true' ? 'true' : 'false';
  if (field.type === 'intlist') return v === '' ? 'none' : v.replace(/\s+/g, '');
  return v;
}

// { settings, view, hide, embed, lang, lesson } → '#k=v&…' with only the non-default values, in
// table order (lang only when given: a link keeps the language it was opened or switched to;
// lesson: lessonOf()'s { id, step }, written as they are).
export function encodeHash({ settings = {}, view = {}, hide = new Set(), embed = false, lang = null, lesson = null }, schema) {
  const parts = [];
  const add = (fields, values) => {
    for (const f of fields) {
      if (!(f.key in values) || values[f.key] === undefined) continue;
      const v = canonical(f, values[f.key]);
      if (v !== canonical(f, f.default)) parts.push(`${f.key}=${enc(v)}`);
    }
  };
  add(schema, settings);
  add(VIEW_FIELDS, view);
  const order = [...schema.map((f) => f.key), ...UI_HIDEABLE];
  for (const name of order) if (hide.has(name)) parts.push(`${name}_hide=1`);
  if (lesson) parts.push(`lesson=${lesson.id ?? ''}`, `step=${lesson.step ?? 1}`);
  if (embed) parts.push('embed=1');
  if (lang) parts.push(`lang=${enc(lang)}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

// Settings minus the keys equal to their defaults (what a preset or the URL "changes").
export function changedSettings(settings, schema) {
  const out = Object.create(null);
  for (const f of schema) {
    if (f.key in settings && canonical(f, settings[f.key]) !== canonical(f, f.default)) out[f.key] = String(settings[f.key]);
  }
  return out;
}

// The preset whose settings are exactly the config's non-default values (seed aside), or ''.
export function matchPreset(config, presets, schema) {
  const changed = changedSettings(config, schema);
  delete changed.seed;
  const fields = fieldTable(schema);
  for (const p of presets) {
    const want = changedSettings(p.settings, schema);
    const keys = new Set([...Object.keys(changed), ...Object.keys(want)]);
    let same = true;
    for (const k of keys) {
      const f = fields.get(k);
      if (!f || canonical(f, changed[k] ?? f.default) !== canonical(f, want[k] ?? f.default)) {
        same = false;
        break;
      }
    }
    if (same) return p.name;
  }
  return '';
}
