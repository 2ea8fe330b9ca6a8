// The model-overview graph (web/graph.js): its boxes come from the core's architecture spec (a
// change of widths, packing or latent size changes them), its live values are the core's
// StepStats, and focusing a box lights up the view it feeds. Screenshots:
// build/test-artifacts/graph-{1280,360}.png.
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { encodeHash } from '../../web/state.js';
import { figuresOf, formatValue, graphModel, layersText, splitBands, statValue } from '../../web/graph.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'build/test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
let M;
const presetSettings = (name) => M.presets().find((p) => p.name === name).settings;
const arch = (settings) => JSON.parse(M.architecture(settings));
const node = (g, id) => g.nodes.find((n) => n.id === id);
// A box's words as the page writes them (catalog text of each detail line, or the layer text).
const catalog = JSON.parse(readFileSync(path.join(ROOT, 'web/i18n/en/graph.json'), 'utf8'));
const say = (key, params = {}) => catalog[key].replace(/\{(\w+)\}/g, (_, k) => String(params[k]));
const detail = (n) => n.detail.map((d) => d.text ?? say(d.key, d.params)).join(' ');
before(async () => { M = await loadGenlab(); });

test('the boxes of every preset have their words in English and Chinese; a conditional model shows y going into both networks', () => {
  const zh = JSON.parse(readFileSync(path.join(ROOT, 'web/i18n/zh/graph.json'), 'utf8'));
  for (const p of M.presets()) {
    for (const n of graphModel(arch(p.settings)).nodes) {
      assert.ok(catalog[n.title.key] && zh[n.title.key], `${p.name}: box ${n.id} has no title ${n.title.key}`);
      for (const d of n.detail) if (d.key) assert.ok(catalog[d.key] && zh[d.key], `${p.name}: ${d.key}`);
    }
  }
  for (const name of ['mnist-cvae', 'mnist-cgan']) {
    const g = graphModel(arch(presetSettings(name)));
    assert.equal(detail(node(g, 'y')), '10-dim');
    const into = g.edges.filter((e) => e.from === 'y').map((e) => e.to).sort();
    assert.deepEqual(into, name === 'mnist-cvae' ? ['dec', 'enc'] : ['D', 'G']);
  }
  // A packed conditional D: each of the m samples is 784 pixels + 10 classes.
  const packed = graphModel(arch({ ...presetSettings('mnist-cgan'), pack: '2' }));
  assert.match(detail(node(packed, 'D')), /packs 2: 2 × 794 = 1588 inputs$/);
});

test('the GAN graph is its architecture: widths, packing and noise size show in it', () => {
  const base = presetSettings('ring8-gan');
  const g = graphModel(arch(base));
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['D', 'G', 'd_fake', 'd_loss', 'd_real', 'g_loss', 'x', 'x_fake', 'z']);
  assert.deepEqual(g.edges.map((e) => `${e.from}>${e.to}`).sort(),
    ['D>d_fake', 'D>d_real', 'G>x_fake', 'd_fake>d_loss', 'd_fake>g_loss', 'd_real>d_loss', 'x>D', 'x_fake>D', 'z>G']);
  assert.equal(detail(node(g, 'G')), '8 → 128 relu → 128 relu → 2');
  assert.equal(base.pack, '4');
  assert.match(detail(node(g, 'D')), /^8 → 128 leaky_relu → 128 leaky_relu → 1 packs 4: 4 × 2 = 8 inputs$/, 'D sees pack × 2 inputs');
  assert.equal(detail(node(g, 'z')), '8-dim noise');
  // Other widths, packing and noise size: the same boxes, other words.
  const wider = graphModel(arch({ ...base, g_hidden: '32,64,16', d_hidden: '48', pack: '2', noise: '5' }));
  assert.equal(detail(node(wider, 'G')), '5 → 32 relu → 64 relu → 16 relu → 2');
  assert.equal(detail(node(wider, 'D')), '4 → 48 leaky_relu → 1 packs 2: 2 × 2 = 4 inputs');
  assert.equal(detail(node(wider, 'z')), '5-dim noise');
  const unpacked = graphModel(arch({ ...base, pack: '1' }));
  assert.equal(detail(node(unpacked, 'D')), '2 → 128 leaky_relu → 128 leaky_relu → 1', 'no packing line when pack = 1');
  // The live values each box carries and where the gradient norms go (the arrows into G and D).
  assert.deepEqual(g.nodes.flatMap((n) => n.stats.map((s) => s.field)).sort(), ['dFake', 'dLoss', 'dReal', 'gLoss']);
  assert.deepEqual(g.edges.filter((e) => e.label).map((e) => `${e.to}:${e.label.field}`).sort(), ['D:dGrad', 'G:gGrad']);
});

