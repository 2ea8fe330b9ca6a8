// Sessions survive the tab: the running session (the model file — weights, optimizer state and
// step —, its settings, the loss history, the view settings and the user's drawn points) is kept
// in the browser's IndexedDB. It is written when the worker sends a checkpoint (every few seconds
// of training), shortly after training pauses or single steps, and on pagehide / a hidden tab;
// reopening the page offers to resume it. Only the page thread writes, at most one write is in
// flight, and nothing is written when nothing changed. Each tab keeps its own record, and the
// records of tabs still open are not offered elsewhere (persist_store.js); with several kept,
// the newest is offered first and Discard offers the next.
//
// Nothing here may stop the page: blocked storage (private windows, indexedDB missing or
// throwing), a full quota and a damaged record each give one notice from the catalog and the page
// trains on. Embedded pages (course snippets) neither offer nor keep sessions: several of them
// share one origin and would overwrite each other.
//
// The core's model file holds the step, the loss history and the epoch (src/genlab/io/README.md),
// but files saved by an older GenLab lack the last two and load with an empty history and epoch 0.
// So the history kept here is also put back on the page side: frames of the resumed run get the
// kept history in front of their own (mergeHistory: the rows up to the resumed step are the kept
// ones either way), and, when the loaded model brought no epoch, their epoch counted from the kept one.
import { currentLang, loadSection, onLanguageChange, setText, t } from './i18n.js';
import { VIEW_FIELDS, normalizeValue } from './state.js';
import {
  KEY_PREFIX, claimTab, deleteRecord, isQuota, isSessionKey, listKeys, liveKeys, offerOrder, openDb, pruneKeys,
  readRecord, writeRecord,
} from './persist_store.js';

export { openDb };

export const RECORD_VERSION = 1;
export const HISTORY_KEEP = 2048;          // rows of loss history kept (as the core keeps at most)
export const PAUSED_SAVE_DELAY_MS = 800;   // after a pause or single steps, ask the worker for the model
const MAX_MODEL_BYTES = 256168700;         // the model file's own limit (src/genlab/io)

/**
 * @typedef {{ channels: string[], data: Float32Array }} History
 * @typedef {{ v: number, savedAt: number, step: number, bytes: ArrayBuffer, config: Record<string, string>,
 *   view: Record<string, string>, points: Float32Array | null, history: History | null, epoch: number }} SessionRecord
 */

// ---------- pure helpers (node's tests import them) ----------

const isStringMap = (o) => o !== null && typeof o === 'object' && !Array.isArray(o) &&
  Object.entries(o).every(([k, v]) => typeof k === 'string' && typeof v === 'string' && v.length <= 256);

/**
 * Checks a record read from storage. Anything may be there (another version of the page, a
 * damaged database, a user's experiment): returns { ok: true, record } with the bytes as an
 * ArrayBuffer, or { ok: false, reason } naming the first field that is wrong.
 * @param {any} rec
 * @returns {{ ok: true, record: SessionRecord } | { ok: false, reason: string }}
 */
export function checkRecord(rec) {
  const bad = (reason) => /** @type {{ ok: false, reason: string }} */ ({ ok: false, reason });
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return bad('record');
  if (rec.v !== RECORD_VERSION) return bad('version');
  let bytes = rec.bytes;
  if (ArrayBuffer.isView(bytes)) bytes = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (!(bytes instanceof ArrayBuffer) || bytes.byteLength < 24 || bytes.byteLength > MAX_MODEL_BYTES) return bad('bytes');
  const head = new Uint8Array(bytes, 0, 4);
  if (String.fromCharCode(...head) !== 'GLMF') return bad('bytes');
  if (!Number.isSafeInteger(rec.step) || rec.step < 0) return bad('step');
  if (!isStringMap(rec.config) || !rec.config.model || !rec.config.dataset) return bad('config');
  if (rec.view !== undefined && !isStringMap(rec.view)) return bad('view');
  const points = rec.points ?? null;
  if (points !== null && (!(points instanceof Float32Array) || points.length % 2 !== 0 || !points.every(Number.isFinite))) return bad('points');
  const h = rec.history ?? null;
  if (h !== null) {
    const k = Array.isArray(h.channels) ? h.channels.length : -1;
    if (k < 1 || k > 16 || !h.channels.every((c) => typeof c === 'string') || !(h.data instanceof Float32Array) ||
        h.data.length % (1 + k) !== 0) return bad('history');
  }
  const epoch = rec.epoch ?? 0;
  if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) return bad('epoch');
  if (typeof rec.savedAt !== 'number' || !Number.isFinite(rec.savedAt)) return bad('savedAt');
  return {
    ok: true,
    record: { v: rec.v, savedAt: rec.savedAt, step: rec.step, bytes, config: { ...rec.config }, view: cleanView(rec.view ?? {}),
      points, history: h && { channels: [...h.channels], data: h.data }, epoch },
  };
}

