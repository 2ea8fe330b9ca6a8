// Messages between the page (main.js / client.js) and the training worker (worker.js), plus the
// small pure helpers both sides share: chunk sizing, speed caps, transferable lists and errors.
// Pure: node's test runner imports it.
//
// Requests that get an answer carry a numeric `id` (the page's counter) and the answer echoes it,
// so the page matches answers to what it asked, never to message text.
//
// page → worker                         worker → page
//   configure {id, settings, mode}        ready {version, simd, simdEnabled, threads, schema, presets,
//                                                datasets, modelKinds}
//   images {dataset, train, test}         configured {id, config, notices, info, configVersion}
//   points {xy}                           configError {id, key, message}
//   pointsCsv {id, text}                  points {id, xy, count} | pointsError {id, message}
//   play {on} · speed {level}             frame {…typed arrays…, stats, epoch}  (after frameRequest)
//                                         paused {reason}   (asked to play but cannot)
//   step {id, part: 'train'|'d'|'g', n}   stats {id, stats}  (after single steps)
//   reset {id}                            metrics {metrics, step, ms}
//   frameRequest {view}                   diverged {stats}
//   evaluate                              saved {id, bytes} · loaded {id, config, step, epoch} ·
//   save {id} · load {id, bytes}            loadError {id, message, key, needImages?}
//   probe {id}                            error {message, fatal}
//                                         checkpoint {blob, step}  (every few seconds of training)
//                                         probed {id, liveSessions, heap}
//                                         heap {heap}  (after configure, load and points requests)
//
// Errors from the core are Errors with `key` (the setting they are about, or null) and `kind`
// ('config' | 'file' | 'input' | 'state' | 'internal'); they travel as {message, key}.
import { t } from './i18n.js';
export const MSG = Object.freeze({
  READY: 'ready', CONFIGURE: 'configure', CONFIGURED: 'configured', CONFIG_ERROR: 'configError',
  IMAGES: 'images', POINTS: 'points', POINTS_CSV: 'pointsCsv', POINTS_ERROR: 'pointsError',
  PLAY: 'play', PAUSED: 'paused', SPEED: 'speed', STEP: 'step', RESET: 'reset', FRAME_REQUEST: 'frameRequest', FRAME: 'frame',
  STATS: 'stats', METRICS: 'metrics', EVALUATE: 'evaluate', DIVERGED: 'diverged',
  SAVE: 'save', SAVED: 'saved', LOAD: 'load', LOADED: 'loaded', LOAD_ERROR: 'loadError', ERROR: 'error',
  CHECKPOINT: 'checkpoint', PROBE: 'probe', PROBED: 'probed', RETUNE: 'retune', RETUNED: 'retuned', HEAP: 'heap',
});

// WebAssembly memory never shrinks: when this much of it is free after a request (and more than is
// in use), the page recycles the worker — a fresh one, settings and model carried over — so memory
// returns to what the run needs (a rejected 200 MB file, a run on far larger networks than now).
export const RECYCLE_FREE_BYTES = 48 << 20;
export const RECYCLE_MIN_INTERVAL_MS = 20000;
/** @param {{ used: number, memory: number } | null | undefined} heap */
export const heapWasted = (heap) => Boolean(heap) && heap.memory - heap.used > Math.max(RECYCLE_FREE_BYTES, heap.used);

// Speed levels: the cap on training steps per second (Infinity = as fast as the CPU allows).
export const SPEED_STEPS_PER_S = [0, 2, 10, 60, 400, Infinity];
// Speed levels 1–5 by name (the catalog's speed.<name>).
export const SPEED_NAMES = ['', 'slowmo', 'slow', 'medium', 'fast', 'fastest'];

export const CHUNK_TARGET_MS = 20;  // one train(n) call should take about this long
export const CHECKPOINT_EVERY_MS = 5000;  // how often a training worker sends the page a checkpoint
export const MAX_CHUNK = 10000;
// While training, building views may take about this share of the worker's time: after a frame
// that took b ms, at least b·(1/share − 1) ms of training pass before the next. A frame of 5 ms
// (the ring8 GAN's views, its heatmap every other frame) comes every ~40 ms: 20+ frames/s (issue 19;
// at 1/16 the presets drew 7–11 frames/s), for ~7 % of the training speed.
export const FRAME_SHARE = 1 / 8;
// Frames come at most once per display refresh (60 Hz): more would never be drawn.
export const MIN_FRAME_MS = 16;
// The costlier views (frames.js SLOW_VIEWS) ride on a frame at most this often…
export const SLOW_EVERY_MS = 400;
// …and, when they are expensive, rarely enough that their extra cost stays within half a share.
export const SLOW_SHARE = FRAME_SHARE / 2;

// One frame kind (the benchmark's worker): due once b·(1/share − 1) ms have passed since a frame
// that took b ms. Garbage timings never block frames.
export function frameDue(now, lastFrameAt, lastBuildMs, share = FRAME_SHARE) {
  const build = Number.isFinite(lastBuildMs) && lastBuildMs > 0 ? lastBuildMs : 0;
  return now - lastFrameAt >= build * (1 / share - 1);
}

