// GenLab page controller: wires the worker (client.js), the settings form (controls.js), the
// URL state (state.js), the views (views.js) and the panels together. It holds the page's state
// (the running config, view toggles, data it fetched or the user drew) and only draws: all
// training happens in the worker. Test hook: window.__genlab (read-only summary).
import { createClient } from './client.js';
import { buildControls } from './controls.js';
import { defaultPoints, loadImageSet } from './data.js';
import { applyEmbedFlags, createCoursePanel } from './embed.js';
import { fileStem, wireFiles } from './files.js';
import { historyCsv, metricsCsv, setChannelKind } from './format.js';
import { CARRIED_VIEWS, releasable } from './frames.js';
import { createNotices } from './notices.js';
import { createPanels } from './panels.js';
import { createPersist } from './persist.js';
import { wirePoints } from './points_ui.js';
import { MSG, RECYCLE_MIN_INTERVAL_MS, divergenceAdvice, heapWasted } from './protocol.js';
import { createToolbar } from './toolbar.js';
import { VIEW_FIELDS, defaultsOf, encodeHash, lessonOf, matchPreset, parseHash } from './state.js';
import { wireViewControls } from './view_controls.js';
import { createViews } from './views.js';
import { createExpectation } from './expect.js';
import { COLORS } from './render/colors.js';
import { commands, emit, on } from './bus.js';
import { initI18n, onLanguageChange, pickLanguage, setLanguage, setText, t } from './i18n.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
// The page's language first (lang= in the link, else the browser's), so nothing shows in another.
const startLang = pickLanguage(`${location.search}${location.hash}`, [...(navigator.languages ?? [navigator.language])]);
/** @type {Error | null} */
let catalogError = null;
await initI18n(startLang).catch(async (e) => {
  catalogError = e;
  await initI18n('en').catch(() => {});
});
const notices = createNotices($('notices'));
const panels = createPanels();
const CARRIED_KEYS = CARRIED_VIEWS.flatMap((k) => [k, `${k}Res`, `${k}Steps`]);

