// The objectives written out, each term beside its live number (issue 13 item 2). For a GAN:
// the game's value V(D, G), the non-saturating generator loss and why it exists, the D and G
// losses of the selected variant with their current values, the optimal discriminator and the
// equilibrium D = ½ against the live mean D(x) and D(G(z)). For a VAE: the ELBO as a lower
// bound, the training loss recon + β·KL with each term's value, and the held-out −ELBO against
// the importance-weighted bound (the bound's gap). For a VAE-GAN: the reconstruction in D's
// features and the encoder's, decoder's and D's objectives. Formulas come from math.js (loaded on
// demand); words from the `teach` catalog. Each live number is an element with
// data-stat="<StepStats field or metric name>" and data-value="<raw number>". DOM writes are
// throttled to ~4 per second.
import { commands, on } from './bus.js';
import { fmt } from './format.js';
import { teachReady } from './help.js';
import { onLanguageChange, setText, t } from './i18n.js';
import { throttle } from './throttle.js';

const WRITE_EVERY_MS = 250;
const PROBABILITY_LOSSES = ['minimax', 'nonsaturating'];

// The formula ids (web/math/formulas.json) this panel shows.
export const FORMULAS = {
  ganValue: 'gan.value',
  ganNonsat: 'gan.g.nonsaturating',
  ganDstar: 'gan.d.optimal',
  lossD: (loss) => `gan.${loss}.d`,
  lossG: (loss) => `gan.${loss}.g`,
  vaeElbo: 'vae.elbo',
  vaeLoss: 'vae.loss',
  vaeReparam: 'vae.reparam',
  vaeIwae: 'vae.iwae',
  vaeganLlike: 'vaegan.llike',
  vaeganEnc: 'vaegan.enc',
  vaeganDec: 'vaegan.dec',
  vaeganD: 'vaegan.d',
};

/** @type {{ mathNode: (id: string) => Element | null } | null} */
let math = null;
export const missingFormulas = new Set();

let panel = null;
/** @type {Record<string, string> | null} */
let config = null;
let info = null;
let signature = '';
let stats = null;
let metrics = null;
let metricsStep = 0;

const el = (tag, cls = '') => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
};
const para = (key, params = undefined, cls = 'obj-text') => setText(el('p', cls), key, params);
const heading = (key, params = undefined) => setText(el('h3', 'obj-h'), key, params);

function formula(id) {
  const box = el('div', 'obj-formula');
  box.dataset.formula = id;
  fillFormula(box);
  return box;
}
function fillFormula(box) {
  if (!math || box.childElementCount) return;
  let node = null;
  try {
    node = math.mathNode(box.dataset.formula);
  } catch {
    node = null;
  }
  if (node) box.append(node);
  else missingFormulas.add(box.dataset.formula);
}

// A labelled live number: label from the catalog, value from `stat`.
function value(labelKey, stat, params = undefined) {
  const row = el('div', 'obj-row');
  const label = setText(el('span', 'obj-label'), labelKey, params);
  const v = el('span', 'obj-val');
  v.dataset.stat = stat;
  v.textContent = '–';
  row.append(label, v);
  return row;
}

// What decides the panel's layout; a change rebuilds it (also for settings changed mid-run).
const signatureOf = (c, i) => (c ? [c.model, c.loss, c.label_smooth, c.wgan_clip, c.kl_warmup, c.beta, c.gamma, c.feature_layer,
  i?.image, (i?.views ?? []).join()].join('|') : '');

function build() {
  if (!panel) return;
  signature = signatureOf(config, info);
  const h = setText(el('h2'), 'obj.title');
  h.id = 'objectives-h';
  const body = el('div', 'obj-body');
  if (config?.model === 'gan') buildGan(body);
  else if (config?.model === 'vae') buildVae(body);
  else if (config?.model === 'vaegan') buildVaeGan(body);
  else body.append(para('obj.none'));
  panel.replaceChildren(h, body);
  panel.setAttribute('aria-labelledby', h.id);
  panel.hidden = false;
  writes.now();
}

