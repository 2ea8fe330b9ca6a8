// The training worker: owns the WebAssembly module and the one Session. Trains in time-boxed
// chunks (train(n) sized to ~20 ms), answers one frame per frame request (the page asks once per
// animation frame, so the worker never floods it), evaluates metrics every few seconds, and
// reports every failure as a message. Message types and helpers: protocol.js.
//
// State that must survive a restart (settings, images, points; later a checkpoint) lives in the
// page, which replays it after `ready`: this worker can be killed and respawned at any time.
import { CHECKPOINT_EVERY_MS, MSG, cappedChunk, errorKey, errorMessage, frameDue, nextChunkSize, transferables } from './protocol.js';
import { FRAME_SIZES, buildFrame } from './frames.js';

let M = null;
let session = null;
let keys = new Set();
let settings = {};            // the settings the session was last configured with
let configVersion = 0;        // bumps on every (re)configure / load: the page resends nothing stale
let configured = false;
let pointsCount = 0;

let playing = false;
let speed = 5;
let chunkN = 1;
let msPerStep = NaN;
let diverged = false;
let lastStats = null;

let pendingView = null;       // the page's outstanding frame request (null: none)
let lastFrameAt = 0;
let lastBuildMs = 0;
let lastSlowAt = 0;
let dirty = true;             // something changed since the last frame
let tickQueued = false;
const rateWindow = [];        // [time, totalSteps] samples over the last second or so

let lastEvalAt = 0;
let evalEveryMs = 3000;
let evalStep = -1;
let evalTimer = 0;
let evalBrokenFor = -1;       // the configVersion whose metrics failed (not retried)
let evalsThisConfig = 0;

const post = (msg) => self.postMessage(msg, transferables(msg));

function fatal(e) {
  const message = errorMessage(e);
  const isFatal = e instanceof WebAssembly.RuntimeError || /^Aborted|unreachable|memory access out of bounds/i.test(message);
  post({ type: MSG.ERROR, message, fatal: isFatal });
  if (isFatal) playing = false;
}

// ---------- the loop: yields to the message queue between chunks ----------

const channel = new MessageChannel();
channel.port1.onmessage = () => tick();
function schedule(delayMs = 0) {
  if (tickQueued) return;
  tickQueued = true;
  if (delayMs > 0) setTimeout(() => tick(), delayMs);
  else channel.port2.postMessage(0);
}

function tick() {
  tickQueued = false;
  let delay = 0;
  try {
    if (playing && configured && !diverged) delay = runChunk();
    // While training, frames cost at most FRAME_SHARE of the worker's time.
    if (pendingView && dirty && configured && (!playing || frameDue(performance.now(), lastFrameAt, lastBuildMs))) sendFrame();
    if (playing && configured && !diverged && performance.now() - lastEvalAt > evalEveryMs) evaluate();
  } catch (e) {
    playing = false;
    fatal(e);
  }
  if (playing && !diverged) schedule(delay);
}

function runChunk() {
  const plan = cappedChunk(chunkN, msPerStep, speed);
  const t0 = performance.now();
  const s = session.train(plan.n);
  const dt = performance.now() - t0;
  if (s.steps > 0) msPerStep = dt / s.steps;
  if (plan.n === chunkN) chunkN = nextChunkSize(plan.n, dt);
  afterSteps(s);
  return plan.delayMs;
}

// Every few seconds of healthy training the page gets a copy of the model, so a crashed worker
// can be restarted where it was (the core's own checkpoints die with the worker).
let lastCheckpointAt = 0;
function maybeSendCheckpoint() {
  const now = performance.now();
  if (now - lastCheckpointAt < CHECKPOINT_EVERY_MS) return;
  lastCheckpointAt = now;
  const bytes = session.saveModel();
  post({ type: MSG.CHECKPOINT, bytes, step: session.steps(), configVersion });
}