/**
 * The view settings of a kept record that the page knows, each checked as a link's would be
 * (anything else takes its default).
 * @param {Record<string, string>} view
 */
export function cleanView(view) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const f of VIEW_FIELDS) {
    const raw = view?.[f.key];
    if (typeof raw !== 'string') continue;
    const r = normalizeValue(f, raw);
    if (!r.notice && typeof r.value === 'string') out[f.key] = r.value;
  }
  return out;
}

/**
 * The rows of a history (step first, then one value per channel) up to and including `maxStep`.
 * @param {History | null} h @param {number} maxStep @returns {History | null}
 */
export function trimHistory(h, maxStep) {
  if (!h) return null;
  const stride = 1 + h.channels.length;
  let rows = Math.floor(h.data.length / stride);
  while (rows > 0 && h.data[(rows - 1) * stride] > maxStep) rows--;
  return { channels: [...h.channels], data: h.data.slice(0, rows * stride) };
}

/**
 * At most `maxRows` rows: neighbouring pairs are averaged (as the core thins its own history)
 * until it fits. @param {History | null} h @param {number} [maxRows]
 */
export function thinHistory(h, maxRows = HISTORY_KEEP) {
  if (!h) return null;
  const stride = 1 + h.channels.length;
  let data = h.data;
  let rows = Math.floor(data.length / stride);
  while (rows > maxRows) {
    const half = Math.floor(rows / 2);
    const next = new Float32Array(half * stride);
    for (let i = 0; i < half; i++)
      for (let c = 0; c < stride; c++) next[i * stride + c] = (data[2 * i * stride + c] + data[(2 * i + 1) * stride + c]) / 2;
    data = next;
    rows = half;
  }
  return { channels: [...h.channels], data };
}

/**
 * A resumed run's history: the kept rows (up to the step it resumed from) in front of the
 * run's own (those after it). Different channels (another model kind): the run's own only.
 * @param {History | null} base @param {number} upto @param {History | null} own
 */
export function mergeHistory(base, upto, own) {
  if (!base || !own || base.channels.join(',') !== own.channels.join(',')) return own;
  const stride = 1 + own.channels.length;
  const front = trimHistory(base, upto).data;
  let start = 0;
  while (start < own.data.length && own.data[start] <= upto) start += stride;
  const data = new Float32Array(front.length + own.data.length - start);
  data.set(front, 0);
  data.set(own.data.subarray(start), front.length);
  return { channels: own.channels, data };
}

// ---------- the page's side ----------

/**
 * opts:
 *   notices            the page's notices (show, clear)
 *   snapshot()         → { embed, config, configVersion, view, points, history, epoch, playing, step }
 *   requestSave()      asks the worker for the model's bytes now (answered through saved())
 *   resume(record)     puts a kept session back: view, points, data, then loads the bytes (its
 *                      answer comes through resumed() or loadFailed())
 *   idb                the IDBFactory (default: the browser's; tests may pass a stub)
 *   locks              the LockManager telling which tabs are open (default: navigator.locks)
 */
