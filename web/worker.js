// The training worker: owns the WebAssembly module and the one Session. Trains in time-boxed
// chunks (train(n) sized to ~20 ms), answers one frame per frame request (the page asks once per
// animation frame, so the worker never floods it), evaluates metrics every few seconds, and
// reports every failure as a message. Message types and helpers: protocol.js.
//
// State that must survive a restart (settings, images, points; later a checkpoint) lives in the
// page, which replays it after `ready`: this worker can be killed and respawned at any time.
// @ts-check
import { CHECKPOINT_EVERY_MS, MSG, cappedChunk, errorInfo, errorMessage, createPacer, iwaeSamples, nextBoundGap, nextChunkSize, nextEvalGap, transferables, wellFormed, wellFormedSettings } from './protocol.js';
import { FIELD_EVERY_MS, FRAME_SIZES, buildFrame, giveBack } from './frames.js';
import { createThreadTuner } from './threads_tuner.js';

/** @typedef {import('./genlab').GenlabModule} GenlabModule */
/** @typedef {import('./genlab').Session} Session */
/** @typedef {import('./genlab').StepStats} StepStats */
/** @typedef {import('./genlab').RunInfo} RunInfo */

/** @type {GenlabModule} */
let M;
/** @type {Session} */
let session;
/** @type {Map<string, import('./genlab').DatasetInfo>} */
let datasets = new Map();
/** @type {Map<string, import('./genlab').ModelKindInfo>} */
let kinds = new Map();
/** @type {Map<string, string>} setting key → its schema group */
let groupOf = new Map();
/** @type {Record<string, string>} */
let settings = {};            // the settings the session was last configured with
/** @type {RunInfo | null} */
let runInfo = null;           // session.info() of the current run
let configVersion = 0;        // bumps on every (re)configure / load: the page resends nothing stale
let configured = false;
let pointsCount = 0;

let playing = false;
let speed = 5;
let chunkN = 1;
let msPerStep = NaN;
let tuner = createThreadTuner(1);   // the threaded module: 2 threads or 1, whichever trains faster
let threadsNow = 1;
let diverged = false;
/** @type {StepStats | null} */
let lastStats = null;

/** @type {import('./frames.js').ViewRequest | null} */
let pendingView = null;       // the page's outstanding frame request (null: none)
const pacer = createPacer();    // when frames may be built while training, and which carry the slow views
let lastFieldAt = -Infinity;   // when a frame last carried the discriminator's heatmap
let dirty = true;             // something changed since the last frame
let tickQueued = false;
/** @type {[number, number][]} */
const rateWindow = [];        // [time, totalSteps] samples over the last second or so

let lastEvalAt = 0;
let evalEveryMs = 3000;
let evalStep = -1;
let evalUnjudged = false;     // the metrics of evalStep left out the judge's (it was on its way)
let evalK = 0;                // the IWAE samples the metrics of evalStep took
/** @type {ReturnType<typeof setTimeout> | undefined} */
let evalTimer;
let evalBrokenFor = -1;       // the configVersion whose metrics failed (not retried)
let evalsThisConfig = 0;
// An image VAE's held-out bound alone, between its full metrics (protocol.js nextBoundGap).
let lastBoundAt = 0;
let boundEveryMs = Infinity;  // Infinity: this run's metrics have no cheaper part
let boundStep = -1;

/** @param {Record<string, any>} msg */
const post = (msg) => self.postMessage(msg, { transfer: transferables(msg) });

// A WebAssembly trap or an Emscripten abort (both throw WebAssembly.RuntimeError) leaves the
// module unusable: the page restarts the worker. Anything else is reported and training goes on.
/** @param {unknown} e */
function fatal(e) {
  const isFatal = e instanceof WebAssembly.RuntimeError;
  post({ type: MSG.ERROR, message: errorMessage(e), fatal: isFatal });
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
    // A frame before the chunk too: the page asks for the next frame as soon as one arrives, and
    // that request lands while a chunk runs; answering only after the next chunk gave one frame
    // per two chunks (~24 frames/s at most).
    maybeFrame();
    if (playing && configured && !diverged) delay = runChunk();
    maybeFrame();
    if (playing && configured && !diverged) {
      const now = performance.now();
      if (now - lastEvalAt > evalEveryMs) evaluate();
      else if (now - lastBoundAt > boundEveryMs) evaluateBound();
    }
  } catch (e) {
    playing = false;
    fatal(e);
  }
  if (playing && !diverged) schedule(delay);
}

