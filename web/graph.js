// The model-overview graph (issue 13 item 1). Its boxes and arrows come from the core's
// architecture spec (arch.graph: data, noise, networks, tensors, the reparameterisation and the
// loss terms, each with its inputs; arch.nets: every network's layers) — there is no drawing per
// preset, so a change of widths, packing, noise or latent size changes the picture. Live numbers
// are the StepStats of the drawn frames, written at most 4 times a second. Focusing, hovering or
// tapping a box lights up the view it feeds; hovering or focusing a view lights up its boxes.
//
// graphModel() is pure (node's tests call it with M.architecture(settings)); initGraph() draws it
// as SVG into #graph-panel (classes and presentation attributes only: the page's CSP has no
// 'unsafe-inline' for styles).
import { commands, on } from './bus.js';
import { loadSection, onLanguageChange, t } from './i18n.js';
import { throttle } from './throttle.js';

const SVG = 'http://www.w3.org/2000/svg';

// Geometry, in viewBox units (≈ CSS px: the viewBox is chosen so that it is drawn near 1:1).
export const GEOM = {
  col: 140,     // one column: a box and the gap after it
  box: 112,     // box width
  pad: 8,       // margin around everything
  line: 13,     // text line height
  top: 17,      // first baseline inside a box
  vgap: 12,     // between boxes of one column
  gradRoom: 16, // above a network's box: its gradient norm, where the arrow comes in
  lane: 7,      // distance between routed arrows
  bandGap: 26,  // between two bands of columns (plus one lane per arrow routed there)
};
const FONT = 10.5;   // detail text size in viewBox units (graph.css uses the same)

// A network's gradient norm field, and the other numbers shown on boxes (StepStats fields).
const GRAD = { G: 'gGrad', D: 'dGrad', enc: 'encGrad', dec: 'decGrad' };
const STAT = { d_real: 'dReal', d_fake: 'dFake', d_loss: 'dLoss', g_loss: 'gLoss', recon: 'recon', kl: 'kl', loss: 'loss',
  llike: 'recon', enc_loss: 'loss' };  // the last two: a VAE-GAN's reconstruction in D's features and its encoder's loss
// β·KL is not a StepStats field: the page multiplies the step's own β (warm-up included) by KL.
export const DERIVED = { betaKl: (/** @type {any} */ s) => s.beta * s.kl };

// The figures (views.js FIGURES) a box feeds, best first; only those the run offers light up.
const FEEDS = {
  x: ['data', 'real', 'recon'],
  z_noise: ['data', 'samples'], G: ['data', 'samples'], x_fake: ['data', 'samples'], g_loss: ['data', 'samples'],
  D: ['data', 'real'], d_real: ['data', 'real'], d_fake: ['data', 'samples'], d_loss: ['data', 'real'],
  enc: ['latent'], mu: ['latent'], logvar: ['latent'], z_op: ['latent'], kl: ['latent'], eps: ['samples', 'data'],
  dec: ['samples', 'manifold', 'data'], x_hat: ['recon', 'data'], recon: ['recon', 'data'], loss: [],
  z_p: ['samples', 'data'], x_tilde: ['recon', 'data'], x_p: ['samples', 'data'], features: ['recon'], llike: ['recon', 'data'],
  enc_loss: [],
};
// A box's key in the catalog and in FEEDS: z is noise in a GAN and μ + σ ⊙ ε in a VAE.
const role = (n) => (n.id === 'z' ? `z_${n.kind}` : n.id);

/** The figure ids (fig-<view>) a box feeds, among the views the run offers. */
export function figuresOf(id, kind, views) {
  const offered = new Set(views);
  const list = (FEEDS[role({ id, kind })] ?? []).filter((v) => offered.has(v));
  // The 2-D data view holds every picture of a 2-D run: one figure is enough there.
  return (list.includes('data') ? ['data'] : list).map((v) => `fig-${v}`);
}