const app = {
  schema: [], keys: new Set(), presets: [], defaults: {},
  datasets: new Map(),     // name → the core's data-set record (kind, title, classNames, …)
  kinds: new Map(),        // model kind → the core's record (groups, parts, channels, views)
  requests: new Map(),     // request id → what it was for ({ why, key? }); answers echo the id
  nextId: 0,
  config: null,            // the running configuration (every key, text) as the worker reports it
  info: null,              // the run's RunInfo from the core (views, channels, parts, box, …)
  configVersion: -1,
  view: defaultsOf(VIEW_FIELDS),
  hide: new Set(),
  embed: false,
  lang: /[#?&]lang=/.test(location.href) ? startLang : null,   // in the link when chosen
  playing: false,
  frame: null,             // the latest frame, slow views carried over
  step: 0,                 // the run's step as last heard: a frame's, or a loaded model's before its first frame
  real: null,              // static data of this configuration: { real, box }
  stats: null,
  rate: 0,
  metricsLog: [],
  /** @type {Record<string, number> | null} the metrics on screen: the last full set with any newer partial one over it */
  metrics: null,
  points: null,            // Float32Array of the "points" data set (page-owned, replayed to the worker)
  sent: { images: new Set(), points: false },
  seq: 0,
  frames: 0,
  started: false,
};
const timing = {};         // ms since navigation: module ready, first configure, first frame
window.__genlab = { ready: false, timing };

// Embed flags before the module loads, so an embedded page does not flash the full layout.
applyEmbedFlags(new Set(), /(^#|&)embed=(1|true)(&|$)/.test(location.hash));

// Sessions survive the tab (persist.js): what is kept, and how a kept session is put back.
// (Before the client: a worker message replayed at once may already need it.)
const persist = createPersist({
  notices,
  snapshot: () => ({ embed: app.embed, config: app.config, configVersion: app.configVersion, view: app.view, points: app.points,
    history: app.frame?.history ?? null, epoch: app.frame?.epoch ?? app.stats?.epoch ?? 0, playing: app.playing }),
  requestSave: () => request({ type: MSG.SAVE }, { why: 'persist', version: app.configVersion }),
  async resume(rec) {
    ++app.seq;   // a configure still waiting for its data must not replace the resumed run
    if (app.playing) togglePlay();
    app.view = { ...app.view, ...rec.view };
    syncViewControls();
    if (rec.points) {
      app.points = rec.points;
      app.sent.points = false;   // prepareData sends them when the run is on the points
    }
    await prepareData(rec.config.dataset);
    request({ type: MSG.LOAD, bytes: rec.bytes }, { why: 'resume', bytes: rec.bytes }, true);
  },
});
on('stats', (e) => persist.stats(e));
on('configured', (e) => persist.configured(e));
window.__genlab.persist = persist.state;   // test hook: { enabled, hold, offered, writing, lastStep, keptStep }

const client = createClient({ message: onMessage, crashed: onCrash });
let controls = null;
let course = null;
const views = createViews({ onPointsStroke: (xy) => addPoints(xy), onPick: (w, i) => pickExample(w, i) });

// ---------- worker messages ----------

function onMessage(m) {
  switch (m.type) {
    case MSG.READY: return onReady(m);
    case MSG.CONFIGURED: return onConfigured(m.config, m.info, m.configVersion, m.notices, answered(m.id));
    case MSG.LOADED: {
      const origin = answered(m.id);
      // Also after a restart's restore: the notice says from which step training resumes.
      if (origin.why === 'undo') panels.announce(t('status.undone', { step: m.step }), true);
      else if (origin.why !== 'resume' && origin.why !== 'recycled') filesUi.loaded(m);
      const goOn = origin.resume && app.playing;  // a lesson's trained start: keep playing from it
      setPlaying(false);
      persist.loaded(m, origin.why);
      onConfigured(m.config, m.info, m.configVersion, [], origin);
      app.step = m.step;
      if (origin.why === 'resume') app.checkpoint = { bytes: origin.bytes, step: m.step };
      if (origin.why === 'recycled') recycled();
      if (goOn) togglePlay();
      return undefined;
    }
    case MSG.CONFIG_ERROR: return onConfigError(m, answered(m.id));
    case MSG.FRAME: return onFrame(m);
    case MSG.STATS:
      app.stats = m.stats;
      answered(m.id);
      if (m.part === 'd' || m.part === 'g') panels.announcePart(m.stats, m.part, app.info?.channels ?? []);
      else panels.announceStats(m.stats, 0, app.info?.channels ?? [], true);
      return undefined;
    case MSG.METRICS:
      if (m.configVersion !== app.configVersion) return undefined;
      if (m.error) {
        app.metrics = null;
        return panels.clearMetrics(t('metrics.unavailable', { error: m.error }));
      }
      app.metricsLog.push({ step: m.step, metrics: m.metrics });  // as measured (a partial row: the bound alone)
      if (app.metricsLog.length > 5000) app.metricsLog.splice(0, 1000);
      // A partial message (an image VAE's bound between its full metrics) updates what it measured;
      // the judge's figures stay as last measured.
      app.metrics = m.partial ? { ...app.metrics, ...m.metrics } : m.metrics;
      emit('metrics', { metrics: app.metrics, step: m.step });
      return panels.metrics(app.metrics, m.step, m.ms);
    case MSG.DIVERGED:
      setPlaying(false);
      notices.show(divergenceAdvice(m.config, kindKeys(m.config?.model), m.restoredTo), { kind: 'error', key: 'diverged' });
      panels.announce(t('status.diverged'), true);
      return undefined;
    case MSG.PAUSED:
      setPlaying(false);
      if (m.reason === 'diverged') panels.announce(t('status.reset_first'), true);
      return undefined;
    case MSG.POINTS:
      answered(m.id);
      return pointsUi.parsed(new Float32Array(m.xy), m.count);
    case MSG.POINTS_ERROR:
      answered(m.id);
      return pointsUi.failed(m.i18n ? t(m.i18n) : m.message);
    case MSG.RETUNED: return onRetuned(m, answered(m.id));
    case MSG.SAVED: {
      const origin = answered(m.id);
      if (origin.why === 'undo') return offerUndo(m, origin);
      if (origin.why === 'recycle') return recycleWith({ bytes: m.bytes, step: m.step });
      return origin.why === 'persist' ? persist.saved(m, origin.version) : filesUi.saved(m);
    }
    case MSG.CHECKPOINT:
      // The latest healthy model, kept by the page so a restarted worker resumes from it.
      if (m.configVersion === app.configVersion) {
        app.checkpoint = { blob: m.blob, step: m.step };
        persist.checkpoint(m);   // and the browser's storage keeps the session (persist.js)
      }
      return undefined;
    case MSG.HEAP:
      window.__genlab.heap = m.heap;
      if (heapWasted(m.heap)) recycle();
      return undefined;
    case MSG.PROBED:
      answered(m.id).resolve?.({ liveSessions: m.liveSessions, heap: m.heap });
      return undefined;
    case MSG.LOAD_ERROR: {
      const origin = answered(m.id);
      if (origin.why === 'restore' || origin.why === 'recycled') {
        notices.show(t('notice.restore_failed', { message: m.message }), { kind: 'warn' });
        if (origin.why === 'recycled') recycled();
        return undefined;
      }
      if (origin.why === 'resume') return persist.loadFailed(m);
      return filesUi.failed(m);
    }
    case MSG.ERROR:
      notices.show(t('notice.worker_error', { message: m.message }), { kind: 'error', key: `werr:${m.message.slice(0, 40)}` });
      return undefined;
    default:
      return undefined;
  }
}

// ---------- recycling the worker (its wasm memory cannot shrink) ----------
// After a request left most of the worker's memory free (protocol.js heapWasted), the model is
// saved, a fresh worker replaces the old one, and settings, data and model are put back; training
// goes on if it was running. At most once per RECYCLE_MIN_INTERVAL_MS.
let recycling = false;
let lastRecycleAt = -Infinity;
let playAfterRecycle = false;
function recycle() {
  if (recycling || !app.config || performance.now() - lastRecycleAt < RECYCLE_MIN_INTERVAL_MS) return;
  const wasPlaying = app.playing;
  if (app.playing) togglePlay();   // (before `recycling` is set: this pause goes to the old worker)
  recycling = true;
  window.__genlab.recycling = true;
  playAfterRecycle = wasPlaying;
  // Never stuck: an answer that does not come (a save that failed) ends the recycle anyway.
  setTimeout(recycled, 20000);
  // (app.step, not the frame's: a model just loaded has no frame yet, and the heap report that
  // asks for this recycle comes right after the load.)
  if (app.step > 0) request({ type: MSG.SAVE }, { why: 'recycle' });
  else recycleWith(null);
}
function recycleWith(checkpoint) {
  app.checkpoint = checkpoint;
  app.sent.images.clear();
  app.sent.points = false;
  client.recycle();   // its `ready` replays the settings (onReady), then the checkpoint (onConfigured)
}
function recycled() {
  if (!recycling) return;
  recycling = false;
  window.__genlab.recycling = false;
  lastRecycleAt = performance.now();
  window.__genlab.recycles = (window.__genlab.recycles ?? 0) + 1;
  if (playAfterRecycle && !app.playing) togglePlay();
}

function onCrash(reason, willRestart) {
  setPlaying(false);
  app.sent.images.clear();
  app.sent.points = false;
  const text = !willRestart ? t('notice.crash_final', { reason })
    : app.checkpoint ? t('notice.crash_resume', { reason, step: app.checkpoint.step }) : t('notice.crash_restart', { reason });
  notices.show(text, { kind: 'error', key: 'crash' });
  setEnabled(false);
}

function onReady(m) {
  window.__genlab = { ...window.__genlab, version: m.version, simd: m.simd, simdEnabled: m.simdEnabled, threads: m.threads };
  timing.ready ??= Math.round(performance.now());
  setText($('build-info'), `page.build_${m.simdEnabled ? 'on' : 'off'}_${m.threads > 1 ? 'n' : '1'}`, { version: m.version, simd: m.simd, threads: m.threads });
  if (app.started) {
    // A restarted worker: replay what the page holds.
    setSpeed(Number(app.view.speed));
    configure(app.config ?? {}, 'fallback', { why: 'restart' });
    return;
  }
  app.started = true;
  app.datasets = new Map(m.datasets.map((d) => [d.name, d]));
  app.kinds = new Map(m.modelKinds.map((k) => [k.name, k]));
  app.schema = m.schema;
  app.keys = new Set(m.schema.map((f) => f.key));
  app.defaults = defaultsOf(m.schema);
  app.presets = m.presets;
  buildForm();
  applyHash(location.hash, 'initial');
  window.addEventListener('hashchange', () => applyHash(location.hash, 'link'));
  // The explanations and the model graph come after the first picture (drawFrame); here only in
  // case no picture comes (a link whose settings fail).
  setTimeout(loadExplanations, 3000);
  persist.offer();   // a session kept in the browser: offered with Resume / Discard
  // Lessons load on demand: the Lessons button or a lesson= link.
  const lessons = () => import('./lessons.js').then((m) => m.initLessons({ presets: app.presets, schema: app.schema }));
  $('lessons-open').addEventListener('click', () => lessons().then((l) => l.open()));
  const linked = () => lessonOf(location.hash) && lessons();
  linked();
  window.addEventListener('hashchange', linked);
}

// Sends a request with a fresh id, remembering what it was for; the answer carries the id back.
function request(msg, origin, copy = false) {
  const id = ++app.nextId;
  app.requests.set(id, origin);
  (copy ? client.postCopy : client.post)({ ...msg, id });
  return id;
}

// What the request `id` was for (and forget it): { why, key? }, or { why: 'worker' } when the
// worker acted on its own.
function answered(id) {
  const origin = app.requests.get(id) ?? { why: 'worker' };
  app.requests.delete(id);
  return origin;
}

const dataKind = (dataset) => (app.datasets.get(dataset)?.kind === 'image' ? 'image' : '2d');

// The setting keys that apply to a model kind: those of its schema groups.
function kindKeys(model) {
  const groups = app.kinds.get(model)?.groups ?? [];
  return app.schema.filter((f) => groups.includes(f.group)).map((f) => f.key);
}

function onConfigured(config, info, version, extraNotices, origin) {
  if (origin.why === 'restart' && app.checkpoint) {
    // A restarted worker is configured again: now put the last checkpoint back. Its `loaded`
    // reply comes back through onConfigured with the origin 'restore' ('recycled' after a recycle).
    const { bytes, blob } = app.checkpoint;
    const why = recycling ? 'recycled' : 'restore';
    // (Read from the Blob after this function has made `version` the page's: a newer configure
    // in between wins.)
    const load = (/** @type {ArrayBuffer} */ b) => { if (app.configVersion === version) request({ type: MSG.LOAD, bytes: b }, { why }, true); };
    if (bytes) request({ type: MSG.LOAD, bytes }, { why }, true);
    else blob.arrayBuffer().then(load, (e) => notices.show(t('notice.restore_failed', { message: e.message }), { kind: 'warn' }));
  } else if (origin.why === 'restart' && recycling) {
    queueMicrotask(recycled);   // nothing trained to put back: the run starts as it was
  }
  if (origin.why !== 'restart' && origin.why !== 'load' && origin.why !== 'restore' && origin.why !== 'recycled') {
    app.checkpoint = null;  // a new run: an older run's checkpoint must never come back
  }
  app.config = config;
  app.info = info;
  app.configVersion = version;
  app.frame = null;
  app.step = 0;
  app.real = null;
  app.stats = null;
  app.metricsLog = [];
  app.metrics = null;
  // The worker's notices are {key, params} for the catalog.
  for (const n of extraNotices ?? []) notices.show(t(n.key, n.params), { kind: 'warn' });
  notices.clear('diverged');
  controls.clearErrors();
  controls.setValues(config);
  controls.setRelevance(config, dataKind(config.dataset));
  views.setMode(info, { pointsData: config.dataset === 'points', classNames: app.datasets.get(config.dataset)?.classNames ?? [] });
  syncViewControls();
  $('points-panel').hidden = config.dataset !== 'points';
  $('preset').value = matchPreset(config, app.presets, app.schema);
  showGroups(info.groups);
  setChannelKind(config.model);
  panels.clearMetrics();
  panels.resetChart(info.channels);
  panels.readout(0, null, 0);
  setEnabled(true);
  writeHash();
  course.rebuild();
  requestFrame(true);
  timing.configured ??= Math.round(performance.now());
  window.__genlab = { ...window.__genlab, ready: true, configVersion: version, config: { ...config } };
  emit('configured', { config: { ...config }, info, arch: parseArch(info.arch) });
  if (origin.why !== 'restart') panels.announce(t('status.ready', { model: t(`model.${config.model}`), dataset: t(`dataset.${config.dataset}`) }), true);
}

// Live settings took: the same run goes on (same configVersion, frames keep coming).
function onRetuned(m, origin) {
  if (m.configVersion !== app.configVersion) return;
  app.config = m.config;
  app.info = m.info;
  controls.clearErrors();
  controls.setValues(m.config);
  controls.setRelevance(m.config, dataKind(m.config.dataset));
  views.setMode(m.info, { pointsData: m.config.dataset === 'points', classNames: app.datasets.get(m.config.dataset)?.classNames ?? [] });
  $('preset').value = matchPreset(m.config, app.presets, app.schema);
  writeHash();
  course.rebuild();
  requestFrame(true);
  window.__genlab = { ...window.__genlab, config: { ...m.config }, retuned: (window.__genlab.retuned ?? 0) + 1 };
  emit('configured', { config: { ...m.config }, info: m.info, arch: parseArch(m.info.arch), retuned: true });
  panels.announce(t('status.retuned', { setting: t(`setting.${origin.key}`) }), true);
}

// The run a setting change replaced, kept until the next such change: Undo loads it back
// (weights, optimizer state, step and its settings).
function offerUndo(m, origin) {
  notices.show(t('notice.new_run', { setting: t(`setting.${origin.key}`) }), {
    kind: 'info', key: 'undo',
    action: { label: t('notice.undo'), run: () => request({ type: MSG.LOAD, bytes: m.bytes }, { why: 'undo' }, true) },
  });
}

function onConfigError(m, origin) {
  notices.clear('undo');   // the run that would have been replaced is still running
  const key = m.key ?? origin.key ?? null;
  if (origin.why === 'initial' || origin.why === 'link') {
    notices.show(t('notice.link_unusable', { message: configMessage(m, origin) }), { kind: 'warn' });
    configure({ seed: app.config?.seed ?? app.defaults.seed }, 'fallback', { why: 'defaults' });
    return;
  }
  const message = configMessage(m, origin);
  if (key && controls.setError(key, message)) {
    if (origin.key && key !== origin.key) controls.setError(origin.key, t('error.not_applied', { message }));
  } else {
    notices.show(t('error.settings_not_applied', { message }), { kind: 'error', key: 'config' });
  }
  panels.announce(t('error.settings_not_applied', { message }), true);
}

// A configuration error in the page's language, from the core's error key (never its text): a
// setting's name, the value tried and what the schema accepts; the core's own words only when
// the error names no single setting.
function configMessage(m, origin) {
  const key = m.key ?? origin.key ?? null;
  const f = app.schema.find((x) => x.key === key);
  if (!f) return m.message;
  const tried = origin.key === key ? origin.value : undefined;
  const expected = f.type === 'enum' ? t('expect.enum', { choices: f.choices.join(', ') })
    : f.type === 'bool' ? t('expect.bool')
      : f.type === 'intlist' ? t('expect.intlist')
        : t(f.type === 'int' ? 'expect.int' : 'expect.float', { min: f.min, max: f.max });
  return tried === undefined ? t('error.setting_rejected', { name: t(`setting.${key}`), expected })
    : t('error.setting_invalid', { name: t(`setting.${key}`), value: String(tried).slice(0, 40), expected });
}

// ---------- configuring ----------

// Sends settings to the worker once the data they name is there. mode: 'strict' | 'fallback';
// origin: what asked ({ why, key? }). A newer request supersedes one still waiting for its download.
async function configure(settings, mode, origin) {
  const dataset = settings.dataset ?? app.defaults.dataset;
  const seq = ++app.seq;
  try {
    await prepareData(dataset);
  } catch (e) {
    if (seq !== app.seq) return;
    notices.show(t('notice.download_failed', { dataset: t(`dataset.${dataset}`), message: e.message }), { kind: 'error', key: 'download' });
    panels.announce(t('status.download_failed', { dataset: t(`dataset.${dataset}`) }), true);
    if (app.config) controls.setValues(app.config);
    else configure({ ...settings, dataset: app.defaults.dataset }, 'fallback', origin);
    return;
  }
  if (seq !== app.seq) return;
  request({ type: MSG.CONFIGURE, settings: { ...settings }, mode }, origin);
}

async function prepareData(dataset) {
  if (app.datasets.get(dataset)?.kind === 'image' && !app.sent.images.has(dataset)) {
    panels.announce(t('status.downloading', { dataset: t(`dataset.${dataset}`) }), true);
    const { train, test, judge } = await loadImageSet(dataset, panels.progress).finally(() => panels.progress(null));
    client.postCopy({ type: MSG.IMAGES, dataset, train, test, judge });
    app.sent.images.add(dataset);
    panels.announce(t('status.downloaded', { dataset: t(`dataset.${dataset}`), mb: ((train.length + test.length) / 1048576).toFixed(1) }), true);
  }
  if (dataset === 'points' && !app.sent.points) {
    app.points ??= defaultPoints();
    if (app.points.length >= 4) client.postCopy({ type: MSG.POINTS, xy: app.points });
    app.sent.points = true;
  }
}

function applyHash(hash, why) {
  const parsed = parseHash(hash, app.schema);
  // One notice for all of a link's problems; editing the link again replaces it.
  if (parsed.notices.length) notices.show([t('notice.link_problems', { n: parsed.notices.length }), ...parsed.notices], { kind: 'warn', key: 'link' });
  else notices.clear('link');
  app.view = parsed.view;
  app.hide = parsed.hide;
  app.embed = parsed.embed;
  if (parsed.lang && parsed.lang !== app.lang) {
    app.lang = parsed.lang;
    switchLanguage(parsed.lang);
  }
  applyEmbedFlags(app.hide, app.embed);
  syncViewControls();
  // A bare page opens on the most telling first view: the GAN chasing the 8-mode ring.
  // (A link that names settings, even invalid ones, is not bare: it gets the defaults.)
  const named = hash.replace(/^#/, '').split('&').map((p) => p.split('=')[0]).filter((k) => app.keys.has(k));
  const bare = why === 'initial' && named.length === 0;
  const first = bare ? app.presets.find((p) => p.name === FIRST_PRESET)?.settings ?? {} : {};
  configure({ ...first, ...parsed.settings }, 'fallback', { why });
}
const FIRST_PRESET = 'ring8-gan';

function writeHash() {
  if (!app.config) return;
  const hash = currentHash();
  const url = `${location.pathname}${location.search}${hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
  /** @type {HTMLAnchorElement} */ (document.getElementById('open-full')).href = `${location.pathname}${location.search}${encodeHash({ settings: app.config, view: app.view }, app.schema)}`;
  course?.update();
}

const currentHash = () => encodeHash({ settings: app.config, view: app.view, hide: app.hide, embed: app.embed, lang: app.lang, lesson: lessonOf(location.hash) }, app.schema);

// ---------- language ----------

const langSelect = /** @type {HTMLSelectElement} */ (/** @type {unknown} */ ($('lang')));
langSelect.value = startLang;
if (catalogError) notices.show(t('notice.catalog_failed', { message: catalogError.message }), { kind: 'warn' });
langSelect.addEventListener('change', () => {
  app.lang = langSelect.value;
  switchLanguage(app.lang);
  writeHash();
});

// Loads the other catalog and re-words the page; a failed download keeps the current language.
async function switchLanguage(lang) {
  try {
    await setLanguage(lang);
  } catch (e) {
    notices.show(t('notice.catalog_failed', { message: e.message }), { kind: 'warn', key: 'lang' });
  }
}

onLanguageChange((lang) => {
  langSelect.value = lang;
  if (app.info) views.setMode(app.info, { pointsData: app.config?.dataset === 'points', classNames: app.datasets.get(app.config?.dataset)?.classNames ?? [] });
  course?.rebuild();
  panels.relabel();
  if (app.frame) drawFrame();
  panels.announceStats(app.stats, 0, app.info?.channels ?? [], true);
  emit('language', { lang });
});

// ---------- the settings form ----------

function buildForm() {
  const place = (f) => (f.key === 'dataset' || f.key === 'model' ? $(`slot-${f.key}`) : $(`group-${f.group}`) ?? $('group-general'));
  controls = buildControls(app.schema, place, onSettingChange);
  $('set-seed')?.closest('.field')?.after($('group-general').querySelector('.seed-row'));
  const preset = $('preset');
  for (const p of app.presets) {
    const o = document.createElement('option');
    o.value = p.name;
    o.textContent = p.name;
    preset.append(o);
  }
  preset.addEventListener('change', () => {
    const p = app.presets.find((q) => q.name === preset.value);
    if (!p) return;
    panels.announce(t('status.preset', { name: p.name }), true);
    configure({ ...p.settings, seed: app.config?.seed ?? app.defaults.seed }, 'fallback', { why: 'preset' });
  });
  $('settings-form').addEventListener('submit', (e) => e.preventDefault());
  course = createCoursePanel($('course'), () => ({
    hash: currentHash(),
    hide: app.hide,
    fields: app.schema.filter((f) => app.info && app.info.groups.includes(f.group)),
    views: app.info?.views ?? [],
  }), (text) => panels.announce(text, true));
}

function onSettingChange(key, value) {
  if (!app.config) return;
  const field = app.schema.find((f) => f.key === key);
  // Every other field shows what is running again (an earlier rejected value must not stay
  // on screen as if it were in use).
  controls.clearErrors();
  controls.setValues({ ...app.config, [key]: value });
  controls.setRelevance({ ...app.config, [key]: value }, dataKind(app.config.dataset));
  if (field?.live) {
    // Applied to the running model at its next step: weights and optimizer state stay.
    request({ type: MSG.RETUNE, settings: { ...app.config, [key]: value } }, { why: 'setting', key, value });
    return;
  }
  // A new run: keep the current one (if it trained) so that Undo can bring it back.
  if ((app.frame?.step ?? 0) > 0) request({ type: MSG.SAVE }, { why: 'undo', key, config: app.config });
  const mode = key === 'model' || key === 'dataset' ? 'fallback' : 'strict';
  configure({ ...app.config, [key]: value }, mode, { why: 'setting', key, value });
}

// Shows the settings groups the model kind uses (a fieldset per schema group).
function showGroups(groups) {
  for (const g of new Set(app.schema.map((f) => f.group))) {
    const box = $(`group-${g}`);
    if (box) box.hidden = !groups.includes(g);
  }
}

// The core's architecture spec (JSON text in RunInfo.arch), or null when it cannot be read.
function parseArch(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

// ---------- frames and drawing ----------

let rafPending = false;
function onFrame(f) {
  if (f.configVersion !== app.configVersion) return;
  app.frames++;
  // Test and bench hook: the worker's build time of the last frames ([ms, slow]).
  (window.__genlab.builds ??= []).push([f.buildMs, f.slow ? 1 : 0, performance.now()]);
  if (window.__genlab.builds.length > 64) window.__genlab.builds.shift();
  if (f.real) app.real = { real: f.real, version: f.configVersion };
  window.__genlab.threadsInUse = f.threads;   // bench hook: 2 or 1 (threads_tuner.js)
  if (f.images) window.__genlab.imageFrames = (window.__genlab.imageFrames ?? 0) + 1;   // bench hook: frames with new images
  const prev = app.frame;
  if (prev) for (const k of CARRIED_KEYS) if (!(k in f) && k in prev) f[k] = prev[k];
  if (prev) replaced.push(prev);
  app.frame = persist.frame(f);   // a resumed run: the kept loss history and epoch in front
  app.step = f.step;
  app.rate = f.rate;
  if (f.stats) app.stats = f.stats;
  // The next frame is asked for at once, so the worker builds it while this one is drawn (asking
  // after drawing cost a chunk and an animation frame per frame: ~20 frames/s at most). A hidden
  // tab asks only after drawing, which waits until it shows again.
  frameAsked = false;
  if (!document.hidden) requestFrame(false);
  if (!rafPending) {
    rafPending = true;
    requestAnimationFrame(drawFrame);
  }
}

function drawFrame() {
  rafPending = false;
  const f = app.frame;
  if (!f || !app.config) return;
  const real = app.config.dataset === 'points' && app.points ? app.points : app.real?.real;
  views.draw(f, app.view, { real, box: app.info?.box });
  // Frames replaced before this one was drawn are referenced by nothing now: their views' buffers
  // go back to the worker with the next request (frames.js, giveBack).
  if (replaced.length) {
    const buffers = releasable(replaced, f);
    replaced = [];
    if (toGive.length + buffers.length <= 64) toGive.push(...buffers);
    window.__genlab.given = (window.__genlab.given ?? 0) + buffers.length;
  }
  if (f.history) panels.chart(f.history, !app.playing);
  panels.readout(f.step, app.stats, app.playing ? f.rate : 0, f.epoch, !app.playing);
  if (app.stats && (app.playing || app.announceNext)) panels.announceStats(app.stats, app.playing ? f.rate : 0, app.info?.channels ?? [], app.announceNext);
  app.announceNext = false;
  if (f.stats) emit('stats', { stats: f.stats, step: f.step, rate: f.rate, playing: app.playing });
  window.__genlab.frames = app.frames;
  if (timing.drawn === undefined) setTimeout(loadExplanations, 600);
  timing.drawn ??= Math.round(performance.now());
  window.__genlab.step = f.step;
  window.__genlab.workerPlaying = f.playing;   // test hook: the worker's own state (a pause lands after its chunk)
  if (!frameAsked) requestFrame(false);
}

// The explanations (help.js and its catalog) and the model graph (graph.js, its catalog) come after
// the first picture: not part of the first load (tests/web/budget), ready within a second or two.
let explanations = false;
function loadExplanations() {
  if (explanations) return;
  explanations = true;
  import('./help.js').then((m) => m.initHelp()).catch(() => {});
  import('./help.js').then((m) => m.teachReady()).then(() => import('./graph.js')).then((m) => m.initGraph()).catch(() => {});
}

let frameAsked = false;   // a frame request is out (answered by the next frame)
/** @type {Record<string, any>[]} */
let replaced = [];        // frames replaced by a newer one since the last drawing
/** @type {ArrayBuffer[]} */
let toGive = [];          // their buffers, for the worker to fill again
function requestFrame(force) {
  if (!app.config) return;
  frameAsked = true;
  const v = app.view;
  const give = toGive;
  toGive = [];
  client.post({
    type: MSG.FRAME_REQUEST,
    force,
    give,
    view: {
      have: app.real?.version ?? -1,
      field: v.v_field === 'true', arrows: v.v_arrows === 'true', grid: v.v_grid === 'true',
      recon: v.v_recon === 'true', latX: Number(v.lat_x), latY: Number(v.lat_y),
      ia: Number(v.ia), ib: Number(v.ib), interp: true, cls: Number(v.cls),
    },
  });
}

// Test hooks (read-only views of the page, plus a simulated worker crash).
window.__genlab.samples = () => (app.frame?.samples ? Array.from(app.frame.samples) : null);
window.__genlab.viewErrors = () => app.frame?.viewErrors ?? null;
// Tests: a recycle now, whatever the heap says and however recent the last one (→ whether one began).
window.__genlab.recycleNow = () => {
  lastRecycleAt = -Infinity;
  recycle();
  return recycling;
};
window.__genlab.sampleClass = () => app.frame?.sampleClass;
window.__genlab.history = () => (app.frame?.history ? { channels: app.frame.history.channels, data: Array.from(app.frame.history.data) } : null);
window.__genlab.crashWorker = () => client.restart('simulated crash');
// Test probe: live Embind Session objects and the wasm heap inside the worker.
window.__genlab.probe = () => new Promise((resolve) => {
  request({ type: MSG.PROBE }, { why: 'probe', resolve });
});

// ---------- training controls ----------

const toolbar = createToolbar({
  toggle: togglePlay,
  step(part) {
    if (app.playing) togglePlay();
    request({ type: MSG.STEP, part, n: 1 }, { why: 'step' });
  },
  reset() {
    request({ type: MSG.RESET }, { why: 'reset' });
    panels.announce(t('status.reset'), true);
  },
  newSeed() {
    if (app.config) configure({ ...app.config, seed: String(1 + Math.floor(Math.random() * 99999)) }, 'strict', { why: 'seed', key: 'seed' });
  },
});

function setPlaying(on) {
  app.playing = on;
  toolbar.setPlaying(on);
  window.__genlab.playing = on;
}
const setEnabled = (on) => toolbar.setEnabled(on);

function togglePlay() {
  if (!app.config) return;
  if (recycling) {
    // The worker is being replaced: Play or Pause now is kept, and applied once the fresh worker
    // has the model back (a PLAY sent now would reach the old worker or one not yet configured).
    playAfterRecycle = !app.playing;
    setPlaying(playAfterRecycle);
    return;
  }
  setPlaying(!app.playing);
  client.post({ type: MSG.PLAY, on: app.playing });
  if (app.playing) panels.announce(t('status.training'), true);
  if (!app.playing) app.announceNext = true;   // the final numbers come with the next frame
}

function setSpeed(level) {
  toolbar.setSpeed(level);
  client.post({ type: MSG.SPEED, level });
}

createExpectation({ presets: () => app.presets, schema: () => app.schema, startTrained: () => filesUi.startTrained() });

commands.configure = (settings) => configure({ seed: app.config?.seed ?? app.defaults.seed, ...settings }, 'fallback', { why: 'lesson' });
commands.play = () => { if (!app.playing) togglePlay(); };
commands.pause = () => { if (app.playing) togglePlay(); };
commands.startTrained = (preset) => filesUi.startTrained(preset, { resume: true });
commands.state = () => ({ config: app.config, info: app.info, stats: app.stats, step: app.frame?.step ?? 0,
  playing: app.playing, metrics: app.metrics });

// ---------- view toggles ----------

const viewControls = wireViewControls((key, value) => {
  app.view[key] = String(value);
  if (key === 'speed') setSpeed(Number(value));
  writeHash();
  views.redraw();
  requestFrame(true);
});
const syncViewControls = () => {
  viewControls.sync(app.view);
  setSpeed(Number(app.view.speed));
};
const pickExample = (which, index) => viewControls.pick(which, index);

// ---------- your own points, keeping work ----------

const pointsUi = wirePoints({
  post: (m) => request(m, { why: 'points' }),
  postCopy: (m) => request(m, { why: 'points' }, true),
  getPoints: () => app.points,
  setPoints: (xy) => {
    app.points = xy;
    app.sent.points = xy.length >= 4;
  },
  pause: () => app.playing && togglePlay(),
  redraw: () => views.redraw(),
  retrain: () => configure({ ...app.config, dataset: 'points' }, 'fallback', { why: 'points' }),
});
const addPoints = (xy) => pointsUi.add(xy);

const filesUi = wireFiles({
  post: (m) => request(m, { why: m.type === MSG.LOAD ? 'load' : 'save', resume: m.resume === true }),
  fetchImages: (dataset) => prepareData(dataset),
  notify: (text, kind) => notices.show(text, { kind, key: 'load' }),
  pause: () => app.playing && togglePlay(),
  stem: () => fileStem(app.config ?? {}, app.frame?.step),
  presetName: () => $('preset').value,
  mainCanvas: () => views.mainCanvas(),
  sampleImages: () => (app.info?.image && app.frame?.samples ? { pixels: app.frame.samples, side: app.info.side } : null),
  scatter: () => (app.info && !app.info.image && app.info.box ? {
    real: app.config?.dataset === 'points' && app.points ? app.points : app.real?.real, samples: app.frame?.samples,
    box: Array.from(app.info.box), realColor: COLORS.real, fakeColor: COLORS.fake,
  } : null),
  metricsCsv: () => metricsCsv(app.metricsLog),
  lossesCsv: () => historyCsv(app.frame?.history ?? { channels: [], data: new Float32Array(0) }),
});

// The settings column fits in the window from where it starts (styles.css), so that editing its
// last field never scrolls the page (and the views) away.
const fitSettings = () => {
  const top = $('settings-form').closest('.settings')?.getBoundingClientRect().top ?? 0;
  document.documentElement.style.setProperty('--settings-top', `${Math.round(top + window.scrollY)}px`);
};
// A notice (a kept session's offer, an error) or the preset's description can appear above the
// settings between two frames, before the ResizeObserver has run: a field focused then would
// scroll the window by the notice's height. A MutationObserver refits at once (a microtask).
const refit = new MutationObserver(fitSettings);
for (const el of [document.querySelector('header.top'), $('notices')]) {
  if (el) refit.observe(el, { childList: true, subtree: true, attributes: true, characterData: true });
}
new ResizeObserver(() => {
  fitSettings();
  views.redraw();
  // While training, through the chart's throttle: the page's height changes as panels fill in
  // (a metrics row, a notice), and the chart's canvas keeps its old pixels until the next draw.
  if (app.frame?.history && app.config) panels.chart(app.frame.history, !app.playing);
}).observe(document.body);

// Last: the worker's messages (some may be waiting since boot.js) need everything above.
client.start();
