// Help where it is: a small "?" button beside every view's title, every metric row, every
// setting, the loss chart and the readout. The explanation it opens is linked from the thing it
// explains (aria-describedby), opens on click / tap / Enter / Space and on hover with a mouse,
// and closes on Escape, blur and a click elsewhere — never hover only. Texts come from the
// `teach` catalog section (help.view.<id>, help.metric.<key>, help.setting.<key>, …), loaded
// once the page has drawn, and are re-worded on a language switch. The chosen preset's
// description (preset.<name>.desc) shows in a line under the pickers.
import { commands, on } from './bus.js';
import { has, loadSection, onLanguageChange, t } from './i18n.js';

// The figures of #views (views.js FIGURES): each has help.view.<id>.
export const VIEW_IDS = ['data', 'samples', 'latent', 'real', 'recon', 'manifold', 'interp'];
// Parts of the data view's explanation, shown when the run offers them (RunInfo.views).
export const DATA_PARTS = [['field', 'help.view.data.field'], ['arrows', 'help.view.data.arrows'], ['warp', 'help.view.data.warp'],
  ['recon_links', 'help.view.data.recon']];
const TEACH_AFTER_MS = 1000;   // after the first drawn frame, unless the user acts sooner

const el = (/** @type {string} */ id) => document.getElementById(id);

// ---------- loading the teach section, once the page is up ----------

/** @type {Promise<void> | null} */
let teachPromise = null;
/** @type {(() => void) | null} */
let wanted = null;
const wantedPromise = new Promise((resolve) => { wanted = () => resolve(undefined); });

// Resolves when the teach catalog is loaded: after the first frame has been drawn and a moment
// has passed, or as soon as the user does something (the first load stays small and fast).
export function teachReady() {
  teachPromise ??= wantedPromise.then(() => loadSection('teach'));
  return teachPromise;
}
function wantTeach() {
  wanted?.();
  wanted = null;
}
if (typeof window !== 'undefined') {
  for (const type of ['pointerdown', 'keydown', 'focusin']) window.addEventListener(type, wantTeach, { once: true, capture: true });
  // The first frame is drawn when main.js counts it (window.__genlab.frames).
  const afterFirstFrame = () => {
    if (window.__genlab?.frames > 0) setTimeout(wantTeach, TEACH_AFTER_MS);
    else setTimeout(afterFirstFrame, 100);
  };
  afterFirstFrame();
}

// ---------- one help button and its explanation ----------

/**
 * @typedef {{ id: string, btn: HTMLButtonElement, tip: HTMLElement, topic: () => string,
 *   paragraphs: () => string[], targets: () => Element[], pinned: boolean }} Help
 */
/** @type {Map<string, Help>} */
const helps = new Map();
/** @type {Help | null} */
let open = null;
let hoverTimer = 0;
let tipBox = null;

function tipsContainer() {
  if (!tipBox) {
    tipBox = document.createElement('div');
    tipBox.className = 'teach-tips';
    document.body.append(tipBox);
  }
  return tipBox;
}

