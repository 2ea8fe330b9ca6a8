// Sessions survive the tab (issue 14): the page keeps the running session in IndexedDB and offers
// to resume it. In headless Chromium under the strict CSP: close the browser mid-training and
// open it again on the same profile (resume within the last save interval, the same model and
// its loss history), crash the renderer mid-training, damage the kept record, block storage,
// fill the quota, and discard. Node tests cover the record check and the history merge.
import './i18n_node.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { encodeHash } from '../../web/state.js';
import { CHECKPOINT_EVERY_MS } from '../../web/protocol.js';
import { checkRecord, cleanView, mergeHistory, openDb, thinHistory, trimHistory } from '../../web/persist.js';
import { LOCK_PREFIX, TAB_ID_ITEM, claimTab, liveKeys, offerOrder, pruneKeys } from '../../web/persist_store.js';

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

// ---------- node: the pure parts ----------

const glmf = () => {
  const b = new Uint8Array(64);
  b.set([0x47, 0x4c, 0x4d, 0x46, 1]);
  return b.buffer;
};
const good = () => ({
  v: 1, savedAt: 1700000000000, step: 1200, bytes: glmf(), config: { model: 'gan', dataset: 'ring8', batch: '64' },
  view: { speed: '3', v_grid: 'true' }, points: null, epoch: 0,
  history: { channels: ['d_loss', 'g_loss', 'd_real'], data: new Float32Array([1, 0.7, 0.6, 0.5, 2, 0.6, 0.7, 0.5]) },
});

test('a kept record is checked field by field', () => {
  const ok = checkRecord(good());
  assert.equal(ok.ok, true);
  assert.equal(ok.ok && ok.record.step, 1200);
  assert.deepEqual(ok.ok && ok.record.view, { speed: '3', v_grid: 'true' });
  // A Uint8Array is taken as its bytes.
  assert.equal(checkRecord({ ...good(), bytes: new Uint8Array(glmf()) }).ok, true);
  const bad = {
    record: 'garbage', version: { ...good(), v: 2 }, bytes: { ...good(), bytes: new ArrayBuffer(64) },
    step: { ...good(), step: -1 }, config: { ...good(), config: { model: 'gan' } }, view: { ...good(), view: { speed: 3 } },
    points: { ...good(), points: new Float32Array([1, 2, 3]) },
    history: { ...good(), history: { channels: ['a'], data: new Float32Array(3) } },
    epoch: { ...good(), epoch: NaN }, savedAt: { ...good(), savedAt: 'yesterday' },
  };
  for (const [reason, rec] of Object.entries(bad)) assert.deepEqual(checkRecord(rec), { ok: false, reason }, reason);
  assert.deepEqual(checkRecord(null), { ok: false, reason: 'record' });
  assert.deepEqual(checkRecord([1, 2]), { ok: false, reason: 'record' });
  assert.equal(checkRecord({ ...good(), bytes: new ArrayBuffer(10) }).ok, false, 'shorter than a header');
});

test('kept view settings are checked as a link would be', () => {
  // Out of range, not a number, unknown: left out (the view keeps its default).
  assert.deepEqual(cleanView({ speed: '9', v_field: 'false', lat_x: 'x', junk: '1', ia: '12' }), { v_field: 'false', ia: '12' });
  assert.deepEqual(cleanView(/** @type {any} */ (null)), {});
});

test('histories are trimmed, thinned and merged', () => {
  const h = (rows) => ({ channels: ['a', 'b'], data: new Float32Array(rows.flat()) });
  assert.deepEqual([...trimHistory(h([[1, 1, 1], [2, 2, 2], [3, 3, 3]]), 2).data], [1, 1, 1, 2, 2, 2]);
  assert.equal(trimHistory(null, 2), null);
  const long = h(Array.from({ length: 10 }, (_, i) => [i, i, 2 * i]));
  const thin = thinHistory(long, 4);
  assert.deepEqual([...thin.data], [1.5, 1.5, 3, 5.5, 5.5, 11]);   // 10 → 5 → 2 rows (pairs averaged)
  assert.equal(thinHistory(long, 10).data.length, 30);
  // The kept rows up to the resumed step, then the run's own after it.
  const base = h([[10, 1, 1], [20, 2, 2], [30, 3, 3]]);
  const own = h([[25, 9, 9], [31, 4, 4], [32, 5, 5]]);
  assert.deepEqual([...mergeHistory(base, 25, own).data], [10, 1, 1, 20, 2, 2, 31, 4, 4, 32, 5, 5]);
  assert.equal(mergeHistory(null, 25, own), own);
  assert.equal(mergeHistory({ channels: ['x'], data: new Float32Array(2) }, 25, own), own, 'other channels: own only');
});