function afterSteps(s) {
  lastStats = { ...plain(s) };
  if (s.finite) maybeSendCheckpoint();
  dirty = true;
  const now = performance.now();
  rateWindow.push([now, s.totalSteps]);
  while (rateWindow.length > 2 && now - rateWindow[0][0] > 1500) rateWindow.shift();
  if (!s.finite) {
    // Stop; put the model back to its last finite checkpoint when the core keeps one, so the
    // views (and Save model) show a sane model and Play can try again.
    playing = false;
    const restoredTo = typeof session.restoreCheckpoint === 'function' ? session.restoreCheckpoint() : -1;
    diverged = restoredTo < 0;
    post({ type: MSG.DIVERGED, stats: lastStats, config: settingsText(), restoredTo, step: s.totalSteps });
  }
}

function stepsPerSecond() {
  if (!playing || rateWindow.length < 2) return 0;
  const [t0, s0] = rateWindow[0];
  const [t1, s1] = rateWindow[rateWindow.length - 1];
  return t1 > t0 ? ((s1 - s0) * 1000) / (t1 - t0) : 0;
}

function plain(o) {
  const out = {};
  for (const k of ['steps', 'totalSteps', 'epoch', 'finite', 'loss', 'recon', 'kl', 'beta', 'dLoss', 'gLoss', 'dReal', 'dFake']) {
    out[k] = o[k];
  }
  return out;
}

function sendFrame() {
  const view = pendingView;
  pendingView = null;
  dirty = false;
  const t0 = performance.now();
  const slow = !playing || t0 - lastSlowAt > 400 || view.have !== configVersion || view.force;
  if (slow) lastSlowAt = t0;
  const first = view.have !== configVersion;
  const frame = buildFrame(session, view, settingsText(), configVersion, slow, first ? 32 : FRAME_SIZES.fieldRes);
  frame.type = MSG.FRAME;
  frame.configVersion = configVersion;
  frame.stats = lastStats;
  frame.rate = stepsPerSecond();
  frame.playing = playing;
  lastFrameAt = performance.now();
  frame.buildMs = lastFrameAt - t0;
  if (!slow) lastBuildMs = frame.buildMs;
  post(frame);
}

function evaluate() {
  clearTimeout(evalTimer);
  evalTimer = 0;
  const step = session.steps();
  lastEvalAt = performance.now();
  if (step === evalStep || evalBrokenFor === configVersion) return;
  const t0 = performance.now();
  let metrics;
  try {
    metrics = { ...session.evaluate(0) };
  } catch (e) {
    // Shown in the metrics panel; not retried for this configuration.
    post({ type: MSG.METRICS, error: errorMessage(e), step, configVersion });
    evalStep = step;
    evalBrokenFor = configVersion;
    return;
  }
  const ms = performance.now() - t0;
  evalStep = step;
  // Metrics take at most ~10% of the time; the first of a run may include one-time work (the
  // image classifier trains on first use), so it does not set the pace.
  if (evalsThisConfig > 0) evalEveryMs = Math.min(15000, Math.max(3000, 10 * ms));
  evalsThisConfig++;
  lastEvalAt = performance.now();
  post({ type: MSG.METRICS, metrics, step, ms, configVersion });
}

// Metrics once the run has been still for a moment (after a pause or single steps).
function evaluateSoon() {
  clearTimeout(evalTimer);
  evalTimer = setTimeout(() => {
    try {
      if (configured && !playing) evaluate();
    } catch (e) {
      fatal(e);
    }
  }, 600);
}

// ---------- configuration ----------

let currentConfig = {};       // session.config() as of the last configure / load
function settingsText() {
  return { ...currentConfig };
}

