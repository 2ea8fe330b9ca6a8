// The page speaks English and Simplified Chinese from one message catalog per language
// (web/i18n/<lang>/<section>.json). These tests fail when a key is missing in either catalog,
// when placeholders differ between languages, when a key the code asks for is in no catalog,
// when a view sets user-visible text from a string literal, and when the Chinese page is not
// lang="zh", shows a missing key or overflows at 360 / 1280 px (screenshots in
// build/test-artifacts/i18n-*.png).
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { LANGS, normalize, pickLanguage } from '../../web/i18n.js';
import { METRICS } from '../../web/format.js';
import { SPEED_NAMES } from '../../web/protocol.js';
import { UI_HIDEABLE } from '../../web/state.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = path.join(ROOT, 'web');
const ARTIFACTS = path.join(ROOT, 'build/test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const sections = (lang) => readdirSync(path.join(WEB, 'i18n', lang)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
const catalog = (lang, section) => JSON.parse(readFileSync(path.join(WEB, 'i18n', lang, `${section}.json`), 'utf8'));
const all = (lang) => Object.assign({}, ...sections(lang).map((s) => catalog(lang, s)));
const placeholders = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// Every page script (the module glue genlab*.mjs is built, not ours).
function scripts(dir = WEB) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...scripts(p));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

test('both languages have the same sections, the same keys and the same placeholders', () => {
  assert.deepEqual(sections('zh'), sections('en'));
  assert.ok(sections('en').includes('ui'));
  for (const s of sections('en')) {
    const en = catalog('en', s);
    const zh = catalog('zh', s);
    const missingZh = Object.keys(en).filter((k) => !(k in zh));
    const missingEn = Object.keys(zh).filter((k) => !(k in en));
    assert.deepEqual(missingZh, [], `${s}: keys missing in zh`);
    assert.deepEqual(missingEn, [], `${s}: keys missing in en`);
    for (const k of Object.keys(en)) {
      assert.ok(typeof en[k] === 'string' && en[k].trim() !== '', `${s}: en ${k} is empty`);
      assert.ok(typeof zh[k] === 'string' && zh[k].trim() !== '', `${s}: zh ${k} is empty`);
      assert.deepEqual(placeholders(zh[k]), placeholders(en[k]), `${s}: placeholders of ${k}`);
    }
  }
});

test('the Chinese catalog is Chinese', () => {
  const zh = catalog('zh', 'ui');
  const han = Object.values(zh).filter((v) => /[\u4e00-\u9fff]/.test(v)).length;
  assert.ok(han / Object.keys(zh).length > 0.75, `only ${han} of ${Object.keys(zh).length} zh strings have Chinese characters`);
});

test('every key the code and the markup ask for is in both catalogs', async () => {
  const M = await loadGenlab();
  const en = all('en');
  const zh = all('zh');
  const need = new Set();
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) need.add(m[1]);
  for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1].split(';')) need.add(pair.split(':')[1]);
  for (const file of scripts()) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\b(?:t|setText\([^,]+,)\s*\(?\s*'([a-z][\w-]*\.[\w.-]+)'/g)) need.add(m[1]);
  }
  // Keys built from the core's tables and the page's own lists.
  for (const f of M.schema()) {
    need.add(`setting.${f.key}`);
    need.add(`setting.${f.key}.help`);
    if (f.type === 'enum' && f.key !== 'model' && f.key !== 'dataset') for (const c of f.choices) need.add(`choice.${f.key}.${c}`);
  }
  for (const d of M.datasets()) need.add(`dataset.${d.name}`);
  for (const k of M.modelKinds()) {
    need.add(`model.${k.name}`);
    for (const c of k.channels) need.add(`channel.${c}`);
  }
  for (const m of METRICS) need.add(`metric.${m.key}`);
  for (const s of SPEED_NAMES.filter(Boolean)) need.add(`speed.${s}`);
  for (const u of UI_HIDEABLE) need.add(`course.hide_ui.${u}`);
  for (const l of LANGS) need.add(`lang.${l}`);
  const missing = [...need].filter((k) => !(k in en) || !(k in zh));
  assert.deepEqual(missing, [], 'keys asked for but missing in a catalog');
  assert.ok(need.size > 300, `the check saw ${need.size} keys`);
});

const KEYS = new Set(Object.keys(all('en')));