test('the VAE graph: encoder, μ and log σ², z = μ + σ ⊙ ε, decoder, the two terms and their sum', () => {
  const vae = arch(presetSettings('seed-vae'));
  const g = graphModel(vae);
  assert.equal(detail(node(g, 'enc')), '100 → 16 relu → 4');
  assert.equal(detail(node(g, 'dec')), '2 → 16 relu → 100');
  assert.equal(detail(node(g, 'mu')), '2-dim');
  assert.equal(detail(node(g, 'logvar')), '2-dim');
  assert.equal(detail(node(g, 'eps')), '2-dim, from the prior');
  assert.equal(node(g, 'z').role, 'z_op');
  assert.deepEqual(node(g, 'z').inputs.sort(), ['eps', 'logvar', 'mu']);
  assert.deepEqual(node(g, 'loss').inputs, ['recon', 'kl']);
  assert.deepEqual(g.nodes.flatMap((n) => n.stats.map((s) => s.field)).sort(), ['betaKl', 'kl', 'loss', 'recon']);
  assert.deepEqual(g.edges.filter((e) => e.label).map((e) => `${e.to}:${e.label.field}`).sort(), ['dec:decGrad', 'enc:encGrad']);
  assert.equal(node(g, 'loss').title.key, 'graph.node.loss', 'β = 1: the loss is −ELBO');
  assert.deepEqual(node(graphModel(vae, { beta: 4 }), 'loss').title, { key: 'graph.node.loss_beta', params: { beta: 4 } });
  // Latent size and widths come from the settings.
  const other = graphModel(arch({ ...presetSettings('seed-vae'), latent: '5', enc_hidden: '24,12', dec_hidden: '7' }));
  assert.equal(detail(node(other, 'enc')), '100 → 24 relu → 12 relu → 10', 'the encoder outputs μ and log σ²: 2 × 5');
  assert.equal(detail(node(other, 'mu')), '5-dim');
  assert.equal(detail(node(other, 'eps')), '5-dim, from the prior');
  assert.equal(detail(node(other, 'dec')), '5 → 7 relu → 100');
  assert.equal(layersText(arch({ ...presetSettings('seed-vae'), latent: '5' }).nets[1]), '5 → 16 relu → 100');
});

test('the VAE-GAN graph: the decoder fed by z and z_p, D judging x, x̃ and x_p, its features and the three losses; words in both languages', () => {
  const zh = JSON.parse(readFileSync(path.join(ROOT, 'web/i18n/zh/graph.json'), 'utf8'));
  for (const columns of [2, 4, 8]) {
    const g = graphModel(arch({ model: 'vaegan', dataset: 'ring8', d_hidden: '32,16', feature_layer: '2' }), { columns });
    for (const n of g.nodes) {
      assert.ok(catalog[n.title.key] && zh[n.title.key], `box ${n.id} has no title ${n.title.key}`);
      for (const d of n.detail) if (d.key) assert.ok(catalog[d.key] && zh[d.key], d.key);
      for (const st of n.stats) assert.ok(catalog[st.key] && zh[st.key], st.key);
      for (const m of g.nodes) {
        const apart = m === n || n.x + n.w <= m.x || m.x + m.w <= n.x || n.y + n.h <= m.y || m.y + m.h <= n.y;
        assert.ok(apart, `${columns} columns: ${n.id} overlaps ${m.id}`);
      }
    }
    assert.deepEqual(node(g, 'dec').inputs.sort(), ['z', 'z_p']);
    assert.deepEqual(node(g, 'D').inputs.sort(), ['x', 'x_p', 'x_tilde']);
    assert.equal(detail(node(g, 'features')), '16-dim', "D's second hidden layer");
    assert.equal(detail(node(g, 'D')), '2 → 32 leaky_relu → 16 leaky_relu → 1');
    assert.deepEqual(node(g, 'enc_loss').inputs, ['llike', 'kl']);
    assert.deepEqual(g.nodes.flatMap((n) => n.stats.map((s) => s.field)).sort(),
      ['betaKl', 'dFake', 'dLoss', 'dReal', 'gLoss', 'kl', 'loss', 'recon']);
    assert.deepEqual(g.edges.filter((e) => e.label).map((e) => `${e.to}:${e.label.field}`).sort(), ['D:dGrad', 'dec:decGrad', 'enc:encGrad']);
  }
});

