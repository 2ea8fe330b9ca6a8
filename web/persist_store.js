// The browser storage behind persist.js: one IndexedDB store of kept sessions, one record per
// tab. Each tab keeps its session under its own key, `tab:<id>`, so two tabs training at once do
// not overwrite each other. The id lives in the tab's sessionStorage (a reload of the tab finds
// its own record again) and is held as a Web Lock for the page's lifetime, which tells other
// tabs which records are live: a record whose tab still runs is never offered elsewhere. A
// duplicated tab (its sessionStorage copied with it) finds the lock taken and picks a new id.
// Records from pages before per-tab keys were kept under 'current'; they are offered like any
// other and removed once resumed or discarded.
import { t } from './i18n.js';

export const DB_NAME = 'genlab';
export const STORE = 'sessions';
export const KEY_PREFIX = 'tab:';
export const LEGACY_KEY = 'current';
export const LOCK_PREFIX = 'genlab-tab:';
export const TAB_ID_ITEM = 'genlab-tab';
export const MAX_KEPT = 4;                 // records kept at most (the oldest others are removed)
export const OPEN_TIMEOUT_MS = 5000;       // an open that neither succeeds nor fails counts as blocked

/** Is this store key a kept session's (a tab's, or the old single one)? @param {IDBValidKey} key */
export const isSessionKey = (key) => typeof key === 'string' && (key === LEGACY_KEY || key.startsWith(KEY_PREFIX));

const newId = () => (globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

/**
 * Takes the lock `name` if it is free and holds it until the page goes: resolves true, or false
 * when another page holds it. Without Web Locks: true (nothing can be told about other tabs).
 * @param {LockManager | undefined} locks @param {string} name @returns {Promise<boolean>}
 */
function holdLock(locks, name) {
  if (!locks || typeof locks.request !== 'function') return Promise.resolve(true);
  return new Promise((resolve) => {
    locks.request(name, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      return lock === null ? undefined : new Promise(() => {});   // held while the page lives
    }).catch(() => resolve(true));
  });
}

/**
 * This tab's id: the one its sessionStorage remembers, unless another live page holds it (a
 * duplicated tab); then a new one. Never throws (sessionStorage may be blocked too).
 * @param {{ locks?: LockManager, storage?: Storage | null }} env @returns {Promise<string>}
 */
export async function claimTab({ locks, storage }) {
  let id = '';
  try { id = storage?.getItem(TAB_ID_ITEM) ?? ''; } catch { id = ''; }
  if (!/^[\w-]{1,64}$/.test(id)) id = newId();
  for (let tries = 0; tries < 4 && !(await holdLock(locks, LOCK_PREFIX + id)); tries++) id = newId();
  try { storage?.setItem(TAB_ID_ITEM, id); } catch { /* the id then lasts for this page only */ }
  return id;
}

/**
 * The store keys of sessions whose tab is open now (their lock is held), `own` excepted.
 * @param {LockManager | undefined} locks @param {string} own @returns {Promise<Set<string>>}
 */
export async function liveKeys(locks, own) {
  const out = new Set();
  if (!locks || typeof locks.query !== 'function') return out;
  try {
    const q = await locks.query();
    for (const l of q.held ?? []) {
      if (typeof l.name === 'string' && l.name.startsWith(LOCK_PREFIX)) {
        const key = KEY_PREFIX + l.name.slice(LOCK_PREFIX.length);
        if (key !== own) out.add(key);
      }
    }
  } catch {
    // unknown: offer everything (at worst a running tab's copy, which is still a valid session)
  }
  return out;
}

/**
 * Which kept records to offer, newest first: valid, not live elsewhere. `entries` are
 * { key, record } (checked records).
 * @template {{ key: string, record: { savedAt: number } }} E
 * @param {E[]} entries @param {Set<string>} live @returns {E[]}
 */
export function offerOrder(entries, live) {
  return entries.filter((e) => !live.has(e.key)).sort((a, b) => b.record.savedAt - a.record.savedAt);
}

/**
 * The keys to remove so that at most `max` session records stay: the oldest, never `own` nor a
 * live tab's. `stamps` maps key → savedAt (unknown: 0).
 * @param {Map<string, number>} stamps @param {string} own @param {Set<string>} live
 */
export function pruneKeys(stamps, own, live, max = MAX_KEPT) {
  const all = [...stamps.entries()].sort((a, b) => b[1] - a[1]);
  if (all.length <= max) return [];
  const keep = new Set([own, ...live].filter((k) => stamps.has(k)));
  const out = [];
  let left = all.length;
  for (let i = all.length - 1; i >= 0 && left > max; i--) {
    const [k] = all[i];
    if (keep.has(k)) continue;
    out.push(k);
    left--;
  }
  return out;
}

// A storage failure without the browser's own error: worded by the catalog, `reason` for tests.
export const storageError = (reason) => Object.assign(new Error(t('persist.storage_error')), { reason });

/**
 * Opens the database (creating its one store). Rejects when storage is blocked or missing, and
 * after OPEN_TIMEOUT_MS when the open hangs (another tab holding an older version open).
 * @param {IDBFactory | undefined} idb
 * @returns {Promise<IDBDatabase>}
 */
export function openDb(idb, timeoutMs = OPEN_TIMEOUT_MS, version = undefined) {
  return new Promise((resolve, reject) => {
    if (!idb || typeof idb.open !== 'function') {
      reject(storageError('unavailable'));
      return;
    }
    if (version > 64) {
      reject(storageError('no store'));
      return;
    }
    // Without a version: whatever version is there (a new database starts at version 1).
    // May throw (blocked storage): the promise rejects.
    const req = version === undefined ? idb.open(DB_NAME) : idb.open(DB_NAME, version);
    const timer = setTimeout(() => reject(storageError('timeout')), timeoutMs);
    const done = (fn, v) => { clearTimeout(timer); fn(v); };
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
    };
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) {
        // A database of this name without the store (made by something else): one version up
        // creates it.
        const v = db.version + 1;
        db.close();
        clearTimeout(timer);
        openDb(idb, timeoutMs, v).then(resolve, reject);
        return;
      }
      db.onversionchange = () => db.close();
      done(resolve, db);
    };
    req.onerror = () => done(reject, req.error ?? storageError('open failed'));
    req.onblocked = () => done(reject, storageError('blocked'));
  });
}

/** One request in its own transaction, resolved when the transaction commits. */
function run(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onabort = () => reject(tx.error ?? req.error ?? storageError('aborted'));
  });
}
export const readRecord = (db, key) => run(db, 'readonly', (s) => s.get(key));
export const writeRecord = (db, key, rec) => run(db, 'readwrite', (s) => s.put(rec, key));
export const deleteRecord = (db, key) => run(db, 'readwrite', (s) => s.delete(key));
// The keys only (cheap, and readable even when a record's value is damaged).
export const listKeys = (db) => run(db, 'readonly', (s) => s.getAllKeys());

export const isQuota = (e) => e?.name === 'QuotaExceededError' || e?.code === 22 || /quota/i.test(String(e?.message ?? ''));

