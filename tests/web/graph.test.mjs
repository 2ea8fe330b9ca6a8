// The model-overview graph: its nodes come from the core's architecture spec (a change of widths
// or packing changes them), its live values are the core's StepStats, and focusing a node lights
// up the view it feeds. Screenshots: build/test-artifacts/graph-{1280,360}.png.
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { encodeHash } from '../../web/state.js';
import { graphModel, viewOf } from '../../web/model_graph.js';

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
let M;
const presetSettings = (name) => M.presets().find((p) => p.name === name).settings;
const arch = (settings) => JSON.parse(M.architecture(settings));
before(async () => { M = await loadGenlab(); });

test('the graph is the architecture: widths, packing and latent size show in it', () => {
  const base = presetSettings('ring8-gan');
  const g = graphModel(arch(base));
  const node = (m, id) => m.nodes.find((n) => n.id === id);
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['D', 'G', 'd_fake', 'd_loss', 'd_real', 'g_loss', 'x', 'x_fake', 'z']);
  assert.equal(node(g, 'G').detail, '8 → 128 relu → 128 relu → 2');
  assert.match(node(g, 'D').detail, /^2 × 2 = 4 → 128 leaky_relu/, 'D sees pack × 2 inputs');
  const wider = graphModel(arch({ ...base, g_hidden: '32,64,16', pack: '4', noise: '5' }));
  assert.equal(node(wider, 'G').detail, '5 → 32 relu → 64 relu → 16 relu → 2');
  assert.match(node(wider, 'D').detail, /^4 × 2 = 8 → /);
  assert.equal(node(wider, 'z').detail, '5');
  const unpacked = graphModel(arch({ ...base, pack: '1' }));
  assert.match(node(unpacked, 'D').detail, /^2 → 128/);
  const vae = graphModel(arch(presetSettings('seed-vae')));
  assert.equal(node(vae, 'enc').detail, '100 → 16 relu → 4');
  assert.equal(node(vae, 'mu').detail, '2');
  assert.equal(node(vae, 'z').kind, 'op');
  assert.deepEqual(node(vae, 'loss').inputs, ['recon', 'kl']);
  // Every preset: no throw, unique ids, every edge between known nodes, nodes inside the box.
  for (const p of M.presets()) {
    const m = graphModel(arch(p.settings));
    const ids = m.nodes.map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length, p.name);
    for (const e of m.edges) assert.ok(ids.includes(e.from) && ids.includes(e.to), `${p.name}: ${e.from} → ${e.to}`);
    for (const n of m.nodes) assert.ok(n.x >= 0 && n.y >= 0 && n.x < m.width && n.y < m.height, `${p.name}: ${n.id} inside`);
  }
  assert.equal(viewOf({ id: 'D' }, ['data', 'field'], false), 'fig-data');
  assert.equal(viewOf({ id: 'dec' }, ['samples', 'manifold'], true), 'fig-manifold');
});

let b;
after(async () => { await b?.close(); });

test('live values are the core\'s StepStats; a node lights up its view; widths change the graph', async () => {
  b = await openBrowser({ csp: STRICT_CSP });
  const page = b.page;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b.url}index.html${encodeHash({ settings: presetSettings('ring8-gan') }, M.schema())}&lang=en`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
  await page.locator('#graph-panel').waitFor();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.step >= 200, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.playing === false);
  await page.waitForTimeout(700);   // the last frame's numbers, then the graph's throttle
  const { shown, core } = await page.evaluate(async () => ({
    shown: window.__genlab.graphValues(), core: (await import('./bus.js')).commands.state().stats,
  }));
  for (const k of ['dReal', 'dFake', 'dLoss', 'gLoss', 'gGrad', 'dGrad']) {
    assert.ok(Number.isFinite(core[k]), `${k} from the core`);
    assert.equal(shown[k], core[k], `${k}: graph ${shown[k]}, core ${core[k]}`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'graph-1280.png') });
  await page.locator('[data-node="D"]').focus();
  assert.ok(await page.locator('#fig-data').evaluate((f) => f.classList.contains('graph-linked')), 'focusing D lights up the data view');
  await page.locator('[data-node="G"]').focus();
  assert.ok(await page.locator('#fig-data').evaluate((f) => f.classList.contains('graph-linked')));
  await page.locator('#set-d_hidden').fill('64,32');
  await page.locator('#set-d_hidden').press('Enter');
  await page.waitForFunction(() => /64 leaky_relu → 32 leaky_relu → 1/.test(document.querySelector('[data-node="D"]')?.getAttribute('aria-label') ?? ''), null, { timeout: 20000 });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForTimeout(300);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways overflow at 360 px');
  await page.locator('#graph-panel').screenshot({ path: path.join(ARTIFACTS, 'graph-360.png') });
  assert.deepEqual(b.errors, []);
});
