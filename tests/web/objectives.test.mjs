// The objectives written out, each term beside its live number (issue 13 item 2): after
// training, the panel's numbers (data-value) are the core's StepStats and held-out metrics as
// the page received them (bus.js commands.state()); switching the GAN loss changes the written
// formula; β·KL is β × KL; the VAE-GAN's three objectives; the formulas render; no console errors. Screenshots:
// build/test-artifacts/objectives-*.png.
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, keepWorkerMetrics, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { encodeHash } from '../../web/state.js';

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

let b;
const links = {};
before(async () => {
  const M = await loadGenlab();
  for (const name of ['ring8-gan', 'ring8-vae']) {
    const p = M.presets().find((q) => q.name === name);
    assert.ok(p, `the module has a ${name} preset`);
    links[name] = encodeHash({ settings: p.settings }, M.schema());
  }
  links.vaegan = encodeHash({ settings: { model: 'vaegan', dataset: 'ring8', d_hidden: '32,32', feature_layer: '2', gamma: '0.5' } },
    M.schema());
  b = await openBrowser({ csp: STRICT_CSP });
});
after(async () => { await b?.close(); });

async function open(hash) {
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(`${b.url}index.html${hash}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('.teach-btn'), null, { timeout: 20000 });
  // help.js starts the panel once the explanations are loaded; the formulas are MathML.
  await page.waitForFunction(() => document.querySelector('#objectives .obj-formula math'), null, { timeout: 20000 });
  return page;
}

async function train(page, steps) {
  await page.evaluate(async () => (await import('./bus.js')).commands.play());
  await page.waitForFunction((s) => window.__genlab.step >= s, steps, { timeout: 60000 });
  await page.evaluate(async () => (await import('./bus.js')).commands.pause());
  await page.waitForFunction(() => window.__genlab.playing === false);
}

// The panel's numbers next to what the page holds (the core's StepStats and metrics), once the
// throttled writes have caught up with the last frame.
const compare = (page, names) => page.evaluate(async (list) => {
  const { commands } = await import('./bus.js');
  const st = commands.state();
  const out = {};
  for (const name of list) {
    const node = document.querySelector(`#objectives [data-stat="${name}"]`);
    out[name] = { shown: node ? node.dataset.value : null, text: node?.textContent ?? null,
      core: name === 'betaKl' ? st.stats.beta * st.stats.kl
        : name === 'iwae_gap' ? (st.metrics?.iwae_neg_elbo ?? NaN) - (st.metrics?.iwae_nll ?? NaN)
          : (st.stats?.[name] ?? st.metrics?.[name] ?? null) };
  }
  return out;
}, names);

async function settled(page, names) {
  let last;
  for (let i = 0; i < 40; i++) {
    last = await compare(page, names);
    if (Object.values(last).every((v) => v.shown !== null && v.shown !== '' && Number(v.shown) === v.core)) return last;
    await page.waitForTimeout(100);
  }
  return last;
}

// Every formula box has a rendered formula of non-zero size.
const formulas = (page) => page.evaluate(() => [...document.querySelectorAll('#objectives .obj-formula')].map((f) => {
  const r = f.getBoundingClientRect();
  return { id: f.dataset.formula, w: r.width, h: r.height, html: f.innerHTML };
}));

