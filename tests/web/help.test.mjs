// Every view, metric and setting explained where it is (issue 13 item 3): the teach catalogs
// hold a text for every setting key, preset, metric and view in both languages; in the page,
// keyboard only, every view's "?" is reached with Tab, opens with Enter (or Space), its
// explanation is read and linked with aria-describedby, and Escape closes it — for a 2-D GAN
// and an image VAE, in English and in Chinese. Every setting field and metric row has its help;
// a chosen preset's description shows under the pickers. Screenshots: build/test-artifacts/help-*.png.
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { readCatalog } from './i18n_node.mjs';
import { encodeHash } from '../../web/state.js';
import { METRICS } from '../../web/format.js';
import { DATA_PARTS, VIEW_IDS } from '../../web/help.js';

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const TEACH = { en: readCatalog('en', 'teach'), zh: readCatalog('zh', 'teach') };
// Metric keys that are bookkeeping, not shown as rows (format.js metricRows).
const NOT_ROWS = new Set(['steps', 'epoch', 'modes_total', 'test_examples', 'iwae_k']);

let M;
let b;
const links = {};
before(async () => {
  M = await loadGenlab();
  for (const name of ['ring8-gan', 'pytorch-vae-z2', 'grid25-gan']) {
    const p = M.presets().find((q) => q.name === name);
    assert.ok(p, `the module has a ${name} preset`);
    links[name] = encodeHash({ settings: p.settings }, M.schema());
  }
  b = await openBrowser({ csp: STRICT_CSP });
});
after(async () => { await b?.close(); });

test('the teach catalogs explain every setting, preset, metric and view, in both languages', () => {
  const need = new Set(['help.mark', 'help.button', 'help.chart', 'help.readout', 'help.topic.readout']);
  for (const f of M.schema()) need.add(`help.setting.${f.key}`);
  for (const p of M.presets()) need.add(`preset.${p.name}.desc`);
  for (const m of METRICS) need.add(`help.metric.${m.key}`);
  // The metric names the core reports (2-D GAN and VAE, with the importance-weighted bound).
  const s = new M.Session();
  try {
    for (const settings of [{ model: 'gan' }, { model: 'vae' }]) {
      s.configure(settings);
      s.train(3);
      for (const k of Object.keys(s.evaluate(4))) if (!NOT_ROWS.has(k)) need.add(`help.metric.${k}`);
    }
  } finally {
    s.delete();
  }
  for (const id of VIEW_IDS) need.add(`help.view.${id}`);
  const parts = new Map(DATA_PARTS);
  for (const k of M.modelKinds()) {
    need.add(`help.view.data.${k.name}`);
    need.add(`help.view.samples.${k.name}`);
    need.add(`help.chart.${k.name}`);
    for (const v of [...k.views2d, ...k.viewsImage]) {
      if (VIEW_IDS.includes(v)) continue;
      assert.ok(parts.has(v), `view ${v} of ${k.name} is explained in the data view`);
      need.add(parts.get(v));
    }
  }
  need.add('help.view.data.field_score');
  for (const lang of ['en', 'zh']) {
    const missing = [...need].filter((k) => typeof TEACH[lang][k] !== 'string' || TEACH[lang][k].trim() === '');
    assert.deepEqual(missing, [], `${lang}: teach keys missing`);
  }
  assert.deepEqual(Object.keys(TEACH.zh).sort(), Object.keys(TEACH.en).sort(), 'the same keys in both languages');
  const han = Object.values(TEACH.zh).filter((v) => /[\u4e00-\u9fff]/.test(v)).length;
  assert.ok(han / Object.keys(TEACH.zh).length > 0.9, `only ${han} zh teach strings are Chinese`);
  // The Chinese texts use teaching.md's terms.
  const zh = Object.values(TEACH.zh).join('\n');
  for (const term of ['证据下界', '重构项', 'KL 散度', '重参数化技巧', '先验', '近似后验', '重要性加权下界', '后验坍塌',
    '极小极大博弈', '最优判别器', '纳什均衡', '非饱和损失', '梯度消失', '模式崩溃', '打包判别', '铰链损失', '最小二乘']) {
    assert.ok(zh.includes(term), `zh uses the term ${term}`);
  }
});