test('storage that is missing or throws is refused at once', async () => {
  await assert.rejects(openDb(undefined), { reason: 'unavailable' });
  await assert.rejects(openDb(/** @type {any} */ ({ open() { throw new Error('SecurityError: denied'); } })), /denied/);
  // An open that never answers counts as blocked.
  await assert.rejects(openDb(/** @type {any} */ ({ open: () => ({}) }), 50), { reason: 'timeout' });
});

// A LockManager stand-in: `held` names are taken by other pages.
function fakeLocks(held = []) {
  const names = new Set(held);
  return /** @type {any} */ ({
    request(name, _opts, cb) {
      const free = !names.has(name);
      if (free) names.add(name);
      return Promise.resolve(cb(free ? { name } : null)).then(() => undefined);
    },
    query: async () => ({ held: [...names].map((name) => ({ name })) }),
    names,
  });
}
function fakeStorage(init = {}) {
  const m = new Map(Object.entries(init));
  return /** @type {any} */ ({ getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), m });
}

test('each tab keeps its own record: ids, live tabs, the order of offers and pruning', async () => {
  // A reloaded tab finds its id again and takes its lock.
  const st = fakeStorage({ [TAB_ID_ITEM]: 'abc' });
  const locks = fakeLocks();
  assert.equal(await claimTab({ locks, storage: st }), 'abc');
  assert.ok(locks.names.has(`${LOCK_PREFIX}abc`));
  // A duplicated tab (same sessionStorage, the lock taken by the original): a new id, remembered.
  const dup = fakeStorage({ [TAB_ID_ITEM]: 'abc' });
  const id2 = await claimTab({ locks, storage: dup });
  assert.notEqual(id2, 'abc');
  assert.equal(dup.m.get(TAB_ID_ITEM), id2);
  // A damaged id, no storage, no Web Locks: still an id.
  assert.match(await claimTab({ locks: undefined, storage: fakeStorage({ [TAB_ID_ITEM]: '../../x y' }) }), /^[\w-]+$/);
  assert.match(await claimTab({ locks: undefined, storage: null }), /^[\w-]+$/);
  // Live tabs' records, own excepted.
  const live = await liveKeys(fakeLocks([`${LOCK_PREFIX}a`, `${LOCK_PREFIX}me`, 'other-lock']), 'tab:me');
  assert.deepEqual([...live], ['tab:a']);
  assert.deepEqual([...(await liveKeys(undefined, 'tab:me'))], []);
  // Offers: newest first, never a live tab's.
  const e = (key, savedAt) => ({ key, record: { savedAt } });
  assert.deepEqual(offerOrder([e('tab:a', 5), e('tab:b', 9), e('current', 1), e('tab:c', 7)], new Set(['tab:b'])).map((x) => x.key),
    ['tab:c', 'tab:a', 'current']);
  // Pruning: the oldest go first, never this tab's or a live tab's, down to the limit.
  const stamps = new Map([['tab:me', 1], ['tab:live', 2], ['tab:x', 3], ['tab:y', 4], ['tab:z', 5], ['current', 0]]);
  assert.deepEqual(pruneKeys(stamps, 'tab:me', new Set(['tab:live']), 4).sort(), ['current', 'tab:x']);
  assert.deepEqual(pruneKeys(stamps, 'tab:me', new Set(), 10), []);
});

// ---------- the browser ----------

let RING8_GAN = '';
async function ring8() {
  if (RING8_GAN) return RING8_GAN;
  const M = await loadGenlab();
  const preset = M.presets().find((p) => p.name === 'ring8-gan');
  RING8_GAN = encodeHash({ settings: preset.settings }, M.schema());
  return RING8_GAN;
}

const profiles = [];
function newProfile() {
  const dir = mkdtempSync(path.join(tmpdir(), 'genlab-persist-'));
  profiles.push(dir);
  return dir;
}
test.after(() => { for (const p of profiles) rmSync(p, { recursive: true, force: true }); });