test('GAN (ring8-gan): D and G losses, mean D(x) and D(G(z)) are the core\'s StepStats; the loss switch rewrites the formula', async () => {
  const e0 = b.errors.length;
  const page = await open(links['ring8-gan']);
  await train(page, 200);
  const names = ['dLoss', 'gLoss', 'dReal', 'dFake'];
  const values = await settled(page, names);
  for (const n of names) {
    assert.ok(Number.isFinite(values[n].core), `${n}: the core reported it`);
    assert.equal(Number(values[n].shown), values[n].core, `${n}: shown ${values[n].shown}, StepStats ${values[n].core}`);
    assert.notEqual(values[n].text, '–', `${n}: a number is shown`);
  }
  const before = await formulas(page);
  assert.ok(before.length >= 5, 'V, the non-saturating loss, the chosen D and G losses and D*');
  for (const f of before) assert.ok(f.w > 0 && f.h > 0, `${f.id}: rendered with a size`);
  const chosen = (await page.locator('#objectives .obj-chosen').getAttribute('data-loss'));
  assert.equal(chosen, 'nonsaturating');
  assert.ok(await page.locator('#objectives [data-stat=dReal]').isVisible());
  assert.match(await page.locator('#objectives').innerText(), /½/, 'the equilibrium D = ½ is stated');
  await page.screenshot({ path: path.join(ARTIFACTS, 'objectives-gan.png') });

  // Another loss variant: its own D and G formulas.
  const dBefore = before.find((f) => f.id.endsWith('.d') && f.id.includes('nonsaturating'));
  await page.selectOption('#set-loss', 'lsgan');
  await page.waitForFunction(() => document.querySelector('#objectives .obj-chosen')?.dataset.loss === 'lsgan', null, { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('#objectives .obj-chosen .obj-formula *'), null, { timeout: 20000 });
  const afterSwitch = await formulas(page);
  const dAfter = afterSwitch.find((f) => f.id.endsWith('.d') && f.id.includes('lsgan'));
  assert.ok(dAfter && dAfter.w > 0, 'the LSGAN D loss is written');
  assert.notEqual(dAfter.html, dBefore.html, 'a different formula');
  // LSGAN's D gives a score: the panel says so instead of the ½ equilibrium.
  assert.equal(await page.locator('#objectives .obj-h', { hasText: /score|得分/i }).count(), 1);
  await train(page, (await page.evaluate(() => window.__genlab.step)) + 50);
  const ls = await settled(page, names);
  for (const n of names) assert.equal(Number(ls[n].shown), ls[n].core, `lsgan ${n}`);
  assert.deepEqual(b.errors.slice(e0), [], 'no console errors');
  await page.close();
});

test('VAE (ring8-vae): reconstruction, KL, β, β·KL and the loss are the core\'s; held-out −ELBO and the bound\'s gap', async () => {
  const e0 = b.errors.length;
  const page = await open(links['ring8-vae']);
  await train(page, 200);
  const names = ['recon', 'kl', 'beta', 'loss', 'betaKl'];
  const values = await settled(page, names);
  for (const n of names) {
    assert.ok(Number.isFinite(values[n].core), `${n}: the core reported it`);
    assert.equal(Number(values[n].shown), values[n].core, `${n}: shown ${values[n].shown}, core ${values[n].core}`);
  }
  assert.ok(Math.abs(Number(values.betaKl.shown) - Number(values.beta.shown) * Number(values.kl.shown)) < 1e-12, 'β·KL = β × KL');
  assert.ok(Math.abs(values.loss.core - (values.recon.core + values.betaKl.core)) < 1e-4 * Math.max(1, Math.abs(values.loss.core)),
    'the loss is recon + β·KL');
  // Held-out numbers after the evaluation that follows a pause.
  // A 2-D VAE reports the importance-weighted bound (k = 8) with every evaluation, beside the
  // −ELBO over the same held-out rows: the gap is the ELBO's looseness.
  await page.waitForFunction(async () => (await import('./bus.js')).commands.state().metrics?.iwae_nll !== undefined, null, { timeout: 20000 });
  const gap = await settled(page, ['iwae_neg_elbo', 'iwae_nll', 'iwae_gap']);
  assert.equal(Number(gap.iwae_neg_elbo.shown), gap.iwae_neg_elbo.core, '−ELBO on the IWAE rows');
  assert.equal(Number(gap.iwae_nll.shown), gap.iwae_nll.core, 'IWAE bound');
  assert.equal(Number(gap.iwae_gap.shown), gap.iwae_gap.core, 'the gap −ELBO − IWAE');
  assert.ok(gap.iwae_gap.core > -0.05, `the IWAE bound is (noise aside) not looser than the ELBO: gap ${gap.iwae_gap.core}`);
  assert.equal(await page.locator('#objectives .obj-no-iwae').isVisible(), false);
  for (const f of await formulas(page)) assert.ok(f.w > 0 && f.h > 0, `${f.id}: rendered with a size`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'objectives-vae.png') });
  assert.deepEqual(b.errors.slice(e0), [], 'no console errors');
  await page.close();
});