function buildGan(body) {
  const loss = config.loss;
  const probability = PROBABILITY_LOSSES.includes(loss);
  const smooth = Number(config.label_smooth);
  body.append(para('obj.intro.gan'), formula(FORMULAS.ganValue));

  const nonsat = el('section', 'obj-part');
  nonsat.append(heading('obj.nonsat.title'), formula(FORMULAS.ganNonsat), para('obj.nonsat.why'));

  const chosen = el('section', 'obj-part obj-chosen');
  chosen.dataset.loss = loss;
  chosen.append(heading('obj.selected.title', { name: t(`choice.loss.${loss}`) }),
    formula(FORMULAS.lossD(loss)), value('obj.loss.d', 'dLoss'),
    formula(FORMULAS.lossG(loss)), value('obj.loss.g', 'gLoss'));
  if (probability && smooth > 0) chosen.append(para('obj.loss.smooth', { s: fmt(smooth) }));
  else if (probability) chosen.append(para('obj.loss.equilibrium'));
  if (loss === 'wgan') chosen.append(para('obj.loss.clip', { c: fmt(Number(config.wgan_clip)) }));
  if (!probability) chosen.append(para('obj.loss.same_game'));

  const optimal = el('section', 'obj-part');
  if (probability) {
    optimal.append(heading('obj.optimal.title'), para('obj.optimal.text'), formula(FORMULAS.ganDstar),
      value('obj.optimal.real', 'dReal'), value('obj.optimal.fake', 'dFake'));
    if (info && !info.image && (info.views ?? []).includes('field')) optimal.append(para('obj.optimal.heatmap'));
  } else {
    optimal.append(heading('obj.scores.title'), para('obj.scores.text'),
      value('obj.scores.real', 'dReal'), value('obj.scores.fake', 'dFake'));
  }
  body.append(chosen, nonsat, optimal);
}

function buildVae(body) {
  body.append(para('obj.intro.vae'), formula(FORMULAS.vaeElbo), para('obj.elbo.inequality'));
  const loss = el('section', 'obj-part');
  const warm = para('obj.vae.warmup', { beta: fmt(Number(config.beta)), steps: config.kl_warmup }, 'obj-text obj-warmup');
  warm.hidden = true;
  loss.append(heading('obj.vae.loss_title'), para('obj.vae.loss_text'), formula(FORMULAS.vaeLoss),
    value('obj.vae.recon', 'recon'), value('obj.vae.kl', 'kl'), value('obj.vae.beta', 'beta'),
    value('obj.vae.beta_kl', 'betaKl'), value('obj.vae.loss', 'loss'), para('obj.vae.beta_note'), warm,
    para('obj.vae.reparam'), formula(FORMULAS.vaeReparam));
  const gap = el('section', 'obj-part');
  const waiting = para('obj.gap.waiting', undefined, 'obj-text obj-waiting');
  const noIwae = para('obj.gap.no_iwae', undefined, 'obj-text obj-no-iwae');
  noIwae.hidden = true;
  gap.append(heading('obj.gap.title'), para('obj.gap.text'), formula(FORMULAS.vaeIwae),
    value('obj.gap.neg_elbo', 'iwae_neg_elbo'), value('obj.gap.iwae_plain', 'iwae_nll'), value('obj.gap.gap', 'iwae_gap'),
    waiting, noIwae);
  body.append(loss, gap);
}

// VAE-GAN (Larsen et al. 2016): the reconstruction in D's features, then each network's objective.
function buildVaeGan(body) {
  const loss = config.loss;
  body.append(para('obj.intro.vaegan'));
  const llike = el('section', 'obj-part');
  llike.append(heading('obj.vaegan.llike_title'), para('obj.vaegan.llike_text', { layer: config.feature_layer }),
    formula(FORMULAS.vaeganLlike), value('obj.vaegan.llike', 'recon'));
  const enc = el('section', 'obj-part');
  enc.append(heading('obj.vaegan.enc_title'), formula(FORMULAS.vaeganEnc), value('obj.vae.kl', 'kl'),
    value('obj.vae.beta', 'beta'), value('obj.vaegan.enc', 'loss'), para('obj.vaegan.enc_text'));
  const dec = el('section', 'obj-part');
  dec.append(heading('obj.vaegan.dec_title'), formula(FORMULAS.vaeganDec), para('obj.vaegan.dec_text', { gamma: fmt(Number(config.gamma)) }),
    value('obj.vaegan.g_loss', 'gLoss'));
  const d = el('section', 'obj-part obj-chosen');
  d.dataset.loss = loss;
  const name = t(`choice.loss.${loss}`);
  d.append(heading('obj.vaegan.d_title', { name }), formula(FORMULAS.vaeganD), para('obj.vaegan.d_text', { name }),
    value('obj.loss.d', 'dLoss'), value('obj.vaegan.d_real', 'dReal'), value('obj.vaegan.d_fake', 'dFake'));
  body.append(llike, enc, dec, d);
}

