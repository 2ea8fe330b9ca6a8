// The metrics' image classifier (the judge) costs the training worker nothing: the site ships each
// image set's judge, made at build time by this module (web/judge_file.js), and the worker installs it;
// where that file is missing or made another way, a helper worker trains it on the other core
// (web/judge_worker.js). Either way the classifier is bit for bit the one the core trains itself
// (its test accuracy, computed here under node), and until it is here a VAE's metrics carry its
// bound on held-out images alone.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STRICT_CSP, keepWorkerMetrics, openBrowser } from './browser.mjs';
import { loadGenlab, www } from './load_module.mjs';
import { encodeHash } from '../../web/state.js';
import { judgeHeader, readJudge } from '../../web/judge_file.js';
import { encodeJudge } from '../../scripts/judge_file_write.mjs';

let b;
let link;
let fashionLink;
let accuracy;
before(async () => {
  const M = await loadGenlab();
  const p = M.presets().find((q) => q.name === 'pytorch-vae');
  link = encodeHash({ settings: p.settings }, M.schema());
  fashionLink = encodeHash({ settings: M.presets().find((q) => q.name === 'fashion-vae').settings }, M.schema());
  const s = new M.Session();
  const file = (f) => new Uint8Array(readFileSync(path.join(www, 'data', f)));
  s.provideImages('mnist28', file('mnist28-train.glds'), file('mnist28-test.glds'));
  s.configure(p.settings);
  accuracy = s.classifierAccuracy();
  s.delete();
  b = await openBrowser({ csp: STRICT_CSP });
});
after(async () => { await b?.close(); });

// A page that keeps its worker's metrics messages in window.__metrics (set before its scripts run),
// with its requests and info messages. judge: the site's judge file as is, 'missing' (404),
// 'stale' (made by another recipe), 'no reader' (the worker's judge_file.js 404) or 'slow reader'
// (it comes 3 s late).
async function watchedPage(judge = 'as is') {
  const page = await b.ctx.newPage();
  b.watch(page);
  const requests = [];
  const info = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('worker', (w) => requests.push(`worker ${w.url()}`));   // the helper is a worker's worker
  page.on('console', (m) => { if (m.type() === 'info') info.push(m.text()); });
  if (judge === 'missing') await page.route('**/*-judge.bin', (r) => r.fulfill({ status: 404, body: 'not here' }));
  if (judge === 'no reader') await page.route('**/judge_file.js', (r) => r.fulfill({ status: 404, body: 'not here' }));
  if (judge === 'slow reader') {
    await page.route('**/judge_file.js', async (r) => {
      await new Promise((done) => setTimeout(done, 3000));
      await r.continue();
    });
  }
  if (judge === 'stale') {
    await page.route('**/mnist28-judge.bin', async (r) => {
      const bytes = new Uint8Array(readFileSync(path.join(www, 'data', 'mnist28-judge.bin')));
      const { weights } = /** @type {{ weights: Float32Array }} */ (readJudge(bytes, 'mnist28', judgeHeader(bytes).head.recipe));
      await r.fulfill({ status: 200, body: Buffer.from(encodeJudge('mnist28', 'genlab 0.0, another judge', weights)) });
    });
  }
  Object.assign(page, { requests, info });
  await keepWorkerMetrics(page);
  return page;
}

// The metrics messages after which the training worker's session had trained a judge itself (it
// counts them): as 'step S: N trained there so far (M ms)'.
/** @param {{step: number, ms: number, judgesTrained: number}[]} all */
function trainedHere(all) {
  assert.ok(all.length > 0 && all.every((m) => Number.isInteger(m.judgesTrained)), 'each metrics message counts the judges trained');
  return all.filter((m) => m.judgesTrained !== 0).map((m) => `step ${m.step}: ${m.judgesTrained} trained there so far (${Math.round(m.ms)} ms)`);
}

