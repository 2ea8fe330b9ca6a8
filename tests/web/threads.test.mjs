// The threaded module in the page: served cross-origin isolated (COOP/COEP) under the strict CSP,
// the worker loads genlab-mt.mjs (two threads for large products), trains, and reports it.
// Served without isolation the page uses genlab.mjs (checked in page.test.mjs).
// The module is experimental and off by default (-DGENLAB_WASM_THREADS=ON builds it): without it
// this test is skipped, saying so.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { www } from './load_module.mjs';

const built = existsSync(path.join(www, 'genlab-mt.mjs'));
let b;
before(async () => { if (built) b = await openBrowser({ csp: STRICT_CSP, isolate: true }); });
after(async () => { await b?.close(); });

const skip = built ? false : 'the threaded module is not built (configure the wasm preset with -DGENLAB_WASM_THREADS=ON)';
test('cross-origin isolated page: threaded module, trains an image VAE, no errors', { skip }, async () => {
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.goto(`${b.url}index.html#model=vae&dataset=mnist28&batch=128`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
  const info = await page.evaluate(() => ({ threads: window.__genlab.threads, step: window.__genlab.step ?? 0 }));
  assert.equal(info.threads, 2);
  assert.match(await page.locator('#build-info').textContent(), /, 2 threads\./);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction((s) => window.__genlab.step >= s, info.step + 60, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const { channels, data: h } = await page.evaluate(() => window.__genlab.history());  // step, loss, recon, kl
  assert.deepEqual(channels, ['loss', 'recon', 'kl']);
  assert.ok(h.length >= 16 && h.every(Number.isFinite), 'finite losses');
  const first = h[1], last = h[h.length - 3];
  assert.ok(last < 0.8 * first, `the VAE loss fell (${first} → ${last})`);
  assert.deepEqual(b.errors, [], 'no console errors, warnings or failed requests');
  await page.close();
});