// "8 → 128 relu → 128 relu → 2" as tokens ["8", "→ 128 relu", "→ 128 relu", "→ 2"]; images inside
// convolutional networks as channels×height×width ("1×28×28 → conv 64×14×14 leaky_relu → … → 1").
function layerTokens(net) {
  const shape = (s) => s.join('×');
  const first = net.layers[0];
  const out = [first?.inShape ? shape(first.inShape) : String(net.in)];
  for (const l of net.layers) {
    if (l.kind === 'linear') out.push(`→ ${l.out}`);
    else if (l.kind === 'conv2d') out.push(`→ conv ${shape(l.outShape)}`);
    else if (l.kind === 'conv_transpose2d') out.push(`→ convT ${shape(l.outShape)}`);
    else if (l.kind === 'batch_norm') out[out.length - 1] += ' bn';
    else if (l.kind === 'activation' && l.act) out[out.length - 1] += ` ${l.act}`;
  }
  return out;
}
/** A network's layers in one line: "8 → 128 relu → 128 relu → 2". */
export const layersText = (net) => layerTokens(net).join(' ');

// Rough text width (viewBox units): CJK characters are square, the rest about 0.58 em.
export function textWidth(s, size = FONT) {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? size : size * 0.58;
  return w;
}
// Greedy wrap of tokens (joined by spaces) into lines no wider than `width`.
function wrap(tokens, width, size = FONT) {
  const lines = [];
  for (const tok of tokens) {
    const last = lines.length ? `${lines[lines.length - 1]} ${tok}` : null;
    if (last !== null && textWidth(last, size) <= width) lines[lines.length - 1] = last;
    else lines.push(tok);
  }
  return lines;
}
// Splits text into wrap tokens: words for Latin text, single characters for CJK runs.
const tokensOf = (s) => s.split(/\s+/).filter(Boolean);

/**
 * arch (the core's architecture spec) → the graph to draw:
 *   { model, nodes: [{ id, kind, role, title: {key, params}, detail: [{key, params} | {text}],
 *     stats: [{ field, key }], grad: field | null, x, y, w, h, col, band }],
 *     edges: [{ from, to, path, label: {field, key, x, y} | null }], width, height }
 * opts.columns: how many columns fit side by side (the rest wrap into bands below);
 * opts.beta: the β setting (the VAE's loss is −ELBO only at β = 1);
 * opts.words(key, params): the text of a catalog entry, for sizing boxes (default: key length).
 */