test('every preset gives a graph: unique ids, arrows between its boxes, boxes inside the picture, no overlap', () => {
  for (const p of M.presets()) {
    for (const columns of [2, 3, 4, 8]) {
      const g = graphModel(arch(p.settings), { columns });
      const ids = g.nodes.map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length, `${p.name}: unique ids`);
      assert.ok(ids.length >= 9, `${p.name}: ${ids.length} boxes`);
      for (const e of g.edges) assert.ok(ids.includes(e.from) && ids.includes(e.to), `${p.name}: ${e.from} → ${e.to}`);
      for (const n of g.nodes) {
        assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.w <= g.width && n.y + n.h <= g.height, `${p.name}/${columns}: ${n.id} inside`);
        for (const m of g.nodes) {
          if (m === n) continue;
          const apart = n.x + n.w <= m.x || m.x + m.w <= n.x || n.y + n.h <= m.y || m.y + m.h <= n.y;
          assert.ok(apart, `${p.name}/${columns}: ${n.id} overlaps ${m.id}`);
        }
      }
      assert.ok(g.columns <= columns && g.width <= 16 + (columns - 1) * 140 + 112, `${p.name}: ${g.width} wide for ${columns} columns`);
    }
  }
});

test('narrow panels: columns wrap into bands cut where the fewest arrows cross', () => {
  assert.deepEqual(splitBands(6, 4, [[0, 1], [1, 2], [2, 3], [2, 3], [3, 4], [3, 4], [4, 5]]), [0, 0, 1, 1, 1, 1]);
  assert.deepEqual(splitBands(4, 4, [[0, 1]]), [0, 0, 0, 0]);
  assert.deepEqual(splitBands(5, 2, []), [0, 0, 1, 1, 2]);
  const gan = graphModel(arch(presetSettings('ring8-gan')), { columns: 4 });
  assert.equal(gan.bands, 2);
  assert.deepEqual([node(gan, 'z').band, node(gan, 'G').band, node(gan, 'D').band], [0, 0, 1], 'the cut is after G: one arrow crosses');
  const vae = graphModel(arch(presetSettings('seed-vae')), { columns: 5 });
  assert.equal(vae.bands, 2);
  assert.equal(node(vae, 'z').band, node(vae, 'mu').band, 'μ, log σ², ε and z stay together');
  assert.equal(graphModel(arch(presetSettings('seed-vae')), { columns: 8 }).bands, 1);
});