// The number a data-stat names: a StepStats field, a held-out metric, or one made of them.
function statValue(name) {
  if (name === 'betaKl') return stats ? stats.beta * stats.kl : undefined;
  if (name === 'iwae_gap') {
    // Both bounds over the same held-out rows (the core's iwae_neg_elbo), so the gap is the ELBO's
    // looseness and not a difference of example sets.
    return metrics && typeof metrics.iwae_neg_elbo === 'number' && typeof metrics.iwae_nll === 'number'
      ? metrics.iwae_neg_elbo - metrics.iwae_nll : undefined;
  }
  if (name in (stats ?? {}) && typeof stats[name] === 'number') return stats[name];
  if (metrics && typeof metrics[name] === 'number') return metrics[name];
  return undefined;
}

function write() {
  if (!panel || panel.hidden) return;
  // A setting changed while the run goes on (e.g. the loss): the written objective follows it.
  const live = commands.state();
  if (live?.config && signatureOf(live.config, live.info ?? info) !== signature) {
    config = live.config;
    info = live.info ?? info;
    build();
    return;
  }
  for (const node of panel.querySelectorAll('[data-stat]')) {
    const v = statValue(/** @type {HTMLElement} */ (node).dataset.stat);
    const text = v === undefined ? '–' : fmt(v);
    const raw = v === undefined ? '' : String(v);
    if (/** @type {HTMLElement} */ (node).dataset.value !== raw) /** @type {HTMLElement} */ (node).dataset.value = raw;
    if (node.textContent !== text) node.textContent = text;
  }
  const warm = panel.querySelector('.obj-warmup');
  if (warm && stats) warm.hidden = !(stats.beta < Number(config?.beta) && Number(config?.kl_warmup) > 0);
  const waiting = panel.querySelector('.obj-waiting');
  if (waiting) waiting.hidden = Boolean(metrics);
  const noIwae = panel.querySelector('.obj-no-iwae');
  if (noIwae) noIwae.hidden = !metrics || typeof metrics.iwae_nll === 'number';
  const iwaeLabel = panel.querySelector('[data-stat=iwae_nll]')?.previousElementSibling;
  if (iwaeLabel instanceof HTMLElement && typeof metrics?.iwae_k === 'number' && iwaeLabel.dataset.i18n !== 'obj.gap.iwae') {
    setText(iwaeLabel, 'obj.gap.iwae', { k: metrics.iwae_k });
  }
}

// A burst of stats and metrics in one task is written once, after it.
const writes = throttle(write, WRITE_EVERY_MS);
const schedule = writes.request;

let started = false;

// Called once by main.js. The panel (#objectives in the side column) fills in once the teach
// catalog is there; formulas follow when math.js has loaded.
export function initObjectives() {
  if (started) return;
  started = true;
  panel = document.getElementById('objectives');
  if (!panel) return;
  const state = commands.state();
  if (state?.config) {
    config = state.config;
    info = state.info;
    stats = state.stats;
    metrics = state.metrics;
  }
  let ready = false;
  on('configured', (d) => {
    config = d.config;
    info = d.info;
    // A retuned run (a live setting changed) goes on: its numbers stay until the next ones.
    if (!d.retuned) {
      stats = null;
      metrics = null;
    }
    if (ready) build();
  });
  on('stats', (d) => {
    stats = d.stats;
    if (ready) schedule();
  });
  on('metrics', (d) => {
    metrics = d.metrics;
    metricsStep = d.step;
    if (ready) schedule();
  });
  teachReady().then(() => {
    ready = true;
    build();
    // Words with a translated parameter (the loss's name) are built again in the new language.
    onLanguageChange(() => build());
    return import('./math.js');
  }).then(async (m) => {
    await m.loadMath();
    math = m;
    for (const box of panel.querySelectorAll('.obj-formula')) fillFormula(box);
  }).catch((e) => {
    // Without the catalog or the formulas the rest of the page works as before.
    if (panel && !panel.hidden && !math) panel.dataset.mathError = String(e?.message ?? e);
  });
}

// Test hook: the step of the held-out metrics shown.
export const shownMetricsStep = () => metricsStep;