export function graphModel(arch, { columns = 8, beta = 1, words = undefined } = {}) {
  const G = GEOM;
  const say = words ?? ((key, params) => `${key}${params ? JSON.stringify(params) : ''}`.slice(0, 14));
  const byId = new Map(arch.graph.map((n) => [n.id, n]));
  const nets = new Map(arch.nets.map((n) => [n.name, n]));
  const consumers = new Map(arch.graph.map((n) => [n.id, []]));
  for (const n of arch.graph) for (const i of n.inputs) consumers.get(i)?.push(n.id);

  // Columns: the longest path from a source; a source sits just before its first consumer
  // (x beside x̃ in front of D, ε beside μ and log σ²), so that its arrow is short.
  const depth = new Map();
  const depthOf = (id, seen = new Set()) => {
    if (depth.has(id)) return depth.get(id);
    if (seen.has(id)) return 0;   // never from the core; a cycle must not hang the page
    seen.add(id);
    const n = byId.get(id);
    const d = n.inputs.length ? 1 + Math.max(...n.inputs.map((i) => depthOf(i, seen))) : 0;
    depth.set(id, d);
    return d;
  };
  for (const n of arch.graph) depthOf(n.id);
  for (const n of arch.graph) {
    const users = consumers.get(n.id);
    if (!n.inputs.length && users.length) depth.set(n.id, Math.max(0, Math.min(...users.map((u) => depth.get(u))) - 1));
  }
  const ncol = 1 + Math.max(...depth.values());
  const perBand = Math.max(1, Math.min(columns, ncol));

  // Each box's words (catalog keys, turned into text by `say` only to size the box).
  const nodes = arch.graph.map((n) => {
    const r = role(n);
    const net = nets.get(n.id);
    /** @type {{key?: string, params?: any, text?: string}[]} */
    const detail = [];
    let title = { key: `graph.node.${r}`, params: undefined };
    if (net) {
      detail.push(...wrap(layerTokens(net), G.box - 12).map((text) => ({ text })));
      // Each packed sample is its data, plus its one-hot class in a conditional GAN.
      if (n.id === 'D' && arch.pack > 1) detail.push({ key: 'graph.pack', params: { m: arch.pack, d: net.in / arch.pack, n: net.in } });
    } else if (n.kind === 'noise') {
      detail.push({ key: n.id === 'eps' ? 'graph.prior' : 'graph.noise', params: { n: n.width } });
    } else if (n.kind !== 'loss') {
      detail.push({ key: 'graph.dims', params: { n: n.width } });
    }
    if (n.id === 'loss') title = beta === 1 ? { key: 'graph.node.loss', params: undefined } : { key: 'graph.node.loss_beta', params: { beta } };
    const stats = STAT[n.id] ? [{ field: STAT[n.id], key: `graph.stat.${n.id}` }] : [];
    if (n.id === 'kl') stats.push({ field: 'betaKl', key: 'graph.stat.betaKl' });
    return {
      id: n.id, kind: n.kind, role: r, inputs: [...n.inputs], width: n.width, title, detail, stats,
      grad: net ? GRAD[n.id] ?? null : null, x: 0, y: 0, w: G.box, h: 0, col: depth.get(n.id), band: 0, row: 0,
    };
  });
  for (const n of nodes) {
    const lines = wrap(tokensOf(say(n.title.key, n.title.params)), n.w - 12, FONT + 1).length +
      n.detail.reduce((k, d) => k + (d.text !== undefined ? 1 : wrap(tokensOf(say(d.key, d.params)), n.w - 12).length), 0) +
      n.stats.length;
    n.h = G.top - G.line + lines * G.line + 8;
  }

  // Rows inside a column: by the mean row of the inputs (fewer crossings), sources in spec order.
  const cols = Array.from({ length: ncol }, () => /** @type {typeof nodes} */ ([]));
  for (const n of nodes) cols[n.col].push(n);
  const at = new Map(nodes.map((n) => [n.id, n]));
  for (const col of cols) {
    const key = (n) => (n.inputs.length ? n.inputs.reduce((s, i) => s + at.get(i).row, 0) / n.inputs.length : 1e3 + nodes.indexOf(n));
    const order = col.map((n, i) => ({ n, k: key(n), i })).sort((a, b) => a.k - b.k || a.i - b.i);
    order.forEach(({ n }, r) => { n.row = r; });
    col.sort((a, b) => a.row - b.row);
  }

  // Bands of at most `perBand` columns, as few as fit, cut where the fewest arrows cross.
  const colHeight = (col) => col.reduce((h, n) => h + n.h + (n.grad ? G.gradRoom : 0), 0) + G.vgap * Math.max(0, col.length - 1);
  const edgesRaw = nodes.flatMap((n) => n.inputs.map((from) => ({ a: at.get(from), b: n })));
  const bandOfCol = splitBands(ncol, perBand, edgesRaw.map((e) => [e.a.col, e.b.col]));
  const nband = 1 + bandOfCol[ncol - 1];
  const firstCol = bandOfCol.map((b) => bandOfCol.indexOf(b));
  const routed = (e) => !(e.a.col + 1 === e.b.col && bandOfCol[e.a.col] === bandOfCol[e.b.col]);
  const lanesBelow = Array(nband).fill(0);
  for (const e of edgesRaw) if (routed(e)) lanesBelow[bandOfCol[e.a.col]]++;
  let y = G.pad;
  const bandBottom = [];
  for (let b = 0; b < nband; b++) {
    const inBand = cols.filter((_, c) => bandOfCol[c] === b);
    const h = Math.max(...inBand.map(colHeight));
    inBand.forEach((col, c) => {
      let yy = y + (h - colHeight(col)) / 2;
      for (const n of col) {
        if (n.grad) yy += G.gradRoom;
        n.x = G.pad + c * G.col;
        n.y = yy;
        n.band = b;
        yy += n.h + G.vgap;
      }
    });
    bandBottom.push(y + h);
    y += h + G.bandGap + lanesBelow[b] * G.lane;
  }
  const width = 2 * G.pad + (perBand - 1) * G.col + G.box;
  const last = nband - 1;
  const height = bandBottom[last] + (lanesBelow[last] ? G.bandGap / 2 + lanesBelow[last] * G.lane : 0) + G.pad;

  // Arrows: right side → left side; an arrow that skips a column or changes band runs down the
  // gap after its source, along its own lane under the source's band, and up the gap before
  // its target (gaps and lanes hold no boxes).
  const laneUsed = Array(nband).fill(0);
  const gapUsed = new Map();
  const ends = new Map();   // per target: arrows in, spread over its left side
  for (const e of edgesRaw) ends.set(e.b.id, (ends.get(e.b.id) ?? 0) + 1);
  const endUsed = new Map();
  const edges = edgesRaw.map((e) => {
    const k = endUsed.get(e.b.id) ?? 0;
    endUsed.set(e.b.id, k + 1);
    const nIn = ends.get(e.b.id);
    const y2 = e.b.y + e.b.h / 2 + (nIn > 1 ? (k - (nIn - 1) / 2) * Math.min(10, e.b.h / (nIn + 1)) : 0);
    const x1 = e.a.x + e.a.w;
    const y1 = e.a.y + e.a.h / 2;
    const x2 = e.b.x;
    let path;
    if (!routed(e)) {
      const mx = (x1 + x2) / 2;
      path = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
    } else {
      const lane = bandBottom[e.a.band] + G.bandGap / 2 + laneUsed[e.a.band]++ * G.lane;
      const g1 = gapUsed.get(`o${e.a.col}`) ?? 0;
      gapUsed.set(`o${e.a.col}`, g1 + 1);
      const gk = `i${e.b.col}`;
      const g2 = gapUsed.get(gk) ?? 0;
      gapUsed.set(gk, g2 + 1);
      const gx1 = x1 + 6 + (g1 % 3) * 4;
      const gx2 = x2 - 8 - (g2 % 3) * 4;
      path = `M${x1},${y1} H${gx1} V${lane} H${gx2} V${y2} H${x2}`;
    }
    let label = null;
    // A network's gradient norm sits where its (first) arrow comes in, above its box.
    if (e.b.grad && k === 0) label = { field: e.b.grad, key: 'graph.grad', x: e.b.x, y: e.b.y - 5 };
    return { from: e.a.id, to: e.b.id, path, label };
  });
  for (const n of nodes) delete n.row;
  return { model: arch.model, nodes, edges, width, height, columns: perBand, bands: nband, firstCol };
}