// Frame pacing while training (worker.js). Build times are measured per frame and *decay*: regular
// frames set the pace through an average that halves an outlier's weight at each frame, and a slow
// frame (one with the costlier views) sets no pace at all: its extra cost only spaces out the next
// slow frame. So one long frame (a GC pause, a busy machine) slows the views for a few frames, never
// for good. (The pacing this replaces kept the last regular build time until the next regular
// frame; a frame that came late counted as slow, so one 33 ms frame latched 2 frames/s.)
export function createPacer(share = FRAME_SHARE, slowShare = SLOW_SHARE, slowEveryMs = SLOW_EVERY_MS) {
  const pay = (ms, s) => ms * (1 / s - 1);   // training time that keeps a cost within its share
  const ok = (ms) => (Number.isFinite(ms) && ms > 0 ? ms : 0);
  let lastFrameAt = -Infinity;
  let lastSlowAt = -Infinity;
  let lastImagesAt = -Infinity;
  let regularMs = 0;        // decaying average build time of regular frames
  let extraMs = 0;          // decaying average extra cost of the slow views
  let imagesMs = 0;         // decaying average time of the image views (image models)
  let lastWasSlow = false;
  return {
    /** A frame may be built now (while training). @param {number} now */
    due: (now) => now - lastFrameAt >= MIN_FRAME_MS && frameDue(now, lastFrameAt, regularMs, share),
    /** The next frame should carry the slow views: due by time, never twice in a row, so regular
     *  frames keep measuring. @param {number} now */
    slowDue: (now) => !lastWasSlow && now - lastSlowAt >= Math.max(slowEveryMs, pay(extraMs, slowShare)),
    /** Image models: the next frame should carry the image views (samples, reconstructions). They
     *  are paced by their own cost, so the frames between (loss chart, readout) come after every
     *  chunk even when a conv decoder makes the images cost 12 ms. @param {number} now */
    imagesDue: (now) => now - lastImagesAt >= pay(imagesMs, share),
    /** After a frame: when it was finished, how long it took, whether it had the slow views, and
     *  (image models, when the frame had them) how long the image views took.
     *  @param {number} now @param {number} buildMs @param {boolean} slow @param {number} [imagesBuildMs] */
    done(now, buildMs, slow, imagesBuildMs) {
      const b = ok(buildMs);
      const im = imagesBuildMs === undefined ? 0 : Math.min(b, ok(imagesBuildMs));
      if (imagesBuildMs !== undefined) {
        // Measured in every frame that has them (slow ones too: a slow frame that reset the clock
        // without measuring would let one long image frame space out the images for good).
        imagesMs = lastImagesAt === -Infinity ? im : 0.5 * imagesMs + 0.5 * im;
        lastImagesAt = now;
      }
      if (slow) {
        extraMs = 0.5 * extraMs + 0.5 * Math.max(0, b - im - regularMs);
        lastSlowAt = now;
      } else {
        // The images set no pace for the frames between, or every frame would carry them.
        regularMs = lastFrameAt === -Infinity ? b - im : 0.5 * regularMs + 0.5 * (b - im);
      }
      lastWasSlow = slow;
      lastFrameAt = now;
    },
    /** For tests and the frame log: the current estimates. */
    state: () => ({ regularMs, extraMs, imagesMs, lastFrameAt, lastSlowAt, lastImagesAt }),
  };
}

// Next chunk size from the last one: aim at targetMs, change by at most 2× (up) or 4× (down)
// per chunk, keep within [1, MAX_CHUNK]. Garbage timings fall back to growing gently.
export function nextChunkSize(lastN, elapsedMs, targetMs = CHUNK_TARGET_MS) {
  const n = Math.max(1, Math.floor(Number.isFinite(lastN) ? lastN : 1));
  if (!Number.isFinite(elapsedMs) || elapsedMs <= 0) return Math.min(MAX_CHUNK, n * 2);
  const ideal = (n * targetMs) / elapsedMs;
  const next = Math.min(n * 2, Math.max(n / 4, ideal));
  return Math.max(1, Math.min(MAX_CHUNK, Math.round(next)));
}

// The metrics' pace: how long to wait after a run's metrics number `index` (0 = its first) that
// took `ms` to compute. They take at most ~2.5% of the time and come at most every second (image
// sets: 50–70 ms, every 2–3 s; at 5 % mnist-gan reached its mark later). A run's first
// EARLY_EVALS, when each costs at most 10 ms (the 2-D sets: 3 ms; a small VAE's bound without its
// IWAE twin), come 0.1 s apart: the numbers on screen follow a small model that learns within a
// second. The first may include one-time work (buffers, a judge trained here when no helper
// could): it does not set the pace unless it took seconds.
export const EARLY_EVALS = 10;
export function nextEvalGap(index, ms) {
  if (index === 0) return ms <= 250 ? 100 : 3000;
  if (index < EARLY_EVALS && ms <= 10) return 100;
  return Math.min(15000, Math.max(1000, 40 * ms));
}