// Strict: any error is reported and nothing changes. Fallback (links, presets, model/dataset
// switches): a setting the core rejects is reset to its default, with a notice, until it passes.
function configure(requested, mode, id) {
  const s = { ...requested };
  const notices = [];
  let error = null;
  for (let attempt = 0; attempt < 16; attempt++) {
    if (s.dataset === 'points' && pointsCount > 0) fitBatchToPoints(s, notices);
    error = M.checkConfig(s);
    if (error === null) {
      try {
        session.configure(s);
        break;
      } catch (e) {
        error = errorMessage(e);
      }
    }
    const key = errorKey(error, keys);
    if (mode !== 'fallback' || !key || !(key in s) || key === 'dataset' || key === 'model') break;
    notices.push(`${error} — reset ${key} to its default`);
    delete s[key];
    error = null;
  }
  if (error !== null) {
    post({ type: MSG.CONFIG_ERROR, id, key: errorKey(error, keys), message: error });
    return false;
  }
  settings = s;
  currentConfig = { ...session.config() };
  configured = true;
  configVersion++;
  diverged = false;
  lastStats = null;
  chunkN = 1;
  rateWindow.length = 0;
  evalStep = -1;
  evalsThisConfig = 0;
  evalEveryMs = 3000;
  lastEvalAt = performance.now() - evalEveryMs + 800;  // first metrics soon after a (re)start
  dirty = true;
  post({ type: MSG.CONFIGURED, id, config: settingsText(), notices, configVersion, info: info() });
  if (!playing) evaluateSoon();
  return true;
}

// New points while training on "points" rebuild the run, which fails when the batch is larger
// than the new set: then shrink the batch (on the current points) and try once more. `count` is
// the new number of points, or read from the core's message when unknown (CSV).
function fitBatchFor(fn, count) {
  try {
    return fn();
  } catch (e) {
    const msg = errorMessage(e);
    const n = count ?? Number(/than the (\d+) points/.exec(msg)?.[1]);
    if (errorKey(msg, keys) !== 'batch' || currentConfig.dataset !== 'points' || !(n >= 1)) throw e;
    const s = { ...settings };
    pointsCount = n;
    fitBatchToPoints(s, []);
    if (!configure(s, 'strict', 'points-batch')) throw e;
    return fn();
  }
}

// The points data set needs batch ≤ number of points (and a multiple of pack for GANs).
function fitBatchToPoints(s, notices) {
  const batch = Number(s.batch ?? 128);
  if (batch <= pointsCount) return;
  const pack = s.model === 'gan' ? Number(s.pack ?? 1) : 1;
  const fitted = Math.max(pack, Math.floor(pointsCount / pack) * pack);
  s.batch = String(fitted);
  notices.push(`batch: ${batch} is more than the ${pointsCount} points; using ${fitted}`);
}

function info() {
  const gan = session.config().model === 'gan';
  return {
    image: session.isImage(),
    dataDim: session.dataDim(),
    box: Array.from(session.dataBox()),
    probability: gan ? session.discriminatorIsProbability() : false,
  };
}

// ---------- messages ----------

const handlers = {
  [MSG.CONFIGURE]: (m) => {
    configure(m.settings, m.mode, m.id);   // on failure nothing changes, training goes on
  },
  [MSG.IMAGES]: (m) => {
    session.provideImages(m.dataset, new Uint8Array(m.train), new Uint8Array(m.test));
  },
  [MSG.POINTS]: (m) => {
    const xy = new Float32Array(m.xy);
    fitBatchFor(() => session.setPoints(xy), xy.length / 2);
    pointsCount = m.xy.length / 2;
  },
  [MSG.POINTS_CSV]: (m) => {
    let count;
    try {
      count = fitBatchFor(() => session.setPointsCsv(m.text));
    } catch (e) {
      post({ type: MSG.POINTS_ERROR, message: errorMessage(e) });
      return;
    }
    pointsCount = count;
    // Read the parsed points back (the page keeps them to replay and to add drawn ones).
    if (configure({ ...settings, dataset: 'points' }, 'fallback', m.id)) {
      post({ type: MSG.POINTS, xy: session.realSamples(count).slice(), count });
    }
  },
  [MSG.PLAY]: (m) => {
    playing = Boolean(m.on) && configured && !diverged;
    if (m.on && !playing) post({ type: MSG.PAUSED, reason: diverged ? 'diverged' : 'not configured' });
    if (playing) {
      rateWindow.length = 0;
      schedule();
    } else {
      dirty = true;
      evaluateSoon();
    }
  },
  [MSG.SPEED]: (m) => { speed = Math.max(1, Math.min(5, m.level | 0)); },
  [MSG.STEP]: (m) => {
    if (!configured || diverged) return;
    const n = Math.max(1, Math.min(1000, m.n | 0));
    const s = m.kind === 'd' ? session.trainD(n) : m.kind === 'g' ? session.trainG(n) : session.train(n);
    afterSteps(s);
    post({ type: MSG.STATS, stats: lastStats });
    evaluateSoon();
  },
  [MSG.RESET]: () => {
    configure(settings, 'fallback', 'reset');
  },
  [MSG.FRAME_REQUEST]: (m) => {
    pendingView = { ...(m.view ?? {}), force: Boolean(m.force || pendingView?.force) };
    if (m.force) dirty = true;
  },
  [MSG.EVALUATE]: () => { if (configured) evaluate(); },
  [MSG.PROBE]: () => { post({ type: MSG.PROBED, liveSessions: M.liveSessions(), heap: { ...M.heapStats() } }); },
  [MSG.SAVE]: () => {
    const bytes = session.saveModel().slice();
    post({ type: MSG.SAVED, bytes, config: settingsText(), step: session.steps() });
  },
  [MSG.LOAD]: (m) => {
    try {
      session.loadModel(new Uint8Array(m.bytes));
    } catch (e) {
      post({ type: MSG.LOAD_ERROR, message: errorMessage(e) });
      return;
    }
    playing = false;
    configured = true;
    currentConfig = { ...session.config() };
    settings = settingsText();
    configVersion++;
    diverged = false;
    lastStats = null;
    evalStep = -1;
    dirty = true;
    post({ type: MSG.LOADED, config: settings, configVersion, info: info(), step: session.steps() });
    evaluateSoon();
  },
};