// Cuts ncol columns into the fewest bands of at most k columns: of those cuts, the one that the
// fewest arrows ([fromCol, toCol]) cross, then the most even. Returns each column's band.
export function splitBands(ncol, k, arrows) {
  const nband = Math.ceil(ncol / Math.max(1, k));
  /** @type {{ cost: number, band: number[] }} */
  let best = { cost: Infinity, band: [] };
  const sizes = [];
  const visit = (left, bandsLeft) => {
    if (bandsLeft === 0) {
      if (left) return;
      const band = sizes.flatMap((n, b) => Array(n).fill(b));
      const crossing = arrows.filter(([a, b]) => band[a] !== band[b]).length;
      const cost = crossing * 100 + Math.max(...sizes) - Math.min(...sizes);
      if (cost < best.cost) best = { cost, band };
      return;
    }
    for (let n = Math.min(k, left - (bandsLeft - 1)); n >= 1; n--) {   // fuller bands first
      sizes.push(n);
      visit(left - n, bandsLeft - 1);
      sizes.pop();
    }
  };
  visit(ncol, nband);
  return best.band;
}

// Numbers: three significant digits, plain (the catalog puts the words around them).
export function formatValue(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 1e5)) return v.toExponential(2);
  return a >= 100 ? v.toFixed(1) : a >= 10 ? v.toFixed(2) : v.toFixed(3);
}

