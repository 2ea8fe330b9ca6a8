// Issue 19 in the browser: hostile input is refused before it costs anything, and memory the
// worker took for it comes back. A 50 MB paste is refused at once (the text area never holds it);
// a large paste under the cap is used whole and shown shortened; a lone surrogate keeps its comma;
// crafted model files (huge layers in a small file, step counts past 2^53 − 1, an extra tensor, a
// file of zeros, a long file with a valid header) are refused with the model kept, and the wasm
// memory ends within 8 MiB of where it was — by recycling the worker when a refusal grew it.
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { readModel, withEntry, writeModel } from './model_file.mjs';

const MiB = 1 << 20;
const REAL_RGB = [0x0b, 0x6b, 0x3a];   // COLORS.real (web/render/colors.js)
let b;
let dir;
before(async () => {
  b = await openBrowser({ csp: STRICT_CSP });
  dir = mkdtempSync(path.join(tmpdir(), 'genlab-load-'));
});
after(async () => {
  await b?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(hash) {
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b.url}index.html${hash}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
  return page;
}
const pointsMsg = (page) => page.locator('#points-msg').textContent();

// A paste into the CSV text area, as the browser delivers it; the text is made in the page (so it
// never crosses the test's protocol): `repeat` n copies of one row, or n rows on a circle.
const paste = (page, kind, n) => page.evaluate(([k, count]) => {
  const text = k === 'repeat' ? '0.5,1.5\n'.repeat(count)
    : Array.from({ length: count }, (_, i) => `${Math.cos(i)},${Math.sin(i)}`).join('\n');
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const area = document.getElementById('points-csv');
  const t0 = performance.now();
  area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  return { ms: performance.now() - t0, length: text.length };
}, [kind, n]);

async function jsHeap(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return metrics.find((m) => m.name === 'JSHeapUsedSize').value;
}

test('a 50 MB paste is refused at once, never held by the text area; the run and the memory stay as they were', async () => {
  const e0 = b.errors.length;
  const page = await open('#model=gan&dataset=points');
  const config0 = await page.evaluate(() => JSON.stringify(window.__genlab.config));
  const heap0 = await jsHeap(page);
  const r = await paste(page, 'repeat', (50 * MiB) / 8);
  assert.equal(r.length, 50 * MiB);
  await page.locator('#points-msg[role=alert]', { hasText: 'more than the 8 MB allowed' }).waitFor({ timeout: 10000 });
  assert.match(await pointsMsg(page), /50\.0 MB/);
  console.log(`# 50 MB paste refused in ${r.ms.toFixed(0)} ms (bench/page_soak.mjs measures it too)`);
  assert.equal(await page.locator('#points-csv').inputValue(), '', 'the text area never held it');
  assert.equal(await page.evaluate(() => JSON.stringify(window.__genlab.config)), config0, 'the run is unchanged');
  const heap1 = await jsHeap(page);
  assert.ok(heap1 - heap0 < 50 * MiB, `JS heap after GC: ${(heap0 / MiB).toFixed(1)} → ${(heap1 / MiB).toFixed(1)} MiB`);
  assert.deepEqual(b.errors.slice(e0), []);
  await page.close();
});

test('a large paste under the cap is used whole and shown shortened; Use sends it whole again', async () => {
  const e0 = b.errors.length;
  const page = await open('#model=gan&dataset=points');
  await paste(page, 'circle', 30000);
  await page.locator('#points-msg', { hasText: 'Using 30000 points from the CSV' }).waitFor({ timeout: 10000 });
  const shown = await page.locator('#points-csv').inputValue();
  assert.ok(shown.length < 20100 && shown.endsWith('(shortened here; the whole text is used)'), `${shown.length} characters shown`);
  await page.waitForFunction(() => window.__genlab.config.dataset === 'points');
  // Drawn thinned (from a cached layer), the caption saying so; the points are on the canvas.
  await page.locator('#data-thinned', { hasText: 'showing 3,750 of 30,000 real points' }).waitFor({ timeout: 10000 });
  const realPixels = () => page.evaluate(async (rgb) => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const c = /** @type {HTMLCanvasElement} */ (document.getElementById('cv-data'));
    // Read through a copy made for reading (reading the page's canvas twice draws a console warning).
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const cx = /** @type {CanvasRenderingContext2D} */ (copy.getContext('2d', { willReadFrequently: true }));
    cx.drawImage(c, 0, 0);
    const d = cx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 12) n++;
    return n;
  }, REAL_RGB);
  const many = await realPixels();
  assert.ok(many > 500, `${many} pixels in the real points' colour`);
  await page.locator('#points-msg').evaluate((e) => { e.textContent = ''; });
  await page.getByRole('button', { name: 'Use CSV points' }).click();
  await page.locator('#points-msg', { hasText: 'Using 30000 points from the CSV' }).waitFor({ timeout: 10000 });
  // Edited, the text area's own text is what Use sends.
  await page.locator('#points-csv').fill('0,0\n1,1\n2,0\n');
  await page.getByRole('button', { name: 'Use CSV points' }).click();
  await page.locator('#points-msg', { hasText: 'Using 3 points from the CSV' }).waitFor({ timeout: 10000 });
  await page.locator('#data-thinned').waitFor({ state: 'hidden', timeout: 10000 });
  await page.waitForFunction(() => window.__genlab.frames > 0 && window.__genlab.config.dataset === 'points');
  const few = await realPixels();
  assert.ok(few > 0 && few < many / 10, `the three new points drawn (${few} pixels), the old layer gone`);
  assert.deepEqual(b.errors.slice(e0), []);
  await page.close();
});