export function createPersist(opts) {
  const { notices } = opts;
  /** @type {IDBDatabase | null} */
  let db = null;
  let enabled = false;          // storage works and this page keeps its session
  let hold = false;             // a kept session waits for Resume / Discard: write nothing
  /** @type {SessionRecord | null} */
  let offered = null;
  // The newest model the page knows of: from a checkpoint (a Blob the worker made) or a save / a
  // kept record (bytes).
  /** @type {{ bytes: ArrayBuffer | Blob, step: number, version: number, config: Record<string, string>, history: History | null, epoch: number } | null} */
  let latest = null;
  let lastSig = '';
  let keptStep = -1;            // the step of the last record written
  let writing = false;
  let again = false;
  let saveTimer = 0;
  /** @type {{ version: number, upto: number, history: History | null, epoch: number } | null} */
  let base = null;              // the kept history and epoch in front of a resumed run's own
  /** @type {{ step: number, history: History | null, epoch: number } | null} */
  let lastCheckpoint = null;    // for a crashed worker's restore: its history up to the checkpoint
  let ownKey = '';              // this tab's record (persist_store.js: one record per tab)
  let offeredKey = '';          // the key of the record on offer
  /** @type {{ key: string, record: SessionRecord }[]} */
  let queue = [];               // further kept sessions, offered after a Discard
  let pruned = false;
  const locks = opts.locks === undefined ? globalThis.navigator?.locks : opts.locks;
  const pointIds = new WeakMap();
  let nextPointId = 1;

  const pointsId = (p) => {
    if (!p) return 0;
    if (!pointIds.has(p)) pointIds.set(p, nextPointId++);
    return pointIds.get(p);
  };

  function paragraph(el) {
    return /** @type {HTMLElement} */ (el.querySelector('p'));
  }
  // A notice worded from the catalog (and re-worded on a language switch).
  function say(key, params, kind, id = 'persist') {
    const el = notices.show(t(key, params), { kind, key: id });
    setText(paragraph(el), key, params);
    return el;
  }

  function stop(key, params = undefined) {
    enabled = false;
    clearTimeout(saveTimer);
    say(key, params, 'warn', 'persist-store');
  }

  // ---- writing ----

  function buildRecord() {
    const s = opts.snapshot();
    if (!latest || !s.config || latest.version !== s.configVersion) return null;
    if (latest.step === 0 && s.config.dataset !== 'points') return null;   // nothing to lose yet
    /** @type {Omit<SessionRecord, 'bytes'> & { bytes: Blob }} */   // as stored (read back as an ArrayBuffer)
    const rec = {
      // As a Blob (the worker's checkpoints come as one): the browser stores its bytes off the main
      // thread; an ArrayBuffer of a large model (16 MB for the MNIST VAE with Adam) was serialised
      // on it, a 100 ms task every checkpoint.
      v: RECORD_VERSION, savedAt: Date.now(), step: latest.step, bytes: latest.bytes instanceof Blob ? latest.bytes : new Blob([latest.bytes]),
      config: { ...latest.config },
      view: { ...s.view }, points: s.points ?? null, history: latest.history, epoch: latest.epoch,
    };
    const sig = `${latest.version}|${latest.step}|${JSON.stringify(rec.view)}|${pointsId(rec.points)}`;
    return { rec, sig };
  }

  async function write() {
    if (!enabled || hold || !db) return;
    if (writing) {
      again = true;
      return;
    }
    const built = buildRecord();
    if (!built || built.sig === lastSig) return;
    writing = true;
    try {
      await writeRecord(db, ownKey, built.rec);
      lastSig = built.sig;
      keptStep = built.rec.step;
      if (!pruned) {
        pruned = true;
        prune();
      }
    } catch (e) {
      if (isQuota(e)) stop('persist.quota');
      else stop('persist.write_failed', { message: e?.message ?? String(e) });
    } finally {
      writing = false;
    }
    if (again) {
      again = false;
      write();
    }
  }

  // The history and epoch of the run as the page shows it, up to `step`.
  function shown(step) {
    const s = opts.snapshot();
    return { history: trimHistory(s.history, step), epoch: Number.isFinite(s.epoch) ? s.epoch : 0 };
  }

  function scheduleSave() {
    clearTimeout(saveTimer);
    if (!enabled || hold) return;
    saveTimer = /** @type {any} */ (setTimeout(() => {
      const s = opts.snapshot();
      if (enabled && !hold && s.config && !s.playing) opts.requestSave();
    }, PAUSED_SAVE_DELAY_MS));
  }

  // ---- reading, the offer ----

  // The offer's words: names and the date in the current language (again after a switch).
  function offerParams(rec) {
    const when = new Date(rec.savedAt).toLocaleString(currentLang() === 'zh' ? 'zh-CN' : 'en',
      { dateStyle: 'medium', timeStyle: 'short' });
    return { model: t(`model.${rec.config.model}`), dataset: t(`dataset.${rec.config.dataset}`), step: rec.step, when };
  }

  /** @type {HTMLElement | null} */
  let offerEl = null;
  function showOffer(rec) {
    const el = say('persist.offer', offerParams(rec), 'info');
    offerEl = el;
    el.classList.add('notice-persist');
    if (queue.length > 0) {
      const more = setText(document.createElement('p'), 'persist.more', { n: queue.length });
      more.className = 'persist-more';
      Object.assign(more.style, { flexBasis: '100%', order: '1', margin: '0' });
      el.append(more);
    }
    const actions = document.createElement('span');
    actions.className = 'persist-actions';
    Object.assign(actions.style, { display: 'flex', gap: '8px', flexWrap: 'wrap', flexBasis: '100%', order: '2' });
    const resumeBtn = setText(document.createElement('button'), 'persist.resume');
    resumeBtn.type = 'button';
    resumeBtn.className = 'btn btn-small btn-play';
    const discardBtn = setText(document.createElement('button'), 'persist.discard');
    discardBtn.type = 'button';
    discardBtn.className = 'btn btn-small';
    actions.append(resumeBtn, discardBtn);
    el.style.flexWrap = 'wrap';
    el.append(actions);
    resumeBtn.addEventListener('click', () => resume());
    discardBtn.addEventListener('click', () => discard());
    // Closing the notice is no answer: the session stays kept and is offered again next time.
  }
  onLanguageChange(() => {
    if (offered && offerEl?.isConnected) setText(paragraph(offerEl), 'persist.offer', offerParams(offered));
  });

  async function resume() {
    const rec = offered;
    if (!rec) return;
    say('persist.resuming', undefined, 'info');
    try {
      await opts.resume(rec);
    } catch (e) {
      showOffer(rec);
      say('persist.resume_failed', { message: e?.message ?? String(e) }, 'error', 'persist-error');
    }
  }

  // The next kept session on offer, or none: then this tab's own run is kept from now on.
  function offerNext() {
    const next = queue.shift();
    if (!next) {
      offered = null;
      offeredKey = '';
      hold = false;
      notices.clear('persist');
      write();
      return;
    }
    offered = next.record;
    offeredKey = next.key;
    hold = true;
    showOffer(offered);
  }

  async function discard() {
    const key = offeredKey;
    try {
      if (db && key) await deleteRecord(db, key);
    } catch (e) {
      queue = [];
      offerNext();
      stop('persist.write_failed', { message: e?.message ?? String(e) });
      return;
    }
    offerNext();
  }

  // A record that cannot be used: one notice, the record removed, the next one offered.
  async function removeDamaged(key, params, storeKey) {
    say(key, params, 'warn', 'persist-damaged');
    try {
      if (db && storeKey) await deleteRecord(db, storeKey);
    } catch {
      // the notice already says it is unusable; a failing delete changes nothing for the page
    }
  }

  // At most MAX_KEPT records stay in the store (the oldest of other, closed tabs go).
  async function prune() {
    try {
      if (!db) return;
      const keys = (await listKeys(db)).filter(isSessionKey);
      if (keys.length <= 1) return;
      const live = await liveKeys(locks, ownKey);
      /** @type {Map<string, number>} */
      const stamps = new Map();
      for (const k of keys) {
        let at = 0;
        try { at = Number((await readRecord(db, k))?.savedAt) || 0; } catch { at = 0; }
        stamps.set(String(k), at);
      }
      for (const k of pruneKeys(stamps, ownKey, live)) await deleteRecord(db, k);
    } catch {
      // pruning is housekeeping: a failure leaves one record too many, nothing more
    }
  }

  function flush() {
    if (enabled && !hold) write();
  }

  return {
    // At start (after the first configure was asked for): open storage, check what is kept and
    // offer it. Never throws; the page does not wait for it.
    async offer() {
      try {
        if (opts.snapshot().embed) return;
        await loadSection('persist').catch(() => {});
        try {
          db = await openDb(opts.idb === undefined ? globalThis.indexedDB : opts.idb);
        } catch {
          stop('persist.blocked');
          return;
        }
        ownKey = KEY_PREFIX + await claimTab({ locks, storage: sessionStore() });
        hold = true;            // until what is kept has been read (this tab's own record among it)
        enabled = true;
        addEventListener('pagehide', flush);
        document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
        let keys;
        try {
          keys = (await listKeys(db)).filter(isSessionKey);
        } catch {
          hold = false;
          await removeDamaged('persist.corrupt', undefined, null);
          return;
        }
        // Sessions of tabs open now are theirs: not offered here (they keep writing them).
        const live = await liveKeys(locks, ownKey);
        /** @type {{ key: string, record: SessionRecord }[]} */
        const entries = [];
        let damaged = [];
        for (const key of keys) {
          if (live.has(String(key))) continue;
          let raw;
          try {
            raw = await readRecord(db, key);
            if (raw?.bytes instanceof Blob) raw = { ...raw, bytes: await raw.bytes.arrayBuffer() };
          } catch {
            raw = null;
          }
          const checked = checkRecord(raw);
          if (checked.ok) entries.push({ key: String(key), record: checked.record });
          else damaged.push(key);
        }
        if (damaged.length > 0) {
          say('persist.corrupt', undefined, 'warn', 'persist-damaged');
          for (const key of damaged) await deleteRecord(db, key).catch(() => {});
        }
        queue = offerOrder(entries, live);
        if (queue.length > 0) offerNext();
        else hold = false;
      } catch (e) {
        // Whatever went wrong, the page trains on without keeping the session.
        stop('persist.write_failed', { message: e?.message ?? String(e) });
      }
    },

    // MSG.CHECKPOINT of the running configuration: {bytes, step}.
    checkpoint(m) {
      const s = opts.snapshot();
      const { history, epoch } = shown(m.step);
      lastCheckpoint = { step: m.step, history, epoch };
      if (!enabled || !s.config) return;
      latest = { bytes: m.blob instanceof Blob ? m.blob : toBuffer(m.bytes), step: m.step, version: s.configVersion,
        config: { ...s.config }, history, epoch };
      write();
    },

    // The worker's answer to requestSave(): {bytes, config, step}; `version` is the configuration
    // it was asked for.
    saved(m, version) {
      const s = opts.snapshot();
      if (!enabled || version !== s.configVersion) return;
      const { history, epoch } = shown(m.step);
      latest = { bytes: toBuffer(m.bytes), step: m.step, version, config: { ...m.config }, history, epoch };
      write();
    },

    // A model was loaded (why: 'resume' — the kept session; 'restore' — a restarted worker's
    // checkpoint; 'load' — a file). m: the worker's `loaded` {config, configVersion, step, epoch}.
    loaded(m, why) {
      base = null;
      if (why === 'resume' && offered) {
        const rec = offered;
        const from = offeredKey;
        offered = null;
        offeredKey = '';
        queue = [];             // others stay kept, offered on a later visit
        hold = false;
        // The model's own epoch (a file with one) or, from an older file, the record's.
        base = { version: m.configVersion, upto: m.step, history: thinHistory(rec.history), epoch: m.epoch > 0 ? 0 : rec.epoch };
        latest = { bytes: rec.bytes, step: m.step, version: m.configVersion, config: { ...m.config }, history: base.history, epoch: rec.epoch };
        lastSig = `${m.configVersion}|${m.step}|${JSON.stringify(opts.snapshot().view)}|${pointsId(opts.snapshot().points)}`;
        keptStep = m.step;
        // From now on this tab keeps the session, under its own key: the record moves there.
        if (db && from !== ownKey) {
          const store = db;
          writeRecord(store, ownKey, { ...rec, savedAt: Date.now() })
            .then(() => deleteRecord(store, from))
            .catch((e) => { if (isQuota(e)) stop('persist.quota'); });
        }
        say('persist.resumed', { step: m.step }, 'info');
      } else if (why === 'restore' && lastCheckpoint && lastCheckpoint.step === m.step) {
        base = { version: m.configVersion, upto: m.step, history: lastCheckpoint.history, epoch: m.epoch > 0 ? 0 : lastCheckpoint.epoch };
      }
    },

    // The kept session's bytes were refused by the worker (damaged, or from another GenLab).
    loadFailed(m) {
      if (!offered) return;
      const key = offeredKey;
      removeDamaged('persist.damaged', { message: m.message }, key).then(() => offerNext());
    },

    // Each frame before the page keeps it: a resumed run shows the kept history in front of its
    // own, and its epoch counted on from the kept one.
    frame(f) {
      if (!base || f.configVersion !== base.version) return f;
      if (f.history) f.history = mergeHistory(base.history, base.upto, f.history);
      if (f.stats && base.epoch > 0) f.stats = { ...f.stats, epoch: base.epoch + (f.stats.epoch ?? 0) };
      if (typeof f.epoch === 'number' && base.epoch > 0) f.epoch += base.epoch;
      return f;
    },

    // Each drawn frame's stats (the bus's 'stats'): after a pause or single steps the model the
    // page last kept is older than the one shown; ask for it once things are still.
    stats({ step, playing }) {
      if (!enabled || hold || playing) return;
      if (latest && latest.version === opts.snapshot().configVersion && latest.step === step) {
        write();   // view settings or points may have changed; skipped when nothing did
        return;
      }
      scheduleSave();
    },

    // A new run on the user's own points: keep them (and the run) even before training.
    configured({ config }) {
      if (config?.dataset === 'points') scheduleSave();
    },

    // For tests: what this page is doing.
    state: () => ({ enabled, hold, offered: offered !== null, writing, lastStep: latest?.step ?? -1, keptStep }),
  };
}

// The tab's sessionStorage, or null where reading it throws (blocked storage).
function sessionStore() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

// The bytes as an ArrayBuffer, copied only when they are a part of a larger buffer.
/** @param {ArrayBuffer | ArrayBufferView} b @returns {ArrayBuffer} */
function toBuffer(b) {
  if (b instanceof ArrayBuffer) return b;
  const v = /** @type {ArrayBufferView} */ (b);
  if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer) return v.buffer;
  return /** @type {ArrayBuffer} */ (v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}