// A fresh tab at `hash`, waiting until the page has drawn and its help buttons exist.
async function open(hash, { width = 1280, height = 900 } = {}) {
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.setViewportSize({ width, height });
  await page.goto(`${b.url}index.html${hash}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('.teach-btn[data-help^=view-]'), null, { timeout: 15000 });
  return page;
}

// What the focused element is: a help button's id and state, else its tag.
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  if (!a || !a.matches('.teach-btn')) return { help: null, tag: a?.tagName ?? null };
  const tipId = a.getAttribute('aria-controls');
  return { help: a.dataset.help, expanded: a.getAttribute('aria-expanded'), tipId, label: a.getAttribute('aria-label') };
});
// The explanation `tipId`: visible, its text, and who names it in aria-describedby.
const tipState = (page, tipId) => page.evaluate((id) => {
  const tip = document.getElementById(id);
  const r = tip.getBoundingClientRect();
  const by = [...document.querySelectorAll('[aria-describedby]')]
    .filter((n) => n.getAttribute('aria-describedby').split(/\s+/).includes(id) && !n.matches('.teach-btn'))
    .map((n) => n.id || n.tagName);
  return { hidden: tip.hidden, visible: !tip.hidden && r.width > 0 && r.height > 0, text: tip.innerText.trim(), role: tip.getAttribute('role'),
    by, inViewport: r.left >= 0 && r.right <= document.documentElement.clientWidth + 1 };
}, tipId);

const checkText = (text, lang, what) => {
  assert.ok(text.length > (lang === 'zh' ? 12 : 20), `${what}: the explanation has text`);
  assert.ok(!text.includes('⟦'), `${what}: no missing key in ${JSON.stringify(text.slice(0, 80))}`);
  if (lang === 'zh') assert.match(text, /[\u4e00-\u9fff]/, `${what}: Chinese text`);
};

// Tabs from the top of the page through every control; each view's help is opened with Enter
// (the first one also with Space), read, and closed with Escape.
async function walkViews(page, lang, label) {
  const views = await page.evaluate(() => [...document.querySelectorAll('#views figure.view:not([hidden])')].map((f) => f.id.slice(4)));
  assert.ok(views.length >= 1, `${label}: views shown`);
  const want = new Set(views.map((v) => `view-${v}`));
  const seen = new Set();
  await page.evaluate(() => { document.activeElement?.blur?.(); window.scrollTo(0, 0); });
  await page.locator('body').focus();
  let usedSpace = false;
  for (let i = 0; i < 600 && seen.size < want.size; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f.help || !want.has(f.help) || seen.has(f.help)) continue;
    seen.add(f.help);
    assert.equal(f.expanded, 'false', `${f.help}: closed until asked`);
    // The name is the help's word and the view's title (the ui catalog's, in English complete).
    assert.ok(f.label && !f.label.includes(lang === 'en' ? '⟦' : '⟦help.'), `${f.help}: the button has a name (${f.label})`);
    await page.keyboard.press(usedSpace ? 'Enter' : 'Space');
    usedSpace = true;
    const open = await focused(page);
    assert.equal(open.help, f.help, `${f.help}: focus stays on the button`);
    assert.equal(open.expanded, 'true', `${f.help}: aria-expanded after Enter/Space`);
    const tip = await tipState(page, f.tipId);
    assert.ok(tip.visible, `${f.help}: the explanation is shown`);
    assert.ok(tip.inViewport, `${f.help}: the explanation fits the viewport`);
    assert.equal(tip.role, 'tooltip');
    checkText(tip.text, lang, `${label} ${f.help}`);
    assert.ok(tip.by.includes(`cv-${f.help.slice(5)}`), `${f.help}: the figure's canvas names the explanation in aria-describedby (${tip.by})`);
    if (seen.size === 1) await page.screenshot({ path: path.join(ARTIFACTS, `help-${label}.png`) });
    await page.keyboard.press('Escape');
    const closed = await focused(page);
    assert.equal(closed.expanded, 'false', `${f.help}: Escape closes`);
    assert.equal(closed.help, f.help, `${f.help}: focus back on the button after Escape`);
    assert.equal((await tipState(page, f.tipId)).hidden, true, `${f.help}: hidden after Escape`);
  }
  assert.deepEqual([...seen].sort(), [...want].sort(), `${label}: every view's help reached with Tab`);
}