// The pace of an image VAE's held-out bound alone, between its full metrics: the same rule as the
// full metrics after a run's first ones (≤ 2.5 % of the time, at most every second), applied to the
// bound's own cost (pytorch-vae in the page: ~35 ms, against ~90 ms with the judge's figures).
export function nextBoundGap(ms) {
  return nextEvalGap(EARLY_EVALS, ms);
}

// How many importance samples the metrics' IWAE bound takes (0: left out) for metrics number
// `index` of a run. It costs k passes over 1,000 held-out examples: for a VAE on at most 100 inputs
// always, for an image VAE only when paused (the objectives panel says so), and while training
// never in a run's first EARLY_EVALS, which come 0.1 s apart only while they stay cheap.
export const IWAE_K = 8;
export function iwaeSamples(model, dataDim, playing, index) {
  if (model !== 'vae') return 0;
  if (!playing) return IWAE_K;
  return dataDim <= 100 && index >= EARLY_EVALS ? IWAE_K : 0;
}

// With a speed cap: how many steps this chunk may run and how long to wait before the next one,
// given the CPU-limited chunk size n and the measured milliseconds per step.
export function cappedChunk(n, msPerStep, level) {
  const cap = SPEED_STEPS_PER_S[Math.max(1, Math.min(5, level | 0))] ?? Infinity;
  if (!Number.isFinite(cap)) return { n, delayMs: 0 };
  const perChunkAt50ms = Math.max(1, Math.floor(cap / 20));  // about 20 chunks per second
  const steps = Math.max(1, Math.min(n, perChunkAt50ms));
  const spent = steps * (Number.isFinite(msPerStep) ? msPerStep : 0);
  return { n: steps, delayMs: Math.max(0, (1000 * steps) / cap - spent) };
}

// Every ArrayBuffer reachable one level deep from a message (typed arrays in fields or in
// nested plain objects), without duplicates: the transfer list for postMessage.
export function transferables(msg) {
  const out = new Set();
  const visit = (v, depth) => {
    if (!v || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteLength > 0) out.add(v.buffer);
      return;
    }
    if (v instanceof ArrayBuffer) { out.add(v); return; }
    if (depth > 2) return;
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
  };
  visit(msg, 0);
  return [...out];
}

// {message, key} of anything thrown: a core Error carries the setting it is about in `key`.
export function errorInfo(e) {
  const key = e && typeof e === 'object' && typeof e.key === 'string' ? e.key : null;
  // i18n: a catalog key the page words the error with (errors raised in the worker itself).
  const i18n = e && typeof e === 'object' && typeof e.i18n === 'string' ? e.i18n : null;
  return { message: errorMessage(e), key, i18n };
}

// Text for the core, made well-formed UTF-16 first: a lone surrogate (from a paste, a hand-edited
// link) becomes U+FFFD. Emscripten 3.1.6 encodes a lone high surrogate together with the next
// character as one 4-byte sequence, so "\uD800,1" would reach the core without its comma.
/** @param {string} text */
export function wellFormed(text) {
  const s = String(text);
  // @ts-ignore: toWellFormed (ES2024) is newer than the checked library
  if (typeof s.toWellFormed === 'function') return /** @type {string} */ (s.toWellFormed());
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

// Settings for the core, every key and value well-formed (see wellFormed).
/** @param {Record<string, any>} settings */
export function wellFormedSettings(settings) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [k, v] of Object.entries(settings)) out[wellFormed(k)] = typeof v === 'string' ? wellFormed(v) : v;
  return out;
}

// An Error, a string, a number thrown by Emscripten, or anything else → a readable message.
export function errorMessage(e) {
  if (e == null) return t('error.unknown');
  if (typeof e === 'string') return e;
  if (typeof e === 'number') return t('error.internal', { code: e });
  if (typeof e.message === 'string' && e.message) return e.message;
  return String(e);
}

// Advice for a run whose loss became NaN or infinite. keys: the setting keys that apply to this
// model kind (its schema groups); restoredTo ≥ 0: the step of the checkpoint the model was put
// back to.
export function divergenceAdvice(config, keys, restoredTo = -1) {
  const has = (k) => keys.includes(k);
  const lrKeys = keys.filter((k) => k === 'lr' || k.endsWith('_lr'));
  const tips = [t('diverged.tip_lr', { values: lrKeys.map((k) => `${k} = ${config?.[k] ?? '?'}`).join(', ') })];
  if (has('beta')) tips.push(t('diverged.tip_beta', { beta: config?.beta ?? '?', likelihood: config?.likelihood ?? '?' }));
  if (has('loss')) tips.push(t('diverged.tip_loss', { loss: config?.loss ?? '?' }));
  if (has('clip_norm')) tips.push(t('diverged.tip_clip'));
  const joined = tips.join(t('diverged.tip_sep'));
  if (restoredTo >= 0) return t('diverged.restored', { step: restoredTo, tips: joined });
  return t('diverged.reset', { tips: joined });
}