test('an image preset\'s judge comes with the site: installed at once, no helper, the same bits', async () => {
  const page = await watchedPage();
  await page.goto(`${b.url}index.html${link}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__metrics.length >= 2, null, { timeout: 60000 });
  const all = await page.evaluate(() => window.__metrics);
  for (const m of all.filter((x) => !x.partial)) {   // a partial message: the bound alone (the next case)
    assert.equal(m.metrics.classifier_accuracy, accuracy, `step ${m.step}: the classifier the core trains itself`);
    assert.equal(typeof m.metrics.classifier_score, 'number');
    assert.equal(typeof m.metrics.test_neg_elbo, 'number');
  }
  assert.ok(page.requests.some((u) => u.endsWith('/data/mnist28-judge.bin')), 'the judge file was fetched');
  assert.ok(page.requests.some((u) => /^worker .*\/worker\.js$/.test(u)), 'workers are seen');
  assert.deepEqual(page.requests.filter((u) => u.includes('judge_worker')), [], 'no helper was started');
  assert.deepEqual(trainedHere(all), [], 'judges trained in the training worker');
  assert.deepEqual(page.info.filter((t) => t.includes('judge')), []);
  await page.close();
});

test('while an image VAE trains its held-out bound also comes alone between the full metrics; the panel keeps the judge\'s figures', async () => {
  const page = await watchedPage();
  await page.goto(`${b.url}index.html${link}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // What the page shows while the newest metrics are a bound alone (paced by cost, not by the clock):
  // that bound, with the judge's last figures beside it (taken in one go, between two messages).
  await page.evaluate(async () => { window.__commands = (await import('./bus.js')).commands; });
  const seen = await (await page.waitForFunction(() => {
    const last = window.__metrics.at(-1);
    if (!last?.partial) return false;
    const rows = [...document.querySelectorAll('#metrics div[data-metric]')].map((d) => /** @type {HTMLElement} */ (d).dataset.metric);
    return { n: window.__metrics.length, shown: window.__commands.state().metrics, rows };
  }, null, { timeout: 90000, polling: 50 })).jsonValue();
  const all = (await page.evaluate(() => window.__metrics)).slice(0, seen.n);
  const parts = all.filter((m) => m.partial);
  for (const m of parts) {
    assert.equal(typeof m.metrics.test_neg_elbo, 'number', `step ${m.step}: the held-out bound`);
    assert.deepEqual(Object.keys(m.metrics).filter((k) => k.startsWith('class') || k.startsWith('iwae')), [],
      `step ${m.step}: nothing of the judge's, no IWAE twin`);
  }
  // The first metrics of a run are full ones, and each bound alone is newer than the metrics before it.
  assert.equal(all[0].partial, undefined, 'a run starts with its full metrics');
  for (let i = 1; i < all.length; i++) if (all[i].partial) assert.ok(all[i].step > all[i - 1].step, `metrics ${i}: a step measured again`);
  const lastFull = all.findLast((m) => !m.partial);
  assert.equal(seen.shown.test_neg_elbo, all.at(-1).metrics.test_neg_elbo, 'the newest bound');
  assert.equal(seen.shown.classifier_score, lastFull.metrics.classifier_score, 'the judge\'s last score kept');
  assert.ok(seen.rows.includes('classifier_score') && seen.rows.includes('test_neg_elbo'), `rows on screen: ${seen.rows.join(', ')}`);
  console.log(`# ${parts.length} bounds alone among ${all.length} metrics (steps ${all.map((m) => `${m.step}${m.partial ? 'b' : ''}`).join(' ')})`);
  await page.close();
});

for (const judge of ['as is', 'missing']) {
test(`back on a set, its judge is installed again, not trained in the worker (judge files ${judge})`, async () => {
  const page = await watchedPage(judge);
  await page.goto(`${b.url}index.html${link}`);
  await page.waitForFunction(() => window.__metrics.some((m) => 'classifier_accuracy' in m.metrics), null, { timeout: 60000 });
  // Fashion-MNIST (its own judge file), then MNIST again: the session keeps each set's judge.
  const switchTo = async (hash, dataset) => {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction((d) => window.__genlab.config?.dataset === d, dataset, { timeout: 60000 });
  };
  await switchTo(fashionLink, 'fashion28');
  await page.waitForFunction((a) => window.__metrics.some((m) => 'classifier_accuracy' in m.metrics && m.metrics.classifier_accuracy !== a), accuracy, { timeout: 60000 });
  const n = await page.evaluate(() => window.__metrics.length);
  await switchTo(link, 'mnist28');
  await page.waitForFunction((k) => window.__metrics.slice(k).some((m) => 'classifier_accuracy' in m.metrics), n, { timeout: 60000 });
  const back = (await page.evaluate(() => window.__metrics)).slice(n).filter((m) => 'classifier_accuracy' in m.metrics);
  assert.equal(back.at(-1).metrics.classifier_accuracy, accuracy, 'the MNIST judge again');
  // The worker's session counts the judges it trained itself (1,500 batches, seconds): none, either way.
  assert.deepEqual(trainedHere(await page.evaluate(() => window.__metrics)), [], 'judges trained in the training worker');
  assert.ok(page.requests.some((u) => u.endsWith('/data/fashion28-judge.bin')));
  const helpers = page.requests.filter((u) => u.includes('judge_worker')).length;
  assert.equal(helpers, judge === 'missing' ? 2 : 0, 'a helper for each set without its file, none for the way back');
  await page.close();
});
}

for (const judge of ['missing', 'stale']) {
  test(`without a usable judge file (${judge}) it is trained aside (the same bits); the VAE's bound comes without waiting for it`, async () => {
    const page = await watchedPage(judge);
    await page.goto(`${b.url}index.html${link}`);
    await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => window.__metrics.some((m) => 'classifier_accuracy' in m.metrics), null, { timeout: 60000 });
    const all = await page.evaluate(() => window.__metrics);
    const judged = all.findIndex((m) => 'classifier_accuracy' in m.metrics);
    assert.deepEqual(page.info.filter((t) => t.includes('not trained aside')), [], 'the helper trained the classifier');
    assert.ok(page.requests.some((u) => /^worker .*judge_worker\.js$/.test(u)), 'a helper was started');
    const refused = page.info.filter((t) => t.includes('was not used'));
    if (judge === 'stale') assert.match(refused.join('\n'), /the site's judge of mnist28 was not used \(a judge made another way \(genlab 0\.0, another judge\)/);
    else assert.deepEqual(refused, [], 'a missing file is no error');
    assert.equal(all[judged].metrics.classifier_accuracy, accuracy, 'the classifier the core trains itself');
    // Before the judge is here the VAE's bound on held-out images comes alone (it needs no classifier).
    for (const m of all.slice(0, judged)) {
      assert.equal(typeof m.metrics.test_neg_elbo, 'number', `step ${m.step}: the held-out bound`);
      assert.deepEqual(Object.keys(m.metrics).filter((k) => k.startsWith('class')), [], `step ${m.step}: nothing of the judge's yet`);
    }
    // Not trained in the training worker meanwhile (~2 s of 1,500 batches there).
    assert.deepEqual(trainedHere(all), [], 'judges trained in the training worker');
    console.log(`# ${judge}: ${judged} metrics before the judge arrived (${all.slice(0, judged + 1).map((m) => `step ${m.step}: ${Math.round(m.ms)} ms`).join(', ')})`);
    await page.close();
  });
}

test('before Play, without the judge file, the bound comes first and the judge\'s figures follow when it is here', async () => {
  const page = await watchedPage('missing');
  await page.goto(`${b.url}index.html${link}`);
  // No Play: the untrained model's metrics, measured again in full once the judge has arrived.
  await page.waitForFunction(() => window.__metrics.some((m) => 'classifier_accuracy' in m.metrics), null, { timeout: 60000 });
  const all = await page.evaluate(() => window.__metrics);
  const judged = all.find((m) => 'classifier_accuracy' in m.metrics);
  assert.equal(judged.step, 0, 'still the untrained model');
  assert.deepEqual(trainedHere(all), [], 'judges trained in the training worker');
  assert.equal(judged.metrics.classifier_accuracy, accuracy);
  assert.equal(typeof judged.metrics.test_neg_elbo, 'number');
  await page.close();
});

test('the judge file\'s reader, loaded with the images, failing to load: the judge is trained aside', async () => {
  const page = await watchedPage('no reader');
  await page.goto(`${b.url}index.html${link}`);
  await page.waitForFunction(() => window.__metrics.some((m) => 'classifier_accuracy' in m.metrics), null, { timeout: 60000 });
  const all = await page.evaluate(() => window.__metrics);
  const judged = all.find((m) => 'classifier_accuracy' in m.metrics);
  assert.equal(judged.metrics.classifier_accuracy, accuracy, 'the classifier the core trains itself');
  assert.deepEqual(trainedHere(all), [], 'judges trained in the training worker');
  assert.ok(page.requests.some((u) => u.endsWith('/judge_file.js')), 'the worker asked for the reader');
  assert.match(page.info.join('\n'), /the judge file's reader did not load \(.+\); training it aside/);
  assert.ok(page.requests.some((u) => /^worker .*judge_worker\.js$/.test(u)), 'a helper was started');
  await page.close();
});

test('metrics wait for the judge file\'s reader (loaded with the images) rather than train the judge in the worker', async () => {
  const page = await watchedPage('slow reader');
  await page.goto(`${b.url}index.html${link}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.__metrics.length >= 3, null, { timeout: 60000 });
  const all = await page.evaluate(() => window.__metrics);
  assert.ok(all.at(-1).step > 0, 'it trained');
  for (const m of all.filter((x) => !x.partial)) {   // the bound alone comes between full sets
    assert.equal(m.metrics.classifier_accuracy, accuracy, `step ${m.step}: the judge's figures`);
  }
  // Not by training it in the training worker meanwhile.
  assert.deepEqual(trainedHere(all), [], 'judges trained in the training worker');
  assert.deepEqual(page.requests.filter((u) => u.includes('judge_worker')), [], 'no helper was started');
  await page.close();
});