function addDescribedBy(node, id) {
  const ids = (node.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  if (!ids.includes(id)) node.setAttribute('aria-describedby', [...ids, id].join(' '));
}

// Creates (or finds) the help `id`; returns its button for the caller to place.
function helpFor(id, { topic, paragraphs, targets }) {
  let h = helps.get(id);
  if (h && h.btn.isConnected && h.tip.isConnected) {
    Object.assign(h, { topic, paragraphs, targets });
  } else {
    const tip = h?.tip.isConnected ? h.tip : document.createElement('div');
    tip.className = 'teach-tip';
    tip.id = `teach-tip-${id}`;
    tip.setAttribute('role', 'tooltip');
    tip.hidden = true;
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'teach-btn';
    btn.dataset.help = id;
    btn.setAttribute('aria-expanded', 'false');
    btn.setAttribute('aria-controls', tip.id);
    addDescribedBy(btn, tip.id);
    const wasOpen = h && open === h;
    h = { id, btn, tip, topic, paragraphs, targets, pinned: h?.pinned ?? false };
    wire(h);
    helps.set(id, h);
    if (!tip.isConnected) tipsContainer().append(tip);
    if (wasOpen) open = h;
  }
  render(h);
  return h.btn;
}

function render(h) {
  h.btn.textContent = t('help.mark');
  h.btn.setAttribute('aria-label', t('help.button', { topic: h.topic() }));
  h.tip.replaceChildren(...h.paragraphs().map((text) => {
    const p = document.createElement('p');
    p.textContent = text;
    return p;
  }));
  for (const node of h.targets()) addDescribedBy(node, h.tip.id);
}

function wire(h) {
  const { btn, tip } = h;
  btn.addEventListener('click', () => {
    if (open === h && h.pinned) close(h);
    else show(h, true);
  });
  // Blur closes; a button that left the page (a rebuilt metric row) is handled by its row.
  btn.addEventListener('focusout', () => setTimeout(() => {
    if (open === h && btn.isConnected && document.activeElement !== btn) close(h);
  }, 0));
  btn.addEventListener('pointerenter', (e) => {
    if (e.pointerType !== 'mouse') return;
    clearTimeout(hoverTimer);
    hoverTimer = window.setTimeout(() => { if (open !== h) show(h, false); }, 250);
  });
  const leave = (/** @type {PointerEvent} */ e) => {
    if (e.pointerType !== 'mouse') return;
    clearTimeout(hoverTimer);
    hoverTimer = window.setTimeout(() => { if (open === h && !h.pinned) close(h); }, 200);
  };
  btn.addEventListener('pointerleave', leave);
  tip.addEventListener('pointerenter', () => clearTimeout(hoverTimer));
  tip.addEventListener('pointerleave', leave);
}

function show(h, pinned) {
  if (open && open !== h) close(open);
  open = h;
  h.pinned = pinned;
  h.tip.hidden = false;
  h.btn.setAttribute('aria-expanded', 'true');
  place(h);
}

function close(h) {
  h.tip.hidden = true;
  h.btn.setAttribute('aria-expanded', 'false');
  h.pinned = false;
  if (open === h) open = null;
}

// Puts the open explanation beside its button, inside the viewport: below it when there is
// room, else above, else at the top with its own scrollbar.
function place(h) {
  const r = h.btn.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const tip = h.tip;
  tip.style.maxHeight = '';
  const w = tip.offsetWidth;
  const ht = tip.offsetHeight;
  const left = Math.max(8, Math.min(r.left - 12, vw - w - 8));
  let top = r.bottom + 6;
  if (top + ht > vh - 8) {
    top = r.top - ht - 6;
    if (top < 8) {
      top = 8;
      tip.style.maxHeight = `${vh - 16}px`;
    }
  }
  tip.style.left = `${Math.round(left)}px`;
  tip.style.top = `${Math.round(top)}px`;
}

if (typeof document !== 'undefined') {
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !open) return;
    const h = open;
    close(h);
    if (document.activeElement !== h.btn && h.btn.isConnected) h.btn.focus();
  });
  document.addEventListener('pointerdown', (e) => {
    if (!open) return;
    const target = /** @type {Node} */ (e.target);
    if (!open.btn.contains(target) && !open.tip.contains(target)) close(open);
  });
  window.addEventListener('scroll', () => { if (open) place(open); }, { capture: true, passive: true });
  window.addEventListener('resize', () => { if (open) place(open); });
}

// ---------- what the page's parts mean ----------

/** @type {{ config: Record<string,string> | null, info: any }} */
const run = { config: null, info: null };

// The model kinds with their own paragraphs (help.view.data.<kind>, help.view.samples.<kind>, help.chart.<kind>).
const KINDS = new Set(['vae', 'gan', 'vaegan']);

function viewParagraphs(id) {
  const out = [t(`help.view.${id}`)];
  const model = run.config?.model;
  const views = new Set(run.info?.views ?? []);
  if (id === 'data') {
    if (KINDS.has(model)) out.push(t(`help.view.data.${model}`));
    for (const [view, key] of DATA_PARTS) {
      if (!views.has(view)) continue;
      out.push(t(view === 'field' && !run.info?.probability ? 'help.view.data.field_score' : key));
    }
  } else if (id === 'samples' && KINDS.has(model)) {
    out.push(t(`help.view.samples.${model}`));
  }
  return out;
}

const textOf = (node) => (node?.textContent ?? '').trim();

function attachViews() {
  for (const id of VIEW_IDS) {
    const fig = el(`fig-${id}`);
    const title = fig?.querySelector('figcaption .title');
    if (!title) continue;
    const btn = helpFor(`view-${id}`, {
      topic: () => textOf(title),
      paragraphs: () => viewParagraphs(id),
      targets: () => [el(`cv-${id}`)].filter(Boolean),
    });
    if (btn.previousElementSibling !== title) title.after(btn);
  }
}

function attachChartAndReadout() {
  const chartH = el('chart-h');
  if (chartH) {
    const btn = helpFor('chart', {
      topic: () => textOf(chartH),
      paragraphs: () => {
        const model = run.config?.model;
        return [t('help.chart'), ...(KINDS.has(model) ? [t(`help.chart.${model}`)] : [])];
      },
      targets: () => [el('cv-chart')].filter(Boolean),
    });
    chartH.classList.add('teach-heading');
    if (btn.previousElementSibling !== chartH) chartH.after(btn);
  }
  const readout = document.querySelector('.toolbar .readout');
  if (readout) {
    const btn = helpFor('readout', {
      topic: () => t('help.topic.readout'),
      paragraphs: () => [t('help.readout')],
      targets: () => [readout],
    });
    if (btn.previousElementSibling !== readout) readout.after(btn);
  }
}