// While training, frames cost about FRAME_SHARE of the worker's time (protocol.js createPacer).
function maybeFrame() {
  if (pendingView && dirty && configured && (!playing || pacer.due(performance.now()))) sendFrame(pendingView);
}

function runChunk() {
  const plan = cappedChunk(chunkN, msPerStep, speed);
  // While the metrics' judge trains aside it has the other core: one thread, and the tuner's warm-up
  // and trial wait for it (a trial beside it chose one thread for pytorch-vae, which gains from two).
  const want = judgeAside ? 1 : tuner.threadsFor(performance.now(), session.steps());
  if (want !== threadsNow) threadsNow = M.setThreads(want);
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
  // As a Blob, made here: its bytes live in the browser's blob storage, not on the page's heap
  // (a 16 MB ArrayBuffer every 5 s cost the page a full garbage collection, a 60–110 ms task),
  // and the page's storage keeps it without copying it on the main thread (persist.js).
  const blob = new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (session.saveModel())]);
  post({ type: MSG.CHECKPOINT, blob, step: session.steps(), configVersion });
}

/** @param {StepStats} s */
function afterSteps(s) {
  lastStats = s;
  if (s.finite) maybeSendCheckpoint();
  dirty = true;
  const now = performance.now();
  rateWindow.push([now, s.totalSteps]);
  while (rateWindow.length > 2 && now - rateWindow[0][0] > 1500) rateWindow.shift();
  if (!s.finite) {
    // Stop; put the model back to its last finite checkpoint when the core keeps one, so the
    // views (and Save model) show a sane model and Play can try again.
    playing = false;
    const restoredTo = session.restoreCheckpoint();
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

/** @param {import('./frames.js').ViewRequest} view */
function sendFrame(view) {
  pendingView = null;
  dirty = false;
  const t0 = performance.now();
  const slow = !playing || pacer.slowDue(t0) || view.have !== configVersion || Boolean(view.force);
  const first = view.have !== configVersion;
  // The heatmap at most every FIELD_EVERY_MS while training (always in a slow frame).
  const field = Boolean(view.field) && (slow || t0 - lastFieldAt >= FIELD_EVERY_MS);
  if (field) lastFieldAt = t0;
  // An image model's samples and reconstructions by their own cost (a conv decoder's take 12 ms).
  const imagesPaced = Boolean(runInfo?.image);
  const images = !imagesPaced || slow || pacer.imagesDue(t0);
  const frame = buildFrame(session, field === Boolean(view.field) ? view : { ...view, field }, /** @type {RunInfo} */ (runInfo),
    configVersion, slow, first ? 32 : FRAME_SIZES.fieldRes, images);
  frame.type = MSG.FRAME;
  frame.configVersion = configVersion;
  frame.stats = lastStats;
  frame.epoch = session.epoch();  // also before the first step of a loaded model
  frame.rate = stepsPerSecond();
  frame.playing = playing;
  frame.threads = threadsNow;   // threads training uses now (bench and test hook)
  const t1 = performance.now();
  frame.buildMs = t1 - t0;
  frame.slow = slow;
  frame.images = images;
  pacer.done(t1, frame.buildMs, slow, imagesPaced && images ? frame.imagesMs : undefined);
  post(frame);
}

function evaluate() {
  clearTimeout(evalTimer);
  evalTimer = undefined;
  const step = session.steps();
  lastEvalAt = performance.now();
  // The importance-weighted bound's samples (protocol.js: none in a run's first quick metrics).
  const k = iwaeSamples(runInfo?.model, runInfo?.dataDim ?? 0, playing, evalsThisConfig);
  // A step already measured is measured again only for what it lacked: the judge's figures, or the
  // IWAE bound (a quick first metric that was the run's last step before a pause left it out).
  if ((step === evalStep && !evalUnjudged && k <= evalK) || evalBrokenFor === configVersion) return;
  // The judge of these images is on its way from the helper: until it is here, only what needs no
  // classifier (a VAE's bound on held-out images), rather than training it now on this worker's core.
  const dataset = String(currentConfig.dataset ?? '');
  // Its file's reader is on its way (milliseconds): the metrics wait for the judge rather than come
  // without it (judgeImages asks for them again when it is here).
  if (runInfo?.image && judgeLoading.has(dataset)) return;
  const judgePending = Boolean(runInfo?.image && judgeAside?.dataset === dataset);
  const t0 = performance.now();
  let metrics;
  try {
    metrics = { ...(judgePending ? session.evaluateWithoutJudge(k) : session.evaluate(k)) };
  } catch (e) {
    // Shown in the metrics panel; not retried for this configuration.
    post({ type: MSG.METRICS, error: errorMessage(e), step, configVersion });
    evalStep = step;
    evalBrokenFor = configVersion;
    return;
  }
  if (judgePending && !Object.keys(metrics).some((key) => key !== 'steps' && key !== 'epoch')) {
    // Nothing without the judge (a GAN's image metrics are all its): again in 250 ms.
    lastEvalAt = performance.now() - evalEveryMs + 250;
    return;
  }
  const ms = performance.now() - t0;
  evalStep = step;
  evalK = k;
  evalUnjudged = judgePending;  // once the judge is here, this step is measured again in full
  evalEveryMs = nextEvalGap(evalsThisConfig, ms);  // protocol.js: ≤ 2.5 % of the time, quick at first when cheap
  evalsThisConfig++;
  lastEvalAt = performance.now();
  lastBoundAt = lastEvalAt;  // the full metrics carry the bound too
  // judgesTrained: the judges this worker trained itself (seconds away from training): none, where
  // the site's file or the helper gave them.
  post({ type: MSG.METRICS, metrics, step, ms, configVersion, judgesTrained: session.judgesTrained() });
}

// Between an image VAE's full metrics, the held-out bound alone (no judge's figures, no IWAE twin):
// the −ELBO on screen follows training every second or so rather than every 3–4 s. Marked
// partial: the page keeps the judge's last figures beside it (main.js).
function evaluateBound() {
  const step = session.steps();
  lastBoundAt = performance.now();
  const dataset = String(currentConfig.dataset ?? '');
  // While the judge trains aside the full metrics are judge-less already, and as cheap; while its
  // file's reader loads (milliseconds) they wait for it, and so does this.
  const waiting = judgeAside?.dataset === dataset || judgeLoading.has(dataset);
  if (step === evalStep || step === boundStep || waiting || evalBrokenFor === configVersion) return;
  const t0 = performance.now();
  let metrics;
  try {
    metrics = { ...session.evaluateWithoutJudge(0) };
  } catch (e) {
    post({ type: MSG.METRICS, error: errorMessage(e), step, configVersion });
    evalBrokenFor = configVersion;
    return;
  }
  const ms = performance.now() - t0;
  boundStep = step;
  boundEveryMs = nextBoundGap(ms);
  lastBoundAt = performance.now();
  post({ type: MSG.METRICS, metrics, step, ms, configVersion, partial: true, judgesTrained: session.judgesTrained() });
}

// ---------- the metrics' judge, trained aside ----------

// An image data set's metrics need a classifier, trained on first use: 1,500–4,000 batches, 2 s
// for MNIST in a browser, that this worker would spend not training. A helper worker trains it on
// the other core from the same images and seeds (the same bits) while this one trains the model.
/** @type {{dataset: string, worker: Worker} | null} */
let judgeAside = null;

// The site ships each image set's judge, made by this module at build time (judge_file.js): installed,
// it costs the first seconds of no core. One of another recipe (a stale cache), damaged or missing:
// the judge is trained aside as below. The session keeps each set's judge while that set's images stay,
// so a run back on a set finds its judge there (new images of a set drop it).
// judge_file.js comes with the first images: a page of 2-D data never loads it.
/** @type {Promise<typeof import('./judge_file.js')> | null} */
let judgeFile = null;
/** The image sets whose judge waits for judge_file.js, each with its images' message. @type {Map<string, object>} */
const judgeLoading = new Map();

/** @param {{dataset: string, train: ArrayBuffer, test: ArrayBuffer, judge?: Uint8Array | ArrayBuffer | null}} m */
function judgeImages(m) {
  judgeLoading.set(m.dataset, m);
  judgeFile ??= import('./judge_file.js');
  /** @param {typeof import('./judge_file.js').readJudge | null} readJudge */
  const arrived = (readJudge) => {
    if (judgeLoading.get(m.dataset) !== m) return;   // newer images of this set came meanwhile
    judgeLoading.delete(m.dataset);
    if (!readJudge || !installShippedJudge(readJudge, m.dataset, m.judge)) trainJudgeAside(m.dataset, m.train, m.test);
    if (configured && !playing) evaluateSoon();
  };
  judgeFile.then(({ readJudge }) => arrived(readJudge), (e) => {
    judgeFile = null;   // tried again with the next images
    console.info(`GenLab: the judge file's reader did not load (${errorMessage(e)}); training it aside`);
    arrived(null);
  });
}

/**
 * @param {typeof import('./judge_file.js').readJudge} readJudge
 * @param {string} dataset @param {Uint8Array | ArrayBuffer | null | undefined} bytes → whether it is installed
 */
function installShippedJudge(readJudge, dataset, bytes) {
  if (!bytes) return false;
  let why;
  try {
    const read = readJudge(bytes, dataset, session.judgeRecipe(dataset));
    if ('weights' in read) {
      session.installJudge(dataset, read.weights);
    } else {
      why = read.why;
    }
  } catch (e) {
    why = errorMessage(e);
  }
  if (why !== undefined) {
    console.info(`GenLab: the site's judge of ${dataset} was not used (${why}); training it aside`);
    return false;
  }
  if (judgeAside?.dataset === dataset) {   // one for an earlier copy of these images, no longer needed
    judgeAside.worker.terminate();
    judgeAside = null;
  }
  return true;
}

/** @param {string} dataset @param {ArrayBuffer | Uint8Array} train @param {ArrayBuffer | Uint8Array} test */
function trainJudgeAside(dataset, train, test) {
  judgeAside?.worker.terminate();
  judgeAside = null;
  // Where a worker cannot start workers, the judge trains here on first use, as before.
  if (typeof Worker !== 'function') return;
  /** @type {Worker} */
  let worker;
  try {
    worker = new Worker(new URL('./judge_worker.js', import.meta.url), { type: 'module' });
  } catch {
    return;
  }
  const aside = { dataset, worker };
  judgeAside = aside;
  const done = () => {
    worker.terminate();
    if (judgeAside !== aside) return;   // superseded by newer images
    judgeAside = null;
    if (configured && !playing) evaluateSoon();
  };
  worker.onmessage = (e) => {
    const { weights, error } = e.data ?? {};
    if (judgeAside === aside) {
      try {
        if (!weights) throw new Error(error ?? 'no weights');
        session.installJudge(dataset, weights);   // that set's, whichever set the run is on now
      } catch (err) {
        console.info(`GenLab: the metrics' classifier was not trained aside (${errorMessage(err)}); training it here`);
      }
    }
    done();
  };
  worker.onerror = (e) => {
    e.preventDefault();
    console.info(`GenLab: the metrics' classifier was not trained aside (${e.message}); training it here`);
    done();
  };
  // A helper that never answers (it should within seconds) is given up: the judge trains here.
  setTimeout(() => {
    if (judgeAside !== aside) return;
    console.info('GenLab: the metrics\' classifier was not trained aside in 60 s; training it here');
    done();
  }, 60000);
  const transfer = [train, test].filter((b) => b instanceof ArrayBuffer);
  worker.postMessage({ dataset, train, test }, { transfer: /** @type {ArrayBuffer[]} */ (transfer) });
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

/** @type {Record<string, string>} */
let currentConfig = {};       // session.config() as of the last configure / load
function settingsText() {
  return { ...currentConfig };
}

/** The setting keys that apply to a model kind (its schema groups). @param {string} model */
function keysOf(model) {
  const groups = kinds.get(model)?.groups ?? [];
  return [...groupOf].filter(([, g]) => groups.includes(g)).map(([k]) => k);
}

// The one reset of run state, after every (re)configure and load: a new run starts at its own step.
function resetRun() {
  currentConfig = { ...session.config() };
  runInfo = session.info();
  configured = true;
  configVersion++;
  diverged = false;
  lastStats = null;
  chunkN = 1;
  msPerStep = NaN;
  tuner.reset();
  rateWindow.length = 0;
  evalStep = -1;
  evalK = 0;
  evalUnjudged = false;
  evalsThisConfig = 0;
  evalEveryMs = 3000;
  lastEvalAt = performance.now() - evalEveryMs + 100;  // first metrics soon after a (re)start
  boundStep = -1;
  boundEveryMs = runInfo?.image && runInfo?.model === 'vae' ? nextBoundGap(0) : Infinity;
  lastBoundAt = performance.now();  // a bound alone only after the run's first full metrics
  dirty = true;
}

// Strict: any error is reported and nothing changes. Fallback (links, presets, model/dataset
// switches): a setting the core rejects is reset to its default, with a notice, until it passes.
/** @param {Record<string, string>} requested @param {string} mode @param {number | string} id */
function configure(requested, mode, id) {
  const s = wellFormedSettings(requested);
  /** @type {{key: string, params: object}[]} */
  const notices = [];
  /** @type {{ key: string | null, message: string } | null} */
  let error = null;
  for (let attempt = 0; attempt < 16; attempt++) {
    if (s.dataset === 'points' && pointsCount > 0) fitBatchToPoints(s, notices);
    error = M.checkConfig(s);
    if (error === null) {
      try {
        session.configure(s);
        break;
      } catch (e) {
        error = errorInfo(e);
      }
    }
    const key = error.key;
    if (mode !== 'fallback' || !key || !(key in s) || key === 'dataset' || key === 'model') break;
    notices.push({ key: 'worker.reset_default', params: { message: error.message, setting: key } });
    delete s[key];
    error = null;
  }
  if (error !== null) {
    post({ type: MSG.CONFIG_ERROR, id, key: error.key, message: error.message });
    return false;
  }
  settings = s;
  resetRun();
  post({ type: MSG.CONFIGURED, id, config: settingsText(), notices, configVersion, info: pageInfo() });
  if (!playing) evaluateSoon();
  return true;
}

// New points while training on "points" rebuild the run, which fails when the batch is larger
// than the new set: the batch is first fitted to the new number of points.
/** @param {Float32Array} xy @param {number | string} id */
function usePoints(xy, id) {
  const n = xy.length / 2;
  if (currentConfig.dataset === 'points' && Number(settings.batch ?? 128) > n) {
    const s = { ...settings };
    pointsCount = n;
    fitBatchToPoints(s, []);
    // The page words it from the catalog key (this worker has no catalog).
    if (!configure(s, 'strict', id)) throw Object.assign(new Error(), { i18n: 'points.batch_unfit' });
  }
  session.setPoints(xy);
  pointsCount = n;
}

// The points data set needs batch ≤ number of points (and a multiple of pack where the model
// kind packs examples).
/** @param {Record<string, string>} s @param {{key: string, params: object}[]} notices */
function fitBatchToPoints(s, notices) {
  const batch = Number(s.batch ?? 128);
  if (batch <= pointsCount) return;
  const pack = keysOf(s.model ?? 'vae').includes('pack') ? Number(s.pack ?? 1) : 1;
  const fitted = Math.max(pack, Math.floor(pointsCount / pack) * pack);
  s.batch = String(fitted);
  notices.push({ key: 'worker.points_batch', params: { batch, points: pointsCount, fitted } });
}

// What the page needs of the run: the core's record, the box as a plain array.
function pageInfo() {
  const i = /** @type {RunInfo} */ (runInfo);
  return { ...i, box: Array.from(i.box), views: Array.from(i.views), channels: Array.from(i.channels),
    parts: Array.from(i.parts), groups: Array.from(i.groups), arch: session.architecture() };
}

// ---------- messages ----------

/** @type {Record<string, (m: any) => void>} */
const handlers = {
  [MSG.CONFIGURE]: (m) => {
    configure(m.settings, m.mode, m.id);   // on failure nothing changes, training goes on
  },
  [MSG.IMAGES]: (m) => {
    session.provideImages(m.dataset, new Uint8Array(m.train), new Uint8Array(m.test));
    judgeImages(m);
  },
  [MSG.POINTS]: (m) => {
    usePoints(new Float32Array(m.xy), m.id ?? 'points');
  },
  [MSG.POINTS_CSV]: (m) => {
    let xy;
    try {
      xy = M.parsePointsCsv(wellFormed(m.text));
      usePoints(xy, m.id);
    } catch (e) {
      post({ type: MSG.POINTS_ERROR, id: m.id, ...errorInfo(e) });
      return;
    }
    // The parsed points go back (the page keeps them to replay and to add drawn ones).
    if (configure({ ...settings, dataset: 'points' }, 'fallback', m.id)) {
      post({ type: MSG.POINTS, id: m.id, xy, count: xy.length / 2 });
    }
  },
  [MSG.PLAY]: (m) => {
    playing = Boolean(m.on) && configured && !diverged;
    if (m.on && !playing) post({ type: MSG.PAUSED, reason: diverged ? 'diverged' : 'not configured' });
    if (playing) {
      rateWindow.length = 0;
      // Metrics once there is training to measure: 0.1 s after Play at the soonest.
      lastEvalAt = Math.max(lastEvalAt, performance.now() - evalEveryMs + 100);
      lastBoundAt = performance.now();  // the full metrics come first
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
    const part = String(m.part ?? 'train');
    if (part !== 'train' && !runInfo?.parts.includes(part)) return;
    const s = part === 'train' ? session.train(n) : session.trainPart(part, n);
    afterSteps(s);
    post({ type: MSG.STATS, id: m.id, stats: lastStats, part });
    evaluateSoon();
  },
  [MSG.RESET]: (m) => {
    configure(settings, 'fallback', m.id ?? 'reset');
  },
  [MSG.FRAME_REQUEST]: (m) => {
    giveBack(m.give);   // the views' buffers of frames the page has replaced
    pendingView = { ...(m.view ?? {}), force: Boolean(m.force || pendingView?.force) };
    if (m.force) dirty = true;
  },
  [MSG.EVALUATE]: () => { if (configured) evaluate(); },
  [MSG.PROBE]: (m) => { post({ type: MSG.PROBED, id: m.id, liveSessions: M.liveSessions(), heap: M.heapStats() }); },
  // Live settings on the running model (weights, optimizer state, steps and history stay).
  [MSG.RETUNE]: (m) => {
    if (!configured) return;
    const s = { ...settings, ...m.settings };
    try {
      session.retune(s);
    } catch (e) {
      const error = errorInfo(e);
      post({ type: MSG.CONFIG_ERROR, id: m.id, key: error.key, message: error.message });
      return;
    }
    settings = s;
    runInfo = session.info();
    currentConfig = { ...session.config() };
    dirty = true;
    post({ type: MSG.RETUNED, id: m.id, config: settingsText(), configVersion, info: pageInfo() });
  },
  [MSG.SAVE]: (m) => {
    // format 'safetensors' or 'onnx': the weights with PyTorch's names (downloads.js adds the
    // generated PyTorch module, or writes the ONNX graphs from them).
    const weights = m.format === 'safetensors' || m.format === 'onnx';
    const bytes = (weights ? session.exportSafetensors() : session.saveModel()).slice();
    // PyTorch: a 2-D set's training points go along for train.py (image sets train from .glds).
    const points = m.format === 'safetensors' && !runInfo?.image ? session.exportTrainingPoints(100000).slice() : undefined;
    post({ type: MSG.SAVED, id: m.id, bytes, points, format: m.format, config: settingsText(), step: session.steps() });
  },
  [MSG.LOAD]: (m) => {
    const bytes = new Uint8Array(m.bytes);
    try {
      // A model of an image data set needs its images first: the page fetches them and retries.
      // (A .safetensors file without GenLab's metadata loads into the model configured now.)
      const info = M.modelFileInfo(bytes);
      const dataset = info.plain ? session.config().dataset : info.config.dataset;
      if (datasets.get(dataset)?.kind === 'image' && !session.hasImages(dataset)) {
        post({ type: MSG.LOAD_ERROR, id: m.id, key: 'dataset', needImages: dataset, i18n: 'files.need_images', message: dataset });
        return;
      }
      session.loadModel(bytes);
    } catch (e) {
      post({ type: MSG.LOAD_ERROR, id: m.id, ...errorInfo(e) });
      return;
    }
    playing = false;
    settings = { ...session.config() };
    resetRun();
    evalsThisConfig = 0;
    post({ type: MSG.LOADED, id: m.id, config: settingsText(), configVersion, info: pageInfo(), step: session.steps(),
      epoch: session.epoch() });
    evaluateSoon();
  },
};

// After these, the page hears how much of the wasm memory is in use (it may recycle this worker).
const HEAP_AFTER = new Set([MSG.CONFIGURE, MSG.LOAD, MSG.POINTS, MSG.POINTS_CSV, MSG.RESET]);

self.onmessage = (e) => {
  const m = e.data;
  const h = m && handlers[m.type];
  if (!h) return;
  if (!session) return;
  try {
    h(m);
    if (HEAP_AFTER.has(m.type)) post({ type: MSG.HEAP, heap: { ...M.heapStats() } });
  } catch (err) {
    fatal(err);
  }
  if (!tickQueued) schedule();
};

// V8 compiles wasm functions lazily on first call: run one small model of every kind through every
// view it offers on a throwaway session while the page is still building its form, so the first
// real frame is not the slow one.
function warmUp() {
  const warm = new M.Session();
  try {
    for (const k of kinds.keys()) {
      warm.configure({ model: k, batch: '32' });
      warm.train(2);
      buildFrame(warm, { have: -1, field: true, arrows: true, grid: false, recon: true, interp: false }, warm.info(), 0, true, 32);
    }
  } catch {
    // only a warm-up: the real session reports its own errors
  } finally {
    warm.delete();
  }
}

// The threaded module (genlab-mt.mjs: two threads for large matrix products and optimizer updates,
// the same bits as one thread) needs SharedArrayBuffer, which the browser gives only to a
// cross-origin isolated page (COOP/COEP headers, as `scripts/genlab serve` sends). Anything wrong with
// it falls back to the single-threaded module: never a page that fails to start.
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
  tuner = createThreadTuner(M.threads());
  threadsNow = M.threads();
  session = new M.Session();
  const schema = M.schema().map((f) => ({ ...f, choices: Array.from(f.choices) }));
  groupOf = new Map(schema.map((f) => [f.key, f.group]));
  const ds = M.datasets().map((d) => ({ ...d, classNames: Array.from(d.classNames) }));
  datasets = new Map(ds.map((d) => [d.name, d]));
  const mk = M.modelKinds().map((k) => ({ ...k, groups: Array.from(k.groups), parts: Array.from(k.parts),
    channels: Array.from(k.channels), views2d: Array.from(k.views2d), viewsImage: Array.from(k.viewsImage) }));
  kinds = new Map(mk.map((k) => [k.name, k]));
  post({
    type: MSG.READY, version: M.version(), simd: M.simd(), simdEnabled: M.simdEnabled(), threads: M.threads(), schema,
    presets: M.presets().map((p) => ({ ...p, settings: { ...p.settings } })), datasets: ds, modelKinds: mk,
  });
  warmUp();
} catch (e) {
  post({ type: MSG.ERROR, message: `could not start the GenLab module: ${errorMessage(e)}`, fatal: true, startup: true });
}
