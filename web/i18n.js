// The page's words: one message catalog per language (web/i18n/<lang>/<section>.json, flat
// {"dotted.key": "text with {params}"}). `ui` is loaded before the page draws; other sections
// (teach, lessons, article) load on demand. Views and controls refer to keys, never to literal
// strings; static markup names its key in data-i18n / data-i18n-attr. Missing keys show as
// ⟦key⟧ (and are collected for the tests) instead of failing.
export const LANGS = ['en', 'zh'];
const HTML_LANG = { en: 'en', zh: 'zh' };

let lang = 'en';
const catalogs = new Map();        // `${lang}/${section}` → {key: text}
const loaded = new Set(['ui']);     // sections the page asked for (re-fetched on a switch)
const merged = new Map();          // key → text for the current language
const listeners = new Set();
export const missingKeys = new Set();

// The language to start with: `lang=` in the hash or query wins, then the browser's languages.
export function pickLanguage(url = '', languages = []) {
  const m = /[#?&]lang=([A-Za-z-]+)/.exec(url);
  const fromUrl = m ? normalize(m[1]) : null;
  if (fromUrl) return fromUrl;
  for (const l of languages) {
    const n = normalize(l);
    if (n) return n;
  }
  return 'en';
}
// 'zh-CN' → 'zh', 'en-GB' → 'en'; null for languages without a catalog.
export function normalize(tag) {
  const base = String(tag ?? '').toLowerCase().split(/[-_]/)[0];
  return LANGS.includes(base) ? base : null;
}

async function fetchCatalog(l, section) {
  const id = `${l}/${section}`;
  if (!catalogs.has(id)) {
    const url = new URL(`./i18n/${id}.json`, import.meta.url);
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url.pathname} → ${r.status}`);
    catalogs.set(id, await r.json());
  }
  return catalogs.get(id);
}

function rebuild() {
  merged.clear();
  for (const s of loaded) {
    const c = catalogs.get(`${lang}/${s}`);
    if (c) for (const [k, v] of Object.entries(c)) merged.set(k, v);
  }
}

// Loads the `ui` catalog of `l` and applies it to the document.
export async function initI18n(l) {
  lang = normalize(l) ?? 'en';
  await fetchCatalog(lang, 'ui');
  rebuild();
  if (typeof document !== 'undefined') {
    document.documentElement.lang = HTML_LANG[lang];
    applyI18n(document);
  }
  return lang;
}

// Makes a section's keys available (fetching it for the current language once).
export async function loadSection(section) {
  loaded.add(section);
  await fetchCatalog(lang, section);
  rebuild();
}

export const currentLang = () => lang;
export const has = (key) => merged.has(key);

// The text of `key` with {name} placeholders filled from params.
export function t(key, params = undefined) {
  const text = merged.get(key);
  if (text === undefined) {
    missingKeys.add(key);
    return `⟦${key}⟧`;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all));
}

// Fills markup: data-i18n="key" (with optional data-i18n-params='{"n":3}') sets textContent;
// data-i18n-attr="aria-label:key;title:key2" sets attributes. Built elements that go through
// setText() carry the same attributes, so a language switch re-translates them too.
export function applyI18n(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const p = /** @type {HTMLElement} */ (el).dataset.i18nParams;
    el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n, p ? JSON.parse(p) : undefined);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of /** @type {HTMLElement} */ (el).dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

// Sets el's text to t(key, params) and remembers key and params for a language switch.
export function setText(el, key, params = undefined) {
  el.dataset.i18n = key;
  if (params) el.dataset.i18nParams = JSON.stringify(params);
  else delete el.dataset.i18nParams;
  el.textContent = t(key, params);
  return el;
}

// For node's tests and tools: installs a catalog without fetching it.
export function installCatalog(l, section, data) {
  catalogs.set(`${l}/${section}`, data);
  loaded.add(section);
  if (l === lang) rebuild();
}

// fn(lang) after every language switch; returns an unsubscribe function.
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Switches language: fetches every section in use for `l`, re-applies the markup, tells listeners.
export async function setLanguage(l) {
  const next = normalize(l);
  if (!next) return lang;
  await Promise.all([...loaded].map((s) => fetchCatalog(next, s)));
  lang = next;
  rebuild();
  if (typeof document !== 'undefined') {
    document.documentElement.lang = HTML_LANG[lang];
    applyI18n(document);
  }
  for (const fn of listeners) fn(lang);
  return lang;
}