// Plays until `steps` steps have passed, then pauses, and waits for the metrics.
async function train(page, steps) {
  await page.evaluate(async () => (await import('./bus.js')).commands.play());
  await page.waitForFunction((s) => window.__genlab.step >= s, steps, { timeout: 60000 });
  await page.evaluate(async () => (await import('./bus.js')).commands.pause());
  await page.waitForFunction(() => window.__genlab.playing === false);
  await page.waitForFunction(() => document.querySelector('#metrics div[data-metric] .teach-btn'), null, { timeout: 60000 });
}

// Every visible setting and every metric row: a help whose explanation has text and is named
// by the control (settings) or the value (metrics) in aria-describedby.
async function checkFieldsAndMetrics(page, lang, label) {
  const rows = await page.evaluate(() => {
    const out = [];
    const visible = (n) => n.getClientRects().length > 0;
    for (const wrap of document.querySelectorAll('.field[data-key]')) {
      if (!visible(wrap)) continue;
      const key = wrap.dataset.key;
      const btn = wrap.querySelector('.teach-btn');
      const input = document.getElementById(`set-${key}`);
      const tip = btn && document.getElementById(btn.getAttribute('aria-controls'));
      out.push({ what: `setting ${key}`, btn: Boolean(btn && visible(btn)), text: tip?.textContent ?? '',
        linked: Boolean(tip && input?.getAttribute('aria-describedby')?.split(/\s+/).includes(tip.id)) });
    }
    for (const row of document.querySelectorAll('#metrics div[data-metric]')) {
      const btn = row.querySelector('.teach-btn');
      const tip = btn && document.getElementById(btn.getAttribute('aria-controls'));
      out.push({ what: `metric ${row.dataset.metric}`, btn: Boolean(btn && visible(btn)), text: tip?.textContent ?? '',
        linked: Boolean(tip && row.querySelector('dd')?.getAttribute('aria-describedby')?.split(/\s+/).includes(tip.id)) });
    }
    for (const id of ['chart', 'readout']) {
      const btn = document.querySelector(`.teach-btn[data-help=${id}]`);
      const tip = btn && document.getElementById(btn.getAttribute('aria-controls'));
      const target = id === 'chart' ? document.getElementById('cv-chart') : document.querySelector('.toolbar .readout');
      out.push({ what: id, btn: Boolean(btn && visible(btn)), text: tip?.textContent ?? '',
        linked: Boolean(tip && target?.getAttribute('aria-describedby')?.split(/\s+/).includes(tip.id)) });
    }
    return out;
  });
  assert.ok(rows.filter((r) => r.what.startsWith('setting')).length >= 15, `${label}: settings seen`);
  assert.ok(rows.filter((r) => r.what.startsWith('metric')).length >= 3, `${label}: metric rows seen`);
  for (const r of rows) {
    assert.ok(r.btn, `${label} ${r.what}: a visible help button`);
    checkText(r.text, lang, `${label} ${r.what}`);
    assert.ok(r.linked, `${label} ${r.what}: linked with aria-describedby`);
  }
}