// The settings form is built by controls.js: a .field[data-key] with a label and #set-<key>.
function attachSettings() {
  for (const wrap of document.querySelectorAll('.field[data-key]')) {
    const key = /** @type {HTMLElement} */ (wrap).dataset.key;
    const label = wrap.querySelector('label');
    const input = el(`set-${key}`);
    if (!label || !input) continue;
    const btn = helpFor(`setting-${key}`, {
      topic: () => textOf(label),
      paragraphs: () => [t(`help.setting.${key}`)],
      targets: () => [input],
    });
    wrap.classList.add('has-teach');
    if (btn.previousElementSibling !== label) label.after(btn);
  }
}

// Metric rows are built again by panels.js when the set of metrics changes: buttons go into the new rows
// (first in the value cell), and a help that had the focus or was open gets them back.
function attachMetrics() {
  const list = el('metrics');
  if (!list) return;
  for (const row of list.querySelectorAll('div[data-metric]')) {
    const key = /** @type {HTMLElement} */ (row).dataset.metric;
    const dt = row.querySelector('dt');
    const dd = row.querySelector('dd');
    if (!dt || !dd || !has(`help.metric.${key}`)) continue;
    const id = `metric-${key}`;
    const prev = helps.get(id);
    const hadFocus = prev && !prev.btn.isConnected && lastFocused === id;
    const wasOpen = prev && open === prev;
    const wasPinned = prev?.pinned;
    const btn = helpFor(id, {
      topic: () => textOf(dt),
      paragraphs: () => [t(`help.metric.${key}`)],
      targets: () => [dd],
    });
    row.classList.add('has-teach');
    if (btn.parentElement !== dd) dd.prepend(btn);
    if (hadFocus) btn.focus({ preventScroll: true });
    if (wasOpen) show(helps.get(id), Boolean(wasPinned));
  }
}
let lastFocused = '';

function attachAll() {
  attachViews();
  attachChartAndReadout();
  attachSettings();
  attachMetrics();
  showPreset();
}

// ---------- the chosen preset's description ----------

function showPreset() {
  const line = el('preset-desc');
  const select = /** @type {HTMLSelectElement | null} */ (/** @type {unknown} */ (el('preset')));
  if (!line || !select) return;
  const name = select.value;
  const key = `preset.${name}.desc`;
  if (!name || !has(key)) {
    line.hidden = true;
    line.replaceChildren();
    return;
  }
  const strong = document.createElement('strong');
  strong.textContent = name;
  const text = document.createElement('span');
  text.textContent = t(key);
  line.replaceChildren(strong, ' ', text);
  line.hidden = false;
}

// ---------- start ----------

let started = false;

// Called once by main.js when the settings form and the presets exist.
export function initHelp() {
  if (started) return;
  started = true;
  const state = commands.state();
  if (state?.config) Object.assign(run, { config: state.config, info: state.info });
  let ready = false;
  on('configured', ({ config, info }) => {
    Object.assign(run, { config, info });
    if (ready) attachAll();
  });
  el('preset')?.addEventListener('change', () => { if (ready) showPreset(); });
  if (el('preset') && el('preset-desc')) addDescribedBy(el('preset'), 'preset-desc');
  document.addEventListener('focusin', (e) => {
    const b = /** @type {HTMLElement} */ (e.target).closest?.('.teach-btn');
    lastFocused = b ? /** @type {HTMLElement} */ (b).dataset.help : '';
  });
  document.addEventListener('focusout', (e) => {
    const b = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest?.('.teach-btn'));
    if (b) setTimeout(() => { if (b.isConnected && document.activeElement !== b && lastFocused === b.dataset.help) lastFocused = ''; }, 0);
  });
  const metrics = el('metrics');
  if (metrics) new MutationObserver(() => { if (ready) attachMetrics(); }).observe(metrics, { childList: true });
  teachReady().then(() => {
    ready = true;
    attachAll();
    // The objectives panel starts once the explanations are there (its words are in teach).
    import('./objectives.js').then((m) => m.initObjectives()).catch(() => {});
    onLanguageChange(() => {
      for (const h of helps.values()) if (h.btn.isConnected) render(h);
      showPreset();
      if (open) place(open);
    });
  }).catch(() => {});   // without the catalog the page works as before, without its help
}
