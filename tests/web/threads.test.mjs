// The threaded module in the page: served cross-origin isolated (COOP/COEP) under the strict CSP,
// the worker loads genlab-mt.mjs (two threads for large products), trains, and reports it.
// Served without isolation the page uses genlab.mjs (checked in page.test.mjs).
// A wasm build configured with -DGENLAB_WASM_THREADS=OFF has no threaded module: these tests are
// then skipped, saying so.
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

const skip = built ? false : 'the threaded module is not built (this wasm build was configured with -DGENLAB_WASM_THREADS=OFF)';
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

// Steps a page k single steps with its Step button; its loss history and samples afterwards.
async function stepped(br, hash, k) {
  const page = await br.ctx.newPage();
  br.watch(page);
  await page.goto(`${br.url}index.html${hash}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
  const threads = await page.evaluate(() => window.__genlab.threads);
  for (let i = 1; i <= k; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction((s) => window.__genlab.step >= s && window.__genlab.history()?.data.length > 0, i, { timeout: 30000 });
  }
  const out = await page.evaluate(() => ({ step: window.__genlab.step, history: window.__genlab.history().data, samples: window.__genlab.samples() }));
  await page.close();
  return { threads, ...out };
}

// The threaded module splits large products and optimizer updates between two threads so that
// every value is computed as one thread computes it: the same seed gives the same bits.
test('isolated (2 threads) and not isolated (1 thread): the same seed trains to the same bits', { skip }, async () => {
  const plain = await openBrowser({ csp: STRICT_CSP });
  try {
    // The conv VAE (products of up to 10^8 multiply-adds, split) and the MLP VAE (4·10^7).
    for (const hash of ['#model=vae&dataset=mnist28&latent=20&net=conv&enc_hidden=32,64&dec_hidden=64,32&batch=64&init=torch&seed=7',
      '#model=vae&dataset=mnist28&batch=128&seed=3']) {
      const two = await stepped(b, hash, 12);
      const one = await stepped(plain, hash, 12);
      assert.equal(two.threads, 2, hash);
      assert.equal(one.threads, 1, hash);
      assert.equal(two.step, 12);
      assert.equal(one.step, 12);
      assert.ok(one.history.length >= 12 && one.history.every(Number.isFinite), `${hash}: a history of finite losses`);
      assert.deepEqual(two.history, one.history, `${hash}: the loss history`);
      assert.ok(one.samples?.length > 0, `${hash}: samples`);
      assert.deepEqual(two.samples, one.samples, `${hash}: the samples`);
    }
    assert.deepEqual(b.errors, [], 'no console errors in the isolated page');
    assert.deepEqual(plain.errors, [], 'no console errors in the plain page');
  } finally {
    await plain.close();
  }
});