const launch = (profile, port = 0) => openBrowser({ csp: STRICT_CSP, profile, port });

async function open(b, hash = '', page = b.page) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b.url}index.html${hash}`);
  await ready(page);
  return page;
}
const ready = (page, timeout = 30000) =>
  page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout });
const persistState = (page) => page.evaluate(() => window.__genlab.persist());
const waitStorage = (page) => page.waitForFunction(() => window.__genlab.persist?.().enabled === true, null, { timeout: 10000 });
const step = (page) => page.evaluate(() => window.__genlab.step ?? 0);

// The newest record kept in this browser, read straight from IndexedDB (null: none). `only`:
// that store key's record instead.
function kept(page, only = null) {
  return page.evaluate((only) => new Promise((resolve, reject) => {
    const r = indexedDB.open('genlab');
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains('sessions')) {
        db.close();
        resolve(null);
        return;
      }
      const store = db.transaction('sessions').objectStore('sessions');
      const g = store.getAll();
      const k = store.getAllKeys();
      // Requests of one transaction complete in order: when the keys are in, the values are too.
      k.onsuccess = () => {
        try {  // a throw in here would otherwise leave the promise pending
          db.close();
          const all = g.result.map((v, i) => ({ key: k.result[i], v }))
            .filter((e) => (only === null ? String(e.key).startsWith('tab:') || e.key === 'current' : e.key === only));
          if (all.length === 0) {
            resolve(null);
            return;
          }
          const bad = all.find((e) => typeof e.v !== 'object' || !e.v.bytes);
          if (bad) {
            resolve({ raw: String(bad.v), key: bad.key });
            return;
          }
          const { key, v } = all.reduce((a, b) => (b.v.savedAt > a.v.savedAt ? b : a));
          // The page stores the model as a Blob (older pages: an ArrayBuffer).
          const bytes = v.bytes instanceof Blob ? v.bytes.arrayBuffer() : Promise.resolve(v.bytes);
          bytes.then((buf) => resolve({ key, count: all.length, step: v.step, bytes: Array.from(new Uint8Array(buf)), config: v.config,
            blob: v.bytes instanceof Blob, rows: v.history ? v.history.data.length / (1 + v.history.channels.length) : 0 }), reject);
        } catch (e) {
          reject(e);
        }
      };
      g.onerror = () => reject(g.error);
      k.onerror = () => reject(k.error);
    };
  }), only);
}
// Writes `value` as the kept record of this tab (a test's garbage), or under `key`.
function putRecord(page, value, key = null) {
  return page.evaluate(([v, key]) => new Promise((resolve, reject) => {
    const r = indexedDB.open('genlab');
    r.onsuccess = () => {
      const db = r.result;
      const rec = v.bytes ? { ...v, bytes: new Uint8Array(v.bytes).buffer } : v.value;
      const tx = db.transaction('sessions', 'readwrite');
      tx.objectStore('sessions').put(rec, key ?? `tab:${sessionStorage.getItem('genlab-tab')}`);
      tx.oncomplete = () => { db.close(); resolve(true); };
      tx.onabort = () => reject(tx.error);
    };
    r.onerror = () => reject(r.error);
  }), [value, key]);
}

const play = (page) => page.getByRole('button', { name: 'Play', exact: true }).click();
// Plays until more than `steps` steps, then pauses.
async function trainPast(page, steps) {
  await play(page);
  await page.waitForFunction((n) => window.__genlab.step > n, steps, { timeout: 15000 });
  await pause(page);
}
async function pause(page) {
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  // The page's flag turns at the click; the worker finishes its chunk first, and that chunk's
  // frame (a step or two on) can land after the page's save of the step before it.
  await page.waitForFunction(() => window.__genlab.playing === false && window.__genlab.workerPlaying === false);
}
const offer = (page) => page.locator('#notices .notice', { hasText: 'Your last session was kept' });
const noticeCount = (page, text) => page.locator('#notices .notice', { hasText: text }).count();
function assertNoErrors(b, label, allowed = []) {
  const left = b.errors.filter((e) => !allowed.some((re) => re.test(e)));
  assert.deepEqual(left, [], `${label}: no console errors, warnings or failed requests`);
}

test('close the browser mid-training, open it again: resume within the last save interval', { timeout: 150000 }, async () => {
  const hash = await ring8();
  const profile = newProfile();
  const b1 = await launch(profile);
  const port = Number(new URL(b1.url).port);
  let b2;
  try {
    const page = await open(b1, hash);
    await waitStorage(page);
    assert.equal(await offer(page).count(), 0, 'nothing kept yet: no offer');
    await play(page);
    const t0 = Date.now();
    await page.waitForTimeout(8000);
    const savedBefore = await kept(page);
    const atClose = await step(page);
    const rate = atClose / ((Date.now() - t0) / 1000);
    assert.ok(savedBefore?.step > 0, 'a checkpoint was kept while training');
    assert.ok(savedBefore.rows > 10, `the loss history is kept with it (${savedBefore.rows} rows)`);
    assert.equal(savedBefore.blob, true, 'the model is stored as a Blob (serialised off the main thread)');
    assertNoErrors(b1, 'first visit');
    await b1.close();   // mid-training, as a user closing the window

    b2 = await launch(profile, port);
    const again = await open(b2);
    await offer(again).waitFor({ timeout: 10000 });
    const text = await offer(again).textContent();
    assert.match(text, /GAN .* on 8 Gaussians in a ring, step \d+/);
    const keptNow = await kept(again);
    assert.ok(keptNow.step >= savedBefore.step, 'the kept step did not go back');
    assert.equal((await persistState(again)).hold, true, 'nothing is written while the offer waits');
    await again.screenshot({ path: path.join(ARTIFACTS, 'persist-offer.png') });
    await again.getByRole('button', { name: 'Resume', exact: true }).click();
    const resumedNotice = again.locator('#notices .notice', { hasText: /Session resumed at step \d+/ });
    await resumedNotice.waitFor({ timeout: 15000 });
    const resumed = Number((await resumedNotice.textContent()).match(/step (\d+)/)[1]);
    await again.waitForFunction((s) => window.__genlab.step === s, resumed, { timeout: 10000 });
    assert.equal(resumed, keptNow.step);
    assert.ok(resumed >= savedBefore.step, `resumed at ${resumed} ≥ the last save read before closing (${savedBefore.step})`);
    const interval = rate * (CHECKPOINT_EVERY_MS / 1000) * 1.3 + 50;
    assert.ok(atClose - resumed <= interval,
      `resumed at ${resumed}, closed at ${atClose}: within one save interval (${Math.round(interval)} steps at ${Math.round(rate)}/s)`);
    assert.equal(await again.evaluate(() => window.__genlab.config.model), 'gan');
    // The loss chart has the kept history (the core's loaded model starts an empty one).
    const h = await again.evaluate(() => window.__genlab.history());
    const stride = 1 + h.channels.length;
    const steps = h.data.filter((_, i) => i % stride === 0);
    assert.ok(steps.length >= 10 && steps[0] < resumed / 4 && steps.at(-1) <= resumed,
      `kept history in the chart: ${steps.length} rows from step ${steps[0]} to ${steps.at(-1)}`);
    const samplesResumed = await again.evaluate(() => window.__genlab.samples());
    await again.screenshot({ path: path.join(ARTIFACTS, 'persist-resumed.png') });

    // Training goes on from there: the chart continues, and a pause keeps the new step.
    await play(again);
    await again.waitForFunction((s) => window.__genlab.step > s + 100, resumed, { timeout: 15000 });
    await pause(again);
    // Once still, the page asks the worker for the paused model and keeps it.
    await again.waitForFunction(() => window.__genlab.persist().keptStep === window.__genlab.step &&
      !window.__genlab.persist().writing, null, { timeout: 10000 });
    const m = await step(again);
    const h2 = await again.evaluate(() => window.__genlab.history());
    const steps2 = h2.data.filter((_, i) => i % stride === 0);
    assert.ok(steps2[0] < resumed / 4 && steps2.some((s) => s > resumed), 'the chart runs from before the resume to after it');
    for (let i = 1; i < steps2.length; i++) assert.ok(steps2[i] > steps2[i - 1], 'history steps increase');
    assert.equal((await kept(again)).step, m, 'after a pause the page keeps the paused step');

    // The resumed model is exactly the kept bytes: loading them as a file gives the same samples.
    const file = path.join(ARTIFACTS, 'persist-kept.genlab');
    writeFileSync(file, Buffer.from(keptNow.bytes));
    await again.getByLabel('Load model').setInputFiles(file);
    await again.locator('#files-msg', { hasText: 'Loaded a model' }).waitFor();
    await again.waitForFunction((want) => {
      const s = window.__genlab.samples();
      return window.__genlab.step === want.step && s && s.length === want.s.length && s.every((v, i) => v === want.s[i]);
    }, { s: samplesResumed, step: resumed }, { timeout: 10000 });
    assertNoErrors(b2, 'resumed visit');
  } finally {
    await b2?.close();
  }
});

test('a crashed renderer loses at most one save interval', { timeout: 150000 }, async () => {
  const hash = await ring8();
  const b = await launch(newProfile());
  try {
    const page = await open(b, hash);
    await waitStorage(page);
    await play(page);
    const t0 = Date.now();
    await page.waitForFunction(() => window.__genlab.persist().keptStep > 0, null, { timeout: 15000 });
    await page.waitForTimeout(1500);
    const saved = await kept(page);
    const atCrash = await step(page);
    const rate = atCrash / ((Date.now() - t0) / 1000);
    assert.ok(saved.step > 0);
    const cdp = await page.context().newCDPSession(page);
    // The renderer dies (no pagehide, no goodbye); the command itself never gets an answer.
    const crashed = page.waitForEvent('crash', { timeout: 10000 });
    cdp.send('Page.crash').catch(() => {});
    await crashed;
    const fresh = await b.ctx.newPage();
    b.watch(fresh);
    await open(b, '', fresh);
    await offer(fresh).waitFor({ timeout: 10000 });
    await fresh.getByRole('button', { name: 'Resume', exact: true }).click();
    const resumedNotice = fresh.locator('#notices .notice', { hasText: /Session resumed at step \d+/ });
    await resumedNotice.waitFor({ timeout: 15000 });
    const resumed = Number((await resumedNotice.textContent()).match(/step (\d+)/)[1]);
    assert.ok(resumed >= saved.step, `resumed at ${resumed}, kept ${saved.step} before the crash`);
    const interval = rate * (CHECKPOINT_EVERY_MS / 1000) * 1.3 + 50;
    assert.ok(atCrash - resumed <= interval, `resumed at ${resumed}, crashed at ${atCrash}: within one save interval`);
    await fresh.waitForFunction((s) => window.__genlab.step === s, resumed, { timeout: 10000 });
    assertNoErrors(b, 'crash');
  } finally {
    await b.close();
  }
});

test('a damaged kept session gives a notice, is removed, and the page trains', { timeout: 150000 }, async () => {
  const hash = await ring8();
  const b = await launch(newProfile());
  try {
    const page = await open(b, hash);
    await waitStorage(page);
    // Not a record at all.
    await putRecord(page, { value: 'garbage \u0000\u00ff' });
    await page.reload();
    await ready(page);
    const corrupt = page.locator('#notices .notice', { hasText: 'could not be read' });
    await corrupt.waitFor({ timeout: 10000 });
    assert.equal(await offer(page).count(), 0);
    assert.equal(await kept(page), null, 'the damaged record was removed');
    await trainPast(page, 200);
    await page.waitForFunction(() => window.__genlab.persist().keptStep > 200, null, { timeout: 10000 });

    // A well-formed record whose model file is damaged: the worker refuses it on Resume.
    const real = await kept(page);
    const bytes = real.bytes.slice();
    bytes[bytes.length >> 1] ^= 0xff;
    await putRecord(page, { v: 1, savedAt: Date.now(), step: real.step, bytes, config: real.config, view: {}, points: null, history: null, epoch: 0 });
    await page.reload();
    await ready(page);
    await offer(page).waitFor({ timeout: 10000 });
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    const damaged = page.locator('#notices .notice', { hasText: /could not be loaded \(.*checksum/ });
    await damaged.waitFor({ timeout: 10000 });
    await page.waitForFunction(() => window.__genlab.persist().hold === false);
    assert.equal(await kept(page), null, 'the damaged record was removed');
    assert.equal(await step(page), 0, 'the page goes on with its fresh run');
    await trainPast(page, 200);
    await page.screenshot({ path: path.join(ARTIFACTS, 'persist-damaged.png') });
    assertNoErrors(b, 'damaged');
  } finally {
    await b.close();
  }
});

test('Discard removes the kept session and keeps the new run', { timeout: 150000 }, async () => {
  const hash = await ring8();
  const b = await launch(newProfile());
  try {
    const page = await open(b, hash);
    await waitStorage(page);
    await trainPast(page, 300);
    await page.waitForFunction(() => window.__genlab.persist().keptStep > 300, null, { timeout: 10000 });
    await page.reload();
    await ready(page);
    await offer(page).waitFor({ timeout: 10000 });
    await page.getByRole('button', { name: 'Discard', exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('#notices')?.textContent.includes('Your last session'));
    await page.waitForFunction(() => window.__genlab.persist().hold === false);
    assert.equal(await kept(page), null, 'Discard removed the kept session');
    // The page keeps its own run from now on.
    await trainPast(page, 100);
    await page.waitForFunction(() => window.__genlab.persist().keptStep === window.__genlab.step &&
      !window.__genlab.persist().writing, null, { timeout: 10000 });
    assert.equal((await kept(page)).step, await step(page));
    assertNoErrors(b, 'discard');
  } finally {
    await b.close();
  }
});

test('blocked storage: the page loads, trains, and says once that the session cannot be kept', { timeout: 150000 }, async () => {
  const hash = await ring8();
  const b = await launch(newProfile());
  try {
    await b.page.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', {
        configurable: true,
        get() { return { open() { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); } }; },
      });
    });
    const page = await open(b, hash);
    const blocked = 'does not let the page keep your session';
    await page.locator('#notices .notice', { hasText: blocked }).waitFor({ timeout: 10000 });
    await play(page);
    await page.waitForTimeout(CHECKPOINT_EVERY_MS + 1500);
    await pause(page);
    assert.ok(await step(page) > 200, 'trained');
    await page.waitForTimeout(1500);   // a paused save would be asked for by now
    assert.equal(await noticeCount(page, blocked), 1, 'said once');
    assert.equal((await persistState(page)).enabled, false);
    assertNoErrors(b, 'blocked');

    // indexedDB missing altogether (some embedded browsers).
    const other = await b.ctx.newPage();
    b.watch(other);
    await other.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { configurable: true, get: () => undefined }); });
    await open(b, hash, other);
    await other.locator('#notices .notice', { hasText: blocked }).waitFor({ timeout: 10000 });
    await play(other);
    await other.waitForFunction(() => window.__genlab.step > 100, null, { timeout: 15000 });
    await pause(other);
    assertNoErrors(b, 'no indexedDB');
  } finally {
    await b.close();
  }
});

test('a full quota gives one notice and training goes on', { timeout: 150000 }, async () => {
  const hash = await ring8();
  const b = await launch(newProfile());
  try {
    await b.page.addInitScript(() => {
      IDBObjectStore.prototype.put = function put() {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    const page = await open(b, hash);
    await waitStorage(page);
    const full = 'storage for this page is full';
    await play(page);
    await page.locator('#notices .notice', { hasText: full }).waitFor({ timeout: CHECKPOINT_EVERY_MS + 8000 });
    const at = await step(page);
    await page.waitForFunction((s) => window.__genlab.step > s + 200, at, { timeout: 15000 });
    await page.waitForTimeout(CHECKPOINT_EVERY_MS + 500);   // another checkpoint: no second notice
    await pause(page);
    await page.waitForTimeout(1500);
    assert.equal(await noticeCount(page, full), 1, 'said once');
    assert.equal(await kept(page), null, 'nothing was written');
    await page.screenshot({ path: path.join(ARTIFACTS, 'persist-quota.png') });
    assertNoErrors(b, 'quota');
  } finally {
    await b.close();
  }
});

test('two tabs train at once without overwriting each other; a closed tab\'s session is offered, an open one\'s is not', { timeout: 180000 }, async () => {
  const hash = await ring8();
  const b = await launch(newProfile());
  try {
    const tabA = await open(b, hash);
    await waitStorage(tabA);
    const tabB = await b.ctx.newPage();
    b.watch(tabB);
    await open(b, hash, tabB);
    await waitStorage(tabB);
    const keyOf = (p) => p.evaluate(() => `tab:${sessionStorage.getItem('genlab-tab')}`);
    const [keyA, keyB] = [await keyOf(tabA), await keyOf(tabB)];
    assert.notEqual(keyA, keyB, 'each tab has its own key');
    // Both train; each one's pause keeps its own step under its own key.
    await play(tabA);
    await play(tabB);
    await tabA.waitForFunction(() => window.__genlab.step > 300, null, { timeout: 20000 });
    await tabB.waitForFunction(() => window.__genlab.step > 300, null, { timeout: 20000 });
    await pause(tabA);
    await pause(tabB);
    for (const p of [tabA, tabB])
      await p.waitForFunction(() => window.__genlab.persist().keptStep === window.__genlab.step && !window.__genlab.persist().writing,
        null, { timeout: 10000 });
    const [stepA, stepB] = [await step(tabA), await step(tabB)];
    assert.equal((await kept(tabA, keyA)).step, stepA, 'A kept its own run');
    assert.equal((await kept(tabA, keyB)).step, stepB, 'B kept its own run, not overwritten by A');

    // A third tab while both are open: nothing is offered (both sessions belong to open tabs).
    const tabC = await b.ctx.newPage();
    b.watch(tabC);
    await open(b, hash, tabC);
    await tabC.waitForFunction(() => window.__genlab.persist?.().enabled === true && window.__genlab.persist().hold === false,
      null, { timeout: 10000 });
    assert.equal(await offer(tabC).count(), 0, 'no offer of an open tab\'s session');
    await tabC.close();

    // Close A: a new tab is offered A's session (B is still open), resumes it at A's step, and
    // the record moves to the new tab's key.
    await tabA.close();
    const tabD = await b.ctx.newPage();
    b.watch(tabD);
    await open(b, '', tabD);
    await offer(tabD).waitFor({ timeout: 10000 });
    assert.match(await offer(tabD).textContent(), new RegExp(`step ${stepA}\\b`));
    await tabD.getByRole('button', { name: 'Resume', exact: true }).click();
    await tabD.waitForFunction((s) => window.__genlab.step === s, stepA, { timeout: 15000 });
    const keyD = await keyOf(tabD);
    await tabD.waitForFunction(() => new Promise((resolve) => {
      const r = indexedDB.open('genlab');
      r.onsuccess = () => {
        const g = r.result.transaction('sessions').objectStore('sessions').getAllKeys();
        g.onsuccess = () => { r.result.close(); resolve(g.result.length === 2); };
      };
    }), null, { timeout: 10000 });
    assert.equal(await kept(tabD, keyA), null, 'the closed tab\'s record moved');
    assert.equal((await kept(tabD, keyD)).step, stepA, 'to the tab that resumed it');
    assert.equal((await kept(tabD, keyB)).step, stepB, 'B\'s record untouched');
    assertNoErrors(b, 'two tabs');
  } finally {
    await b.close();
  }
});

test('a session kept by an older page (one record for the site) is offered, and moves to the tab on Resume', { timeout: 150000 }, async () => {
  const hash = await ring8();
  const b = await launch(newProfile());
  try {
    const page = await open(b, hash);
    await waitStorage(page);
    await trainPast(page, 200);
    await page.waitForFunction(() => window.__genlab.persist().keptStep === window.__genlab.step && !window.__genlab.persist().writing,
      null, { timeout: 10000 });
    const real = await kept(page);
    // The same record under the old single key, the tab's own removed.
    await putRecord(page, { v: 1, savedAt: Date.now(), step: real.step, bytes: real.bytes, config: real.config, view: {}, points: null,
      history: null, epoch: 0 }, 'current');
    await page.evaluate((k) => new Promise((resolve) => {
      const r = indexedDB.open('genlab');
      r.onsuccess = () => {
        const tx = r.result.transaction('sessions', 'readwrite');
        tx.objectStore('sessions').delete(k);
        tx.oncomplete = () => { r.result.close(); resolve(true); };
      };
    }), real.key);
    await page.reload();
    await ready(page);
    await offer(page).waitFor({ timeout: 10000 });
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.waitForFunction((s) => window.__genlab.step === s, real.step, { timeout: 15000 });
    await page.waitForFunction(() => new Promise((resolve) => {
      const r = indexedDB.open('genlab');
      r.onsuccess = () => {
        const g = r.result.transaction('sessions').objectStore('sessions').getAllKeys();
        g.onsuccess = () => { r.result.close(); resolve(g.result.length === 1 && String(g.result[0]).startsWith('tab:')); };
      };
    }), null, { timeout: 10000 });
    assert.equal((await kept(page)).step, real.step);
    assertNoErrors(b, 'legacy record');
  } finally {
    await b.close();
  }
});