test('boxes light up the figures the run offers; numbers are formatted, β·KL is derived', () => {
  assert.deepEqual(figuresOf('D', 'net', ['data', 'field', 'arrows', 'warp']), ['fig-data']);
  assert.deepEqual(figuresOf('D', 'net', ['samples', 'real']), ['fig-real']);
  assert.deepEqual(figuresOf('G', 'net', ['samples', 'real']), ['fig-samples']);
  assert.deepEqual(figuresOf('z', 'op', ['samples', 'recon', 'latent', 'manifold', 'interp']), ['fig-latent']);
  assert.deepEqual(figuresOf('dec', 'net', ['samples', 'recon', 'latent', 'manifold', 'interp']), ['fig-samples', 'fig-manifold']);
  assert.deepEqual(figuresOf('recon', 'loss', ['samples', 'recon', 'latent', 'manifold', 'interp']), ['fig-recon']);
  assert.deepEqual(figuresOf('recon', 'loss', ['data', 'recon_links', 'latent']), ['fig-data']);
  assert.equal(formatValue(undefined), '–');
  assert.equal(formatValue(Number.NaN), '–');
  assert.equal(formatValue(0.51234), '0.512');
  assert.equal(statValue({ beta: 0.5, kl: 3 }, 'betaKl'), 1.5);
  assert.equal(statValue(null, 'dReal'), undefined);
});

// ---------- in the page ----------

let b;
after(async () => { await b?.close(); });

const shown = (page) => page.evaluate(() => window.__genlab.graphStats());
const coreStats = (page) => page.evaluate(async () => (await import('./bus.js')).commands.state().stats);