self.onmessage = (e) => {
  const m = e.data;
  const h = m && handlers[m.type];
  if (!h) return;
  if (!session) return;
  try {
    h(m);
  } catch (err) {
    fatal(err);
  }
  if (!tickQueued) schedule();
};

// V8 compiles wasm functions lazily on first call: call the hot ones once on a throwaway model
// while the page is still building its form, so the first real frame is not the slow one.
function warmUp() {
  const warm = new M.Session();
  try {
    warm.configure({ model: 'gan', batch: '32', g_hidden: '64', d_hidden: '64' });
    warm.train(2);
    warm.samples(64);
    warm.discriminatorField(-1, 1, -1, 1, 32);
    warm.generatorGradients(16);
    warm.configure({ model: 'vae', batch: '32', enc_hidden: '64', dec_hidden: '64' });
    warm.train(2);
    warm.samples(64);
    warm.reconstructions(16);
    warm.latentCodes(16);
  } catch {
    // only a warm-up: the real session reports its own errors
  } finally {
    warm.delete();
  }
}

// The threaded module (experimental, built with -DGENLAB_WASM_THREADS=ON: two threads for large
// matrix products) needs SharedArrayBuffer, which the browser gives only to a cross-origin isolated
// page (COOP/COEP headers, ISOLATE=1 scripts/genlab serve). Anything wrong with it falls back to the
// single-threaded module: never a page that fails to start.
async function loadModule() {
  if (self.crossOriginIsolated && typeof SharedArrayBuffer === 'function') {
    try {
      const { default: create } = await import('./genlab-mt.mjs');
      return await create();
    } catch (e) {
      console.info(`GenLab: the threaded module did not start (${errorMessage(e)}); using one thread`);
    }
  }
  const { default: create } = await import('./genlab.mjs');
  return create();
}

try {
  M = await loadModule();
  session = new M.Session();
  const schema = M.schema().map((f) => ({ ...f, choices: Array.from(f.choices) }));
  keys = new Set(schema.map((f) => f.key));
  post({
    type: MSG.READY, version: M.version(), simd: M.simd(), simdEnabled: M.simdEnabled(), threads: M.threads(), schema,
    presets: M.presets().map((p) => ({ ...p, settings: { ...p.settings } })), datasets: Array.from(M.datasets()),
  });
  warmUp();
} catch (e) {
  post({ type: MSG.ERROR, message: `could not start the GenLab module: ${errorMessage(e)}`, fatal: true, startup: true });
}