// Calls whose argument a person reads; their argument must come from the catalog.
const SINKS = [
  /\.textContent\s*=\s*/g, /\.innerText\s*=\s*/g, /\.title\s*=\s*/g, /\.placeholder\s*=\s*/g, /\.ariaLabel\s*=\s*/g,
  /setAttribute\(\s*'(?:aria-label|title|placeholder|alt|aria-valuetext)'\s*,\s*/g,
  /\bnotices\.show\(\s*/g, /\bannounce\(\s*/g, /\bsay\(\s*/g, /\bnotify\(\s*/g, /\bfillText\(\s*/g, /\bnew Error\(\s*/g,
];
// The start of an expression that is (or begins with) a literal holding words.
function wordyLiteral(src, at) {
  const q = src[at];
  if (q !== "'" && q !== '"' && q !== '`') return null;
  let i = at + 1;
  let text = '';
  while (i < src.length && src[i] !== q) {
    if (src[i] === '\\') { i += 2; continue; }
    if (q === '`' && src[i] === '$' && src[i + 1] === '{') {   // skip ${…}
      let depth = 1;
      i += 2;
      while (i < src.length && depth) { if (src[i] === '{') depth++; else if (src[i] === '}') depth--; i++; }
      text += ' ';
      continue;
    }
    text += src[i++];
  }
  // A catalog key passed on (say('persist.offer')) is not text: it is looked up.
  if (q !== '`' && /^[a-z][\w-]*(\.[\w-]+)+$/.test(text) && KEYS.has(text)) return null;
  return /[A-Za-z]{2,}|[\u4e00-\u9fff]/.test(text) ? text : null;
}

test('no view sets user-visible text from a string literal', () => {
  const found = [];
  for (const file of scripts()) {
    const rel = path.relative(ROOT, file);
    const src = readFileSync(file, 'utf8');
    for (const re of SINKS) {
      for (const m of src.matchAll(re)) {
        const at = m.index + m[0].length;
        const lit = wordyLiteral(src, at);
        if (lit !== null) found.push(`${rel}:${src.slice(0, at).split('\n').length}: ${m[0].trim()} "${lit.slice(0, 50)}"`);
      }
    }
  }
  assert.deepEqual(found, [], 'user-visible literals (use t(key) and a catalog entry)');
});

test('the lint above does catch a literal (it can fail)', () => {
  const src = "el.textContent = 'Hello there'; b.setAttribute('aria-label', `Close ${x}`); say(t('ok'));";
  const hits = SINKS.flatMap((re) => [...src.matchAll(re)].map((m) => wordyLiteral(src, m.index + m[0].length)).filter((x) => x !== null));
  assert.deepEqual(hits, ['Hello there', 'Close  ']);
});

test('the markup has no text or label outside the catalog', () => {
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  const body = html.slice(html.indexOf('<body>'));
  const bad = [];
  // Text directly inside an element: it must be that element's data-i18n text.
  for (const m of body.matchAll(/<([a-z0-9]+)([^>]*)>([^<]*)/g)) {
    const [, , attrs, text] = m;
    if (text.trim() === 'GenLab') continue;   // the name, the same in every language
    if (/[A-Za-z]{2,}|[\u4e00-\u9fff]/.test(text) && !/data-i18n="/.test(attrs)) bad.push(`text "${text.trim().slice(0, 40)}"`);
  }
  for (const m of body.matchAll(/<[a-z0-9]+\s[^>]*>/g)) {
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      const v = new RegExp(`\\s${a}="([^"]*)"`).exec(m[0]);
      if (v && /[A-Za-z]{2,}/.test(v[1]) && !new RegExp(`data-i18n-attr="[^"]*${a}:`).test(m[0])) bad.push(`${a}="${v[1]}"`);
    }
  }
  assert.deepEqual(bad, []);
  assert.match(html, /<title data-i18n="page.title">/);
});

test('the language comes from the link, then the browser', () => {
  assert.equal(pickLanguage('#model=gan&lang=zh', ['en-US']), 'zh');
  assert.equal(pickLanguage('?lang=en', ['zh-CN']), 'en');
  assert.equal(pickLanguage('', ['zh-CN', 'en']), 'zh');
  assert.equal(pickLanguage('', ['fr-FR', 'zh-TW']), 'zh');
  assert.equal(pickLanguage('#lang=xx', ['fr']), 'en');
  assert.equal(normalize('ZH_cn'), 'zh');
});

// ---------- in the browser ----------

let b;
before(async () => { b = await openBrowser({ csp: STRICT_CSP }); });
after(async () => { await b?.close(); });

async function open(hash, width, height = 800) {
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.setViewportSize({ width, height });
  await page.goto(`${b.url}index.html${hash}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
  return page;
}
const pageText = (page) => page.evaluate(() => document.body.innerText);
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('lang=zh: a Chinese page, no missing words, no overflow at 360 and 1280 px; the switch goes back', async () => {
  const e0 = b.errors.length;
  for (const width of [1280, 360]) {
    for (const lang of ['en', 'zh']) {
      const page = await open(`#model=gan&lang=${lang}`, width);
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      const text = await pageText(page);
      assert.doesNotMatch(text, /⟦/, `${lang} ${width}: a missing key shows`);
      if (lang === 'zh') {
        assert.match(text, /判别器|生成器/, 'Chinese words on the page');
        assert.match(await page.title(), /[\u4e00-\u9fff]/, 'a Chinese title');
        assert.equal(await page.locator('#set-batch').getAttribute('aria-describedby') !== null, true);
        assert.match(await page.locator('label[for=set-batch]').textContent(), /[\u4e00-\u9fff]/);
      } else {
        assert.match(await page.locator('label[for=set-batch]').textContent(), /^Batch size$/);
      }
      assert.ok(await overflow(page) <= 0, `${lang} ${width}: the page overflows sideways by ${await overflow(page)} px`);
      await page.screenshot({ path: path.join(ARTIFACTS, `i18n-${lang}-${width}.png`), fullPage: width === 360 });
      await page.close();
    }
  }
  // The switch: Chinese → English without a reload, the link keeps the choice.
  const page = await open('#model=gan&lang=zh', 1280);
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.locator('label[for=set-batch]').textContent(), 'Batch size');
  assert.equal(await page.locator('#reset').textContent(), 'Reset');
  await page.waitForFunction(() => /lang=en/.test(location.hash));
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh');
  assert.match(await page.locator('#reset').textContent(), /[\u4e00-\u9fff]/);
  assert.doesNotMatch(await pageText(page), /⟦/);
  await page.close();
  assert.deepEqual(b.errors.slice(e0), [], 'no console errors');
});

test('a setting error from the core is worded in Chinese from its key', async () => {
  const page = await open('#model=gan&lang=zh', 1280);
  await page.locator('#set-batch').fill('0');
  await page.locator('#set-batch').press('Enter');
  await page.locator('#err-batch').waitFor({ state: 'visible' });
  const err = await page.locator('#err-batch').textContent();
  assert.match(err, /[\u4e00-\u9fff]/, `a Chinese message: ${err}`);
  assert.match(err, /\[1, 4096\]/);
  await page.close();
});
