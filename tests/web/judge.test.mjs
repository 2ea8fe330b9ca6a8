// The metrics' image classifier is trained by a helper worker on the other core (web/judge_worker.js),
// not by the training worker: the first metrics of an image preset cost what any metrics cost
// (the in-place training took ~2 s of the training worker's time), and the classifier they used is
// bit for bit the one the core trains itself (its test accuracy, computed here under node). Until
// it is here a VAE's metrics carry its bound on held-out images alone.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab, www } from './load_module.mjs';
import { encodeHash } from '../../web/state.js';

let b;
let link;
let accuracy;
before(async () => {
  const M = await loadGenlab();
  const p = M.presets().find((q) => q.name === 'pytorch-vae');
  link = encodeHash({ settings: p.settings }, M.schema());
  const s = new M.Session();
  const file = (f) => new Uint8Array(readFileSync(path.join(www, 'data', f)));
  s.provideImages('mnist28', file('mnist28-train.glds'), file('mnist28-test.glds'));
  s.configure(p.settings);
  accuracy = s.classifierAccuracy();
  s.delete();
  b = await openBrowser({ csp: STRICT_CSP });
});
after(async () => { await b?.close(); });

// A page that keeps its worker's metrics messages in window.__metrics (set before its scripts run).
async function watchedPage() {
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.addInitScript(() => {
    window.__metrics = [];
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(...a) {
        super(...a);
        this.addEventListener('message', (e) => { if (e.data?.type === 'metrics' && e.data.metrics) window.__metrics.push(e.data); });
      }
    };
  });
  return page;
}

test('an image preset\'s classifier is trained aside (the same bits); the VAE\'s bound comes without waiting for it', async () => {
  const page = await watchedPage();
  const info = [];
  page.on('console', (m) => { if (m.type() === 'info') info.push(m.text()); });
  await page.goto(`${b.url}index.html${link}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__metrics.some((m) => 'classifier_accuracy' in m.metrics), null, { timeout: 60000 });
  const all = await page.evaluate(() => window.__metrics);
  const judged = all.findIndex((m) => 'classifier_accuracy' in m.metrics);
  assert.deepEqual(info.filter((t) => t.includes('not trained aside')), [], 'the helper trained the classifier');
  assert.equal(all[judged].metrics.classifier_accuracy, accuracy, 'the classifier the core trains itself');
  // Before the judge is here the VAE's bound on held-out images comes alone (it needs no classifier).
  for (const m of all.slice(0, judged)) {
    assert.equal(typeof m.metrics.test_neg_elbo, 'number', `step ${m.step}: the held-out bound`);
    assert.deepEqual(Object.keys(m.metrics).filter((k) => k.startsWith('class')), [], `step ${m.step}: nothing of the judge's yet`);
  }
  // Training it in place costs the training worker ~2 s (1,500 batches); metrics alone ~60 ms.
  for (const m of all.slice(0, judged + 1)) {
    assert.ok(m.ms < 1000, `metrics at step ${m.step} took ${Math.round(m.ms)} ms: the classifier was trained in the training worker`);
  }
  console.log(`# ${judged} metrics before the judge arrived (steps ${all.slice(0, judged + 1).map((m) => m.step).join(', ')})`);
  await page.close();
});

test('before Play, the bound comes first and the judge\'s figures follow when it is here', async () => {
  const page = await watchedPage();
  await page.goto(`${b.url}index.html${link}`);
  // No Play: the untrained model's metrics, measured again in full once the judge has arrived.
  await page.waitForFunction(() => window.__metrics.some((m) => 'classifier_accuracy' in m.metrics), null, { timeout: 60000 });
  const all = await page.evaluate(() => window.__metrics);
  const judged = all.find((m) => 'classifier_accuracy' in m.metrics);
  assert.equal(judged.step, 0, 'still the untrained model');
  assert.equal(judged.metrics.classifier_accuracy, accuracy);
  assert.equal(typeof judged.metrics.test_neg_elbo, 'number');
  await page.close();
});