test('in the page: values equal the core\'s StepStats, D\'s widths follow the form, focus lights the view', async () => {
  b = await openBrowser({ csp: STRICT_CSP });
  const page = b.page;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b.url}index.html${encodeHash({ settings: presetSettings('ring8-gan') }, M.schema())}&lang=en`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
  await page.locator('#graph-panel svg [data-node="D"]').waitFor();
  // Before the first step: dashes, no numbers.
  const before0 = await shown(page);
  assert.deepEqual(Object.keys(before0).sort(), ['dFake', 'dGrad', 'dLoss', 'dReal', 'gGrad', 'gLoss']);
  assert.ok(Object.values(before0).every((v) => v === null), JSON.stringify(before0));
  assert.match(await page.locator('#graph [data-stat="dReal"]').textContent(), /–/);
  assert.match(await page.locator('[data-node="D"]').getAttribute('aria-label'), /8 → 128 leaky_relu → 128 leaky_relu → 1/);

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.step >= 200, null, { timeout: 30000 });
  // While training, the numbers move with the run (at most 4 writes a second).
  const mid = await shown(page);
  assert.ok(Number.isFinite(mid.dReal), 'numbers while training');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.playing === false);
  await page.waitForTimeout(800);   // the last frame, then the graph's throttle
  const core = await coreStats(page);
  const graph = await shown(page);
  assert.ok(core.steps >= 200 || core.totalSteps >= 200 || (await page.evaluate(() => window.__genlab.step)) >= 200);
  for (const k of ['dReal', 'dFake', 'dLoss', 'gLoss', 'gGrad', 'dGrad']) {
    assert.ok(Number.isFinite(core[k]), `${k} from the core: ${core[k]}`);
    assert.equal(graph[k], core[k], `${k}: graph ${graph[k]}, core ${core[k]}`);
  }
  assert.notDeepEqual(mid, graph, 'the graph\'s numbers changed between mid-run and the pause');
  // The element's own attribute, as written: the same number.
  assert.equal(Number(await page.locator('#graph [data-stat="dReal"]').getAttribute('data-value')), core.dReal);
  assert.match(await page.locator('#graph [data-stat="dReal"]').textContent(), new RegExp(`mean ${core.dReal.toFixed(3)}`));
  // A single step more: the graph follows (after its throttle).
  // The step drawn before the click (read after it, a quick frame could already show the new step).
  const stepBefore = await page.evaluate(() => window.__genlab.step);
  await page.getByRole('button', { name: /^Step/ }).first().click();
  await page.waitForFunction((s) => window.__genlab.step > s, stepBefore);
  await page.waitForTimeout(600);
  const core2 = await coreStats(page);
  assert.notEqual(core2.dLoss, core.dLoss);
  assert.equal((await shown(page)).dLoss, core2.dLoss, 'the graph shows the newest step');

  await page.screenshot({ path: path.join(ARTIFACTS, 'graph-1280.png') });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways overflow at 1280 px');

  // Focus (keyboard) and tap light up the view the box feeds; the view lights up its boxes.
  await page.locator('[data-node="D"]').focus();
  assert.ok(await page.locator('#fig-data').evaluate((f) => f.classList.contains('graph-linked')), 'focusing D lights up the data view');
  await page.locator('[data-node="D"]').blur();
  assert.ok(!(await page.locator('#fig-data').evaluate((f) => f.classList.contains('graph-linked'))), 'blur unlights it');
  await page.locator('[data-node="G"]').click();
  assert.ok(await page.locator('#fig-data').evaluate((f) => f.classList.contains('graph-linked')), 'tapping G lights up the data view');
  await page.locator('#fig-data').hover();
  assert.ok(await page.locator('[data-node="D"]').evaluate((g) => g.classList.contains('graph-lit')), 'hovering the data view lights up D');
  assert.equal(await page.locator('[data-node="D"]').getAttribute('tabindex'), '0');
  assert.match(await page.locator('[data-node="D"]').getAttribute('aria-label'), /^D \(discriminator\)\. .*Shown in: Data space\.$/);

  // Another width for D in the form: a new run, a new D box.
  await page.locator('#set-d_hidden').fill('64,32');
  await page.locator('#set-d_hidden').press('Enter');
  await page.waitForFunction(() => /^8 → 64 leaky_relu → 32 leaky_relu → 1/.test(
    [...document.querySelectorAll('[data-node="D"] .graph-detail')].map((e) => e.textContent).join(' ')), null, { timeout: 20000 });
  assert.ok(Object.values(await shown(page)).every((v) => v === null), 'a new run starts with dashes');

  // Chinese: the graph's words follow the language.
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => /判别器/.test(document.querySelector('[data-node="D"]')?.textContent ?? ''));
  assert.match(await page.locator('#graph-h').textContent(), /模型结构图/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'graph-1280-zh.png') });
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => /discriminator/.test(document.querySelector('[data-node="D"]')?.textContent ?? ''));

  // 360 px: the graph wraps into bands, nothing overflows sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForFunction(() => {
    const svg = document.querySelector('#graph svg');
    return svg && svg.getBoundingClientRect().right <= window.innerWidth;
  });
  await page.waitForTimeout(300);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways overflow at 360 px');
  const box = await page.locator('#graph svg').evaluate((s) => {
    const r = s.getBoundingClientRect();
    const vb = /** @type {SVGSVGElement} */ (s).viewBox.baseVal;
    return { scale: r.width / vb.width, right: r.right };
  });
  assert.ok(box.scale > 0.85, `text stays legible at 360 px (scale ${box.scale})`);
  await page.locator('#graph-panel').screenshot({ path: path.join(ARTIFACTS, 'graph-360.png') });
  assert.deepEqual(b.errors, []);
});

test('in the page: a VAE shows recon, KL, β·KL and −ELBO as the core computes them', async () => {
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b.url}index.html${encodeHash({ settings: { ...presetSettings('ring8-vae'), beta: '0.5' } }, M.schema())}&lang=en`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
  await page.locator('#graph-panel svg [data-node="enc"]').waitFor();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.step >= 100, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.playing === false);
  await page.waitForTimeout(800);
  const core = await coreStats(page);
  const graph = await shown(page);
  for (const k of ['recon', 'kl', 'loss', 'encGrad', 'decGrad']) assert.equal(graph[k], core[k], `${k}: graph ${graph[k]}, core ${core[k]}`);
  assert.equal(graph.betaKl, core.beta * core.kl);
  assert.ok(Math.abs(core.loss - (core.recon + graph.betaKl)) <= 1e-4 * Math.max(1, Math.abs(core.loss)), 'loss = recon + β·KL');
  assert.match(await page.locator('[data-node="loss"]').textContent(), /β = 0\.5/);
  await page.locator('#graph-panel').screenshot({ path: path.join(ARTIFACTS, 'graph-vae-1280.png') });
  await page.locator('[data-node="z"]').focus();
  assert.ok(await page.locator('#fig-latent').evaluate((f) => f.classList.contains('graph-linked')), 'z lights up the latent view');
  await page.close();
  assert.deepEqual(b.errors, []);
});