for (const lang of ['en', 'zh']) {
  test(`${lang}: 2-D GAN — keyboard reaches and reads every view's help; settings and metrics explained`, async () => {
    const e0 = b.errors.length;
    const page = await open(`${links['ring8-gan']}&lang=${lang}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    await walkViews(page, lang, `gan2d-${lang}`);
    await train(page, 60);
    await checkFieldsAndMetrics(page, lang, `gan2d-${lang}`);
    // A metric's help opened with the keyboard survives the metric rows being rebuilt.
    const hq = page.locator('#metrics [data-metric=hq] .teach-btn');
    await hq.focus();
    await page.keyboard.press('Enter');
    const tipId = await hq.getAttribute('aria-controls');
    checkText((await tipState(page, tipId)).text, lang, 'hq');
    // The next evaluation writes its numbers into the same rows: the row, its button and the open
    // help stay where they were.
    const note = await page.locator('#metrics-note').textContent();
    await page.evaluate(() => { /** @type {any} */ (document.querySelector('#metrics [data-metric=hq]')).__kept = true; });
    await page.evaluate(async () => (await import('./bus.js')).commands.play());
    await page.waitForFunction((n) => document.getElementById('metrics-note').textContent !== n, note, { timeout: 60000 });
    await page.evaluate(async () => (await import('./bus.js')).commands.pause());
    assert.equal(await page.evaluate(() => /** @type {any} */ (document.querySelector('#metrics [data-metric=hq]')).__kept), true,
      'the hq row was written in place, not built again');
    assert.equal((await tipState(page, tipId)).hidden, false, 'the open help stays open over the next evaluation');
    assert.equal(await page.evaluate((id) => document.activeElement?.getAttribute('aria-controls') === id, tipId), true, 'the focus stays on its button');
    assert.deepEqual(b.errors.slice(e0), [], 'no console errors');
    await page.close();
  });

  test(`${lang}: image VAE — keyboard reaches and reads every view's help`, async () => {
    const e0 = b.errors.length;
    const page = await open(`${links['pytorch-vae-z2']}&lang=${lang}`);
    await walkViews(page, lang, `vae-image-${lang}`);
    assert.deepEqual(b.errors.slice(e0), [], 'no console errors');
    await page.close();
  });
}

test('hover opens, leaving closes; a click pins it and a click elsewhere closes it', async () => {
  const e0 = b.errors.length;
  const page = await open(links['ring8-gan']);
  const btn = page.locator('.teach-btn[data-help=setting-pack]');
  const tipId = await btn.getAttribute('aria-controls');
  await btn.scrollIntoViewIfNeeded();
  await btn.hover();
  await page.waitForFunction((id) => !document.getElementById(id).hidden, tipId, { timeout: 3000 });
  await page.mouse.move(2, 2);
  await page.waitForFunction((id) => document.getElementById(id).hidden, tipId, { timeout: 3000 });
  await btn.click();
  assert.equal(await btn.getAttribute('aria-expanded'), 'true');
  await page.mouse.move(2, 2);
  await page.waitForTimeout(500);
  assert.equal((await tipState(page, tipId)).visible, true, 'a clicked explanation stays when the mouse leaves');
  await page.mouse.click(640, 10);
  assert.equal((await tipState(page, tipId)).hidden, true, 'a click elsewhere closes it');
  // At 360 px the explanation stays inside the screen.
  await page.setViewportSize({ width: 360, height: 800 });
  const dataBtn = page.locator('.teach-btn[data-help=view-data]');
  await dataBtn.scrollIntoViewIfNeeded();
  await dataBtn.click();
  const tip = await tipState(page, await dataBtn.getAttribute('aria-controls'));
  assert.ok(tip.visible && tip.inViewport, 'fits a 360 px screen');
  await page.screenshot({ path: path.join(ARTIFACTS, 'help-360.png') });
  assert.deepEqual(b.errors.slice(e0), [], 'no console errors');
  await page.close();
});

for (const lang of ['en', 'zh']) {
  test(`${lang}: a chosen preset's description shows under the pickers; a language switch re-words the help`, async () => {
    const e0 = b.errors.length;
    const page = await open(`${links['ring8-gan']}&lang=${lang}`);
    const desc = page.locator('#preset-desc');
    await page.waitForFunction(() => !document.getElementById('preset-desc').hidden);
    assert.equal((await desc.innerText()).replace(/\s+/g, ' ').trim(), `ring8-gan ${TEACH[lang]['preset.ring8-gan.desc']}`);
    await page.selectOption('#preset', 'grid25-gan');
    await page.waitForFunction(() => window.__genlab.config?.dataset === 'grid25');
    await page.waitForFunction((text) => document.getElementById('preset-desc').innerText.includes(text),
      TEACH[lang]['preset.grid25-gan.desc'], { timeout: 5000 });
    assert.ok(await desc.isVisible());
    assert.equal(await page.evaluate(() => document.getElementById('preset').getAttribute('aria-describedby')), 'preset-desc');
    // Another language: the same help, re-worded.
    const other = lang === 'en' ? 'zh' : 'en';
    await page.evaluate(async (l) => (await import('./i18n.js')).setLanguage(l), other);
    const tipText = await page.evaluate(() => document.getElementById('teach-tip-setting-pack').textContent);
    assert.equal(tipText, TEACH[other]['help.setting.pack']);
    await page.waitForFunction((text) => document.getElementById('preset-desc').innerText.includes(text),
      TEACH[other]['preset.grid25-gan.desc'], { timeout: 5000 });
    assert.deepEqual(b.errors.slice(e0), [], 'no console errors');
    await page.close();
  });
}