test('a lone surrogate in pasted CSV keeps its comma in the error', async () => {
  const page = await open('#model=gan&dataset=points');
  await page.locator('#points-csv').evaluate((area) => { area.value = `0,1\n${String.fromCharCode(0xd800)},2\n`; });
  await page.getByRole('button', { name: 'Use CSV points' }).click();
  await page.locator('#points-msg[role=alert]').waitFor();
  const text = await pointsMsg(page);
  assert.match(text, /line 2: cannot read '\\xef\\xbf\\xbd' as a number/);
  assert.doesNotMatch(text, /found 1/);
  await page.close();
});

test('crafted model files are refused, the model is kept and the wasm memory comes back', async () => {
  const e0 = b.errors.length;
  const M = await loadGenlab();
  const s = new M.Session();
  s.configure({ model: 'vae', dataset: 'moons', enc_hidden: '16', dec_hidden: '16', batch: '32' });
  s.train(5);
  const good = readModel(s.saveModel().slice());
  s.delete();
  const crafted = {
    wide: writeModel(withEntry(withEntry(good, 'enc_hidden', '3000,3000'), 'dec_hidden', '3000,3000')),
    steps62: writeModel({ ...good, steps: 2n ** 62n }),
    steps53: writeModel({ ...good, steps: 2n ** 53n + 1n }),
    junk: writeModel({ ...good, tensors: [...good.tensors, { name: 'junk', shape: [16], values: new Float32Array(16) }] }),
    empty: writeModel({ ...good, tensors: [...good.tensors, { name: 'junk', shape: [0], values: new Float32Array(0) }] }),
  };
  const files = {};
  for (const [name, bytes] of Object.entries(crafted)) writeFileSync(files[name] = path.join(dir, `${name}.genlab`), bytes);
  writeFileSync(files.zeros = path.join(dir, 'zeros.genlab'), new Uint8Array(200 * MiB));
  // A long file with a valid header: it reaches the worker, whose reader refuses the body.
  const long = new Uint8Array(100 * MiB);
  long.set(crafted.junk.subarray(0, 8));
  new DataView(long.buffer).setBigUint64(8, BigInt(long.length), true);
  writeFileSync(files.long = path.join(dir, 'long.genlab'), long);

  const page = await open('#model=vae&dataset=moons&enc_hidden=16&dec_hidden=16&batch=32');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.step >= 300, null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.playing === false);
  // The worker may finish a chunk after Pause: wait until the drawn step stops moving.
  for (let last = -1, now = await page.evaluate(() => window.__genlab.step); now !== last;) {
    await page.waitForTimeout(500);
    [last, now] = [now, await page.evaluate(() => window.__genlab.step)];
  }
  const state = () => page.evaluate(() => ({ step: window.__genlab.step, samples: window.__genlab.samples(), heap: window.__genlab.heap, recycles: window.__genlab.recycles ?? 0 }));
  const before = await state();
  assert.ok(before.heap?.memory > 0, 'the worker reports its memory');
  const refuse = async (name, message) => {
    await page.locator('#files-msg').evaluate((e) => { e.textContent = ''; });
    await page.getByLabel('Load model').setInputFiles(files[name]);
    await page.locator('#files-msg', { hasText: message }).waitFor({ timeout: 30000 });
  };
  await refuse('wide', /Could not load.*holds \d+ values, but its config's networks have \d+ parameters/);
  await refuse('steps62', /step count 4611686018427387904 \(at most 2\^53 - 1/);
  await refuse('steps53', /step count 9007199254740993/);
  await refuse('junk', /has a tensor 'junk' \(16\)/);
  await refuse('empty', /tensor 'junk'/);
  await refuse('zeros', /is not a GenLab model file/);
  let now = await state();
  assert.equal(now.recycles, 0, 'nothing so far needed a recycle');
  assert.ok(now.heap.memory - before.heap.memory <= 8 * MiB, `wasm memory ${before.heap.memory / MiB} → ${now.heap.memory / MiB} MiB`);
  await refuse('long', /Could not load/);
  // The 100 MB copy grew the worker's memory; a fresh worker takes over with the same model.
  await page.waitForFunction(() => (window.__genlab.recycles ?? 0) === 1, null, { timeout: 30000 });
  await page.waitForFunction((s) => window.__genlab.step === s && window.__genlab.heap, before.step, { timeout: 30000 });
  now = await state();
  assert.ok(now.heap.memory - before.heap.memory <= 8 * MiB, `after the recycle: ${before.heap.memory / MiB} → ${now.heap.memory / MiB} MiB`);
  assert.equal(now.step, before.step);
  assert.ok(now.samples.every((v, i) => Math.abs(v - before.samples[i]) < 1e-5), 'the same model draws the same samples');
  assert.equal(await page.locator('#notices .notice.error').count(), 0, 'a recycle is no crash');
  // Training goes on in the fresh worker.
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction((s) => window.__genlab.step > s + 100, before.step, { timeout: 20000 });
  assert.deepEqual(b.errors.slice(e0), []);
  await page.close();
});