/** The value of a StepStats field or of a derived one (β·KL); undefined when unknown. */
export function statValue(stats, field) {
  if (!stats) return undefined;
  const v = field in DERIVED ? DERIVED[field](stats) : stats[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

// ---------- in the page ----------

/** Draws the graph into #graph-panel and keeps it live. Call once. */
export function initGraph() {
  const panel = document.getElementById('graph-panel');
  const holder = document.getElementById('graph');
  if (!panel || !holder) return;
  let ready = false;
  let arch = null;
  let info = null;
  let config = null;
  let stats = null;
  let model = null;
  let shownColumns = 0;
  // The live numbers and box labels: at most 4 times a second (write is hoisted).
  const writes = throttle(write, 250);
  /** @type {{el: Element, field: string, key: string}[]} */
  let values = [];
  /** @type {Map<string, Element>} */
  const boxes = new Map();
  const lit = new Set();   // figures lit by the graph

  const svgEl = (name, attrs, parent) => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    parent?.append(e);
    return e;
  };
  const fitColumns = () => Math.max(2, Math.floor((holder.clientWidth - 2 * GEOM.pad - GEOM.box) / GEOM.col) + 1);
  const words = (key, params) => t(key, params);

  function build() {
    if (!ready || !arch) return;
    shownColumns = fitColumns();
    try {
      model = graphModel(arch, { columns: shownColumns, beta: Number(config?.beta ?? 1), words });
    } catch {
      model = null;
    }
    draw();
  }

  function draw() {
    unlight();
    holder.replaceChildren();
    values = [];
    boxes.clear();
    if (!model) return;
    const svg = svgEl('svg', { viewBox: `0 0 ${model.width} ${model.height}`, class: 'graph-svg', role: 'group', width: model.width }, holder);
    svg.setAttribute('aria-label', t('graph.aria'));
    const defs = svgEl('defs', {}, svg);
    const marker = svgEl('marker', { id: 'graph-arrow', viewBox: '0 0 8 8', refX: 7.5, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto' }, defs);
    svgEl('path', { d: 'M0,0 L8,4 L0,8 z', class: 'graph-arrowhead' }, marker);
    const edgeLayer = svgEl('g', { class: 'graph-edges' }, svg);
    for (const e of model.edges) {
      svgEl('path', { d: e.path, class: 'graph-edge', 'data-from': e.from, 'data-to': e.to, 'marker-end': 'url(#graph-arrow)' }, edgeLayer);
      if (e.label) {
        const text = svgEl('text', { x: e.label.x, y: e.label.y, class: 'graph-grad', 'data-stat': e.label.field }, svg);
        values.push({ el: text, field: e.label.field, key: e.label.key });
      }
    }
    for (const n of model.nodes) {
      const g = svgEl('g', { class: `graph-node graph-${n.kind}`, tabindex: 0, role: 'img', 'data-node': n.id, transform: `translate(${n.x},${n.y})` }, svg);
      svgEl('rect', { width: n.w, height: n.h, rx: 6 }, g);
      let line = 0;
      const put = (text, cls) => {
        const el = svgEl('text', { x: 6, y: GEOM.top + line++ * GEOM.line, class: cls }, g);
        el.textContent = text;
        return el;
      };
      const title = t(n.title.key, n.title.params);
      for (const s of wrap(tokensOf(title), n.w - 12, FONT + 1)) put(s, 'graph-title');
      const detail = [];
      for (const d of n.detail) {
        const text = d.text ?? t(d.key, d.params);
        detail.push(text);
        for (const s of d.text !== undefined ? [d.text] : wrap(tokensOf(text), n.w - 12)) put(s, 'graph-detail');
      }
      for (const s of n.stats) {
        const el = put('', 'graph-value');
        el.setAttribute('data-stat', s.field);
        values.push({ el, field: s.field, key: s.key });
      }
      (/** @type {any} */ (n)).describe = detail.join(' ');
      boxes.set(n.id, g);
      const figs = () => (info ? figuresOf(n.id, n.kind, info.views) : []);
      g.addEventListener('focus', () => light(figs(), true));
      g.addEventListener('blur', () => light(figs(), false));
      g.addEventListener('mouseenter', () => light(figs(), true));
      g.addEventListener('mouseleave', () => { if (document.activeElement !== g) light(figs(), false); });
      g.addEventListener('click', () => /** @type {SVGGElement} */ (g).focus());
    }
    writes.now();
  }

  // Lights (or unlights) the figures a box feeds.
  function light(ids, state) {
    for (const id of ids) {
      const fig = document.getElementById(id);
      if (!fig) continue;
      fig.classList.toggle('graph-linked', state);
      if (state) lit.add(id);
      else lit.delete(id);
    }
  }
  function unlight() {
    light([...lit], false);
  }

  // The live numbers and each box's label (title, layers, values), at most 4 times a second.
  function write() {
    for (const v of values) {
      const x = statValue(stats, v.field);
      v.el.textContent = t(v.key, { v: formatValue(x) });
      if (x === undefined) v.el.removeAttribute('data-value');
      else v.el.setAttribute('data-value', String(x));
    }
    if (!model) return;
    for (const n of model.nodes) {
      const g = boxes.get(n.id);
      const shown = [...n.stats.map((s) => t(s.key, { v: formatValue(statValue(stats, s.field)) })),
        ...(n.grad ? [t('graph.grad', { v: formatValue(statValue(stats, n.grad)) })] : [])];
      const figs = info ? figuresOf(n.id, n.kind, info.views) : [];
      g?.setAttribute('aria-label', t('graph.box', {
        title: t(n.title.key, n.title.params), detail: (/** @type {any} */ (n)).describe || '–',
        values: shown.join(t('graph.sep')) || '–',
        views: figs.map((f) => t(`graph.view.${f.slice(4)}`)).join(t('graph.sep')) || '–',
      }));
    }
  }
  const schedule = writes.request;

  // Hovering or focusing a view lights up the boxes that feed it.
  for (const fig of document.querySelectorAll('#views figure[id^="fig-"]')) {
    const toggle = (state) => {
      if (!model || !info) return;
      for (const n of model.nodes) {
        if (figuresOf(n.id, n.kind, info.views).includes(fig.id)) boxes.get(n.id)?.classList.toggle('graph-lit', state);
      }
    };
    fig.addEventListener('mouseenter', () => toggle(true));
    fig.addEventListener('mouseleave', () => toggle(false));
    fig.addEventListener('focusin', () => toggle(true));
    fig.addEventListener('focusout', () => toggle(false));
  }

  on('configured', (e) => {
    info = e.info;
    config = e.config;
    if (!e.retuned) stats = null;
    arch = e.arch ?? null;
    panel.hidden = !ready || !arch;
    build();
  });
  // The run that was configured before this module loaded (it loads after the first frame).
  const now = commands.state();
  if (now?.info && !arch) {
    info = now.info;
    config = now.config;
    try {
      arch = now.info.arch ? JSON.parse(now.info.arch) : null;
    } catch {
      arch = null;
    }
    stats = now.step > 0 ? now.stats : null;
  }
  on('stats', (e) => {
    stats = e.step > 0 ? e.stats : null;   // "–" before the first step
    schedule();
  });
  onLanguageChange(() => build());
  new ResizeObserver(() => {
    if (ready && arch && fitColumns() !== shownColumns) build();
  }).observe(holder);

  // Test hook (read-only): the numbers the graph shows, by field, as written in data-value.
  const w = /** @type {any} */ (window);
  if (w.__genlab) {
    w.__genlab.graphStats = () => Object.fromEntries(values.map((v) => [v.field, v.el.hasAttribute('data-value') ? Number(v.el.getAttribute('data-value')) : null]));
  }

  loadSection('graph').then(() => {
    ready = true;
    for (const el of panel.querySelectorAll('[data-i18n]')) el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n);
    panel.hidden = !arch;
    build();
  }, () => {});
}
