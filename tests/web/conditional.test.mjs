// The class-conditional VAE in the page (issue 16): the class picker under the samples appears
// for conditional models only, lists the data set's classes, changes the samples, goes into the
// link and comes back from it; a hand-edited class out of range shows every class, no error.
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { encodeHash } from '../../web/state.js';
import { rowPerClass } from '../../web/frames.js';

const run = { browser: null, links: new Map() };
before(async () => {
  const M = await loadGenlab();
  for (const p of M.presets()) run.links.set(p.name, encodeHash({ settings: p.settings }, M.schema()));
  run.browser = await openBrowser({ csp: STRICT_CSP });
});
after(async () => { await run.browser?.close(); });
const preset = (name) => run.links.get(name);

async function open(hash) {
  const { ctx, url, watch } = run.browser;
  const page = await ctx.newPage();
  watch(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${url}index.html${hash}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  return page;
}

test('the class picker: conditional models only, the classes by name, samples and link follow it', async () => {
  const page = await open(`${preset('mnist-cvae')}&lang=en`);
  assert.equal(await page.locator('#class-pick').isVisible(), true, 'shown for the conditional VAE');
  const options = await page.locator('#sample-class option').allTextContents();
  assert.equal(options.length, 11);
  assert.equal(options[0], 'every class in turn');
  assert.equal(await page.locator('#sample-class').inputValue(), '-1');
  // Train a little so the decoder uses the class, then pick one.
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.step >= 150, null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  // The worker's own pause: its frame then holds the samples of the paused model (a frame drawn
  // while training may carry images from a few steps earlier, which the paused frame replaces).
  await page.waitForFunction(() => window.__genlab.playing === false && window.__genlab.workerPlaying === false);
  const before = await page.evaluate(() => window.__genlab.samples());
  await page.selectOption('#sample-class', '3');
  await page.waitForFunction((old) => {
    const s = window.__genlab.samples();
    return s && s.some((v, i) => v !== old[i]);
  }, before, { timeout: 30000 });
  assert.match(await page.evaluate(() => location.hash), /(^#|&)cls=3(&|$)/);
  assert.equal(await page.evaluate(() => window.__genlab.sampleClass()), 3, 'the worker drew class 3');
  assert.deepEqual(await page.evaluate(() => window.__genlab.viewErrors()), {});
  // The link brings the choice back.
  const hash = await page.evaluate(() => location.hash);
  const again = await open(hash);
  assert.equal(await again.locator('#sample-class').inputValue(), '3');
  await again.close();
  // An unconditional model hides it.
  const plain = await open(`${preset('pytorch-vae')}&lang=en`);
  assert.equal(await plain.locator('#class-pick').isVisible(), false);
  await plain.close();
  await page.close();
  assert.deepEqual(run.browser.errors, []);
});

test('a hand-edited class out of range shows every class in turn, with no error', async () => {
  const page = await open(`${preset('mnist-cvae')}&cls=42&lang=en`);
  assert.equal(await page.locator('#sample-class').inputValue(), '-1');
  assert.deepEqual(await page.evaluate(() => window.__genlab.viewErrors()), {});
  assert.equal(await page.evaluate(() => window.__genlab.sampleClass()), -1);
  assert.deepEqual(run.browser.errors, []);
  await page.close();
});

test('every class in turn: the sample grid shows class k in row k (8 columns)', () => {
  // 3 classes × 8 samples of 2 values; sample r was drawn for class r mod 3 and holds [r, -r].
  const s = Float32Array.from({ length: 48 }, (_, i) => (i % 2 ? -1 : 1) * Math.floor(i / 2));
  const out = rowPerClass(s, 3, 2);
  for (let k = 0; k < 3; k++) {
    const row = Array.from({ length: 8 }, (_, j) => out[(k * 8 + j) * 2]);
    assert.deepEqual(row, Array.from({ length: 8 }, (_, j) => 3 * j + k), `row ${k}`);
  }
  assert.equal(out[1], -0);
  assert.equal(out[(1 * 8 + 2) * 2 + 1], -7, 'each sample keeps its values together');
});

test('a conditional 2-D GAN: the picker sits under the data view and lists the ring\'s modes; every view draws for it', async () => {
  const page = await open(`${preset('ring8-gan')}&conditional=true&lang=en`);
  assert.equal(await page.locator('#fig-data #class-pick').isVisible(), true);
  const options = await page.locator('#sample-class option').allTextContents();
  assert.deepEqual(options.slice(0, 3), ['every class in turn', 'mode 1', 'mode 2']);
  assert.equal(options.length, 9);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.step >= 100, null, { timeout: 60000 });
  await page.selectOption('#sample-class', '2');
  await page.waitForFunction(() => window.__genlab.sampleClass() === 2, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  assert.deepEqual(await page.evaluate(() => window.__genlab.viewErrors()), {});
  assert.deepEqual(run.browser.errors, []);
  await page.close();
});