test('a 2-D VAE paused on the step of a quick first metric (no IWAE) is measured again with the bound', async () => {
  // At speed 1 (2 steps/s) Play trains one step and the run's first metric follows 0.1 s later,
  // without the IWAE bound (one of the quick first ten); the next step comes 0.5 s after the first.
  // A pause between leaves the run on the measured step, and a paused run's metrics have the bound.
  const page = await b.ctx.newPage();
  b.watch(page);
  await keepWorkerMetrics(page);
  await page.goto(`${b.url}index.html${links['ring8-vae']}&speed=1`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0 && window.__metrics.length > 0, null, { timeout: 60000 });
  const bus = (command) => page.evaluate(async (c) => (await import('./bus.js')).commands[c](), command);
  let paused = null;
  for (let attempt = 0; attempt < 5 && paused === null; attempt++) {
    const n = await page.evaluate(() => window.__metrics.length);
    await bus('play');
    await page.waitForFunction((k) => window.__metrics.length > k, n, { timeout: 20000 });
    await bus('pause');
    await page.waitForFunction(() => window.__genlab.playing === false && window.__genlab.workerPlaying === false, null, { timeout: 20000 });
    const quick = (await page.evaluate(() => window.__metrics))[n];
    const step = await page.evaluate(() => window.__genlab.step);
    assert.equal('iwae_nll' in quick.metrics, false, `a quick first metric leaves the bound out (step ${quick.step})`);
    if (quick.step === step) paused = step;   // else a step came before the pause: again
  }
  assert.notEqual(paused, null, 'paused on the quick metric\'s step in one of five tries');
  await page.waitForFunction((s) => window.__metrics.some((m) => m.step === s && 'iwae_nll' in m.metrics), paused, { timeout: 10000 });
  assert.deepEqual(b.errors, []);
  await page.close();
});

test('VAE-GAN (ring8): the reconstruction in D\'s features, KL, β, the encoder\'s loss, the decoder\'s GAN loss and D\'s are the core\'s', async () => {
  const e0 = b.errors.length;
  const page = await open(links.vaegan);
  await train(page, 200);
  const names = ['recon', 'kl', 'beta', 'loss', 'gLoss', 'dLoss', 'dReal', 'dFake'];
  const values = await settled(page, names);
  for (const n of names) {
    assert.ok(Number.isFinite(values[n].core), `${n}: the core reported it`);
    assert.equal(Number(values[n].shown), values[n].core, `${n}: shown ${values[n].shown}, core ${values[n].core}`);
  }
  assert.ok(Math.abs(values.loss.core - (values.recon.core + values.beta.core * values.kl.core)) < 1e-4 * Math.max(1, Math.abs(values.loss.core)),
    "the encoder's loss is L_llike + β·KL");
  const shown = await formulas(page);
  assert.deepEqual(shown.map((f) => f.id), ['vaegan.llike', 'vaegan.enc', 'vaegan.dec', 'vaegan.d']);
  for (const f of shown) assert.ok(f.w > 0 && f.h > 0, `${f.id}: rendered with a size`);
  const text = await page.locator('#objectives').innerText();
  assert.match(text, /hidden layer 2/, 'the feature layer in use is named');
  assert.match(text, /γ = 0\.5/, 'γ in use is named');
  // The chart's channels read the VAE-GAN's way: "loss" is the encoder's, not −ELBO.
  const legend = await page.locator('#chart-legend').innerText();
  assert.match(legend, /Encoder loss/);
  assert.match(legend, /Reconstruction in D's features/);
  assert.doesNotMatch(legend, /ELBO/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'objectives-vaegan.png') });
  assert.deepEqual(b.errors.slice(e0), [], 'no console errors');
  await page.close();
});
