// The model-overview graph (issue 13): drawn from the core's architecture spec (arch.graph: the
// nodes data / noise / net / tensor / op / loss and their inputs; arch.nets: each network's
// layers), never from a per-preset picture. Live numbers on it are the StepStats of the frames
// (the same numbers as the chart); focusing or hovering a node lights up the view it feeds, and
// hovering a view lights up its nodes. graphModel() is pure (node's tests import it).
import { on } from './bus.js';
import { onLanguageChange, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const COL_W = 134;
const ROW_H = 62;
const NODE_W = 122;
const NODE_H = 46;

// snake_case stat → the camelCase StepStats field.
const field = (stat) => stat.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
// The gradient-norm field of a network node.
const GRAD = { G: 'gGrad', D: 'dGrad', enc: 'encGrad', dec: 'decGrad' };

// A network's layers in a line: "8 → 128 relu → 128 relu → 2".
function layersText(net) {
  const parts = [String(net.in)];
  for (const l of net.layers) {
    if (l.kind === 'linear') parts.push(String(l.out));
    else if (l.kind === 'activation') parts[parts.length - 1] += ` ${l.act}`;
  }
  return parts.join(' → ');
}

/**
 * arch (the core's architecture spec) → { nodes, edges, width, height }. Each node: { id, kind,
 * title (catalog key), detail (text made of numbers and layer names), stat?, grad?, x, y }.
 */
export function graphModel(arch) {
  const byId = new Map(arch.graph.map((n) => [n.id, n]));
  const depth = new Map();
  const depthOf = (id) => {
    if (!depth.has(id)) {
      const n = byId.get(id);
      depth.set(id, n.inputs.length ? 1 + Math.max(...n.inputs.map(depthOf)) : 0);
    }
    return depth.get(id);
  };
  for (const n of arch.graph) depthOf(n.id);
  const columns = [];
  for (const n of arch.graph) (columns[depth.get(n.id)] ??= []).push(n);
  const rows = Math.max(...columns.map((c) => c.length));
  const nets = new Map(arch.nets.map((n) => [n.name, n]));
  const nodes = [];
  columns.forEach((col, c) => col.forEach((n, r) => {
    const net = nets.get(n.id);
    let detail = `${n.width}`;
    if (net) detail = layersText(net);
    if (n.id === 'D' && arch.pack > 1) detail = `${arch.pack} × ${arch.dataDim} = ${layersText(net)}`;
    nodes.push({
      id: n.id, kind: n.kind, inputs: n.inputs, title: n.id === 'z' ? `graph.node.z_${n.kind}` : `graph.node.${n.id}`, detail,
      stat: n.stat ? field(n.stat) : null, grad: net ? GRAD[n.id] ?? null : null,
      x: 8 + c * COL_W, y: 8 + (r + (rows - col.length) / 2) * ROW_H,
    });
  }));
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges = nodes.flatMap((n) => n.inputs.map((from) => ({ from, to: n.id, a: at.get(from), b: n })));
  return { nodes, edges, width: 16 + (columns.length - 1) * COL_W + NODE_W, height: 16 + (rows - 1) * ROW_H + NODE_H };
}

// The figure a node feeds, given the views the run offers.
export function viewOf(node, views, image) {
  const has = (v) => views.includes(v);
  switch (node.id) {
    case 'D': case 'd_real': case 'd_fake': case 'd_loss': return has('field') ? 'fig-data' : image ? 'fig-real' : 'fig-data';
    case 'G': case 'x_fake': case 'g_loss': return image ? 'fig-samples' : 'fig-data';
    case 'z': return has('latent') ? 'fig-latent' : image ? 'fig-samples' : 'fig-data';
    case 'enc': case 'mu': case 'logvar': case 'eps': case 'kl': return has('latent') ? 'fig-latent' : null;
    case 'dec': return image ? 'fig-manifold' : 'fig-data';
    case 'x_hat': case 'recon': case 'loss': return image ? 'fig-recon' : 'fig-data';
    case 'x': return image ? (has('real') ? 'fig-real' : 'fig-recon') : 'fig-data';
    default: return null;
  }
}

const fmt = (v) => (typeof v !== 'number' || !Number.isFinite(v) ? '–' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3));

export function createModelGraph() {
  const panel = document.getElementById('graph-panel');
  const holder = document.getElementById('graph');
  if (!panel || !holder) return;
  let model = null;
  let info = null;
  let stats = null;
  let lastDraw = 0;
  let timer = 0;
  const values = [];   // [{ el, get: (stats) → number }]

  function el(name, attrs = {}, parent = null) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    parent?.append(e);
    return e;
  }

  function link(node, on) {
    const id = info ? viewOf(node, info.views, info.image) : null;
    const fig = id ? document.getElementById(id) : null;
    if (fig && !fig.hidden) fig.classList.toggle('graph-linked', on);
  }

  function draw() {
    holder.replaceChildren();
    values.length = 0;
    if (!model) return;
    const svg = el('svg', { viewBox: `0 0 ${model.width} ${model.height}`, class: 'graph-svg', role: 'group' }, holder);
    svg.setAttribute('aria-label', t('graph.aria'));
    el('title', {}, svg).textContent = t('graph.aria');
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'graph-arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 6, markerHeight: 6, orient: 'auto' }, defs);
    el('path', { d: 'M0,0 L8,4 L0,8 z', class: 'graph-arrowhead' }, marker);
    for (const e of model.edges) {
      const x1 = e.a.x + NODE_W;
      const y1 = e.a.y + NODE_H / 2;
      const x2 = e.b.x;
      const y2 = e.b.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      el('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, class: 'graph-edge', 'marker-end': 'url(#graph-arrow)' }, svg);
    }
    for (const n of model.nodes) {
      const g = el('g', { class: `graph-node graph-${n.kind}`, tabindex: 0, 'data-node': n.id, transform: `translate(${n.x},${n.y})` }, svg);
      el('rect', { width: NODE_W, height: NODE_H, rx: 7 }, g);
      const title = el('text', { x: 7, y: 15, class: 'graph-title' }, g);
      title.textContent = t(n.title);
      const detail = el('text', { x: 7, y: 29, class: 'graph-detail' }, g);
      detail.textContent = n.detail.length > 22 ? `${n.detail.slice(0, 21)}…` : n.detail;
      const tip = el('title', {}, g);
      tip.textContent = `${t(n.title)}: ${n.detail}`;
      const live = el('text', { x: 7, y: 41, class: 'graph-value' }, g);
      if (n.stat) {
        live.dataset.stat = n.stat;
        values.push({ el: live, get: (s) => s?.[n.stat], label: t(`graph.stat.${n.stat}`) });
      } else if (n.grad) {
        live.dataset.stat = n.grad;
        values.push({ el: live, get: (s) => s?.[n.grad], label: t('graph.grad') });
      }
      if (n.id === 'kl') {
        // β·KL: what the loss adds (β = 1 is the bound itself).
        live.dataset.stat = 'betaKl';
        values[values.length - 1] = { el: live, get: (s) => (s ? s.beta * s.kl : undefined), label: t('graph.stat.betaKl') };
      }
      g.setAttribute('aria-label', `${t(n.title)}, ${n.detail}`);
      g.addEventListener('focus', () => link(n, true));
      g.addEventListener('blur', () => link(n, false));
      g.addEventListener('mouseenter', () => link(n, true));
      g.addEventListener('mouseleave', () => link(n, false));
      g.addEventListener('click', () => g.focus());
    }
    update(true);
  }

  function update(force = false) {
    const now = performance.now();
    if (!force && now - lastDraw < 250) {   // DOM writes ≤ 4 per second
      timer ||= window.setTimeout(() => { timer = 0; update(true); }, 260);
      return;
    }
    lastDraw = now;
    for (const v of values) {
      const x = v.get(stats);
      v.el.textContent = `${v.label} ${fmt(x)}`;
      if (typeof x === 'number') v.el.dataset.value = String(x);
      else delete v.el.dataset.value;
    }
  }

  // Hovering a view lights up the nodes that feed it.
  for (const fig of document.querySelectorAll('#views figure')) {
    const toggle = (state) => {
      if (!model || !info) return;
      for (const n of model.nodes) {
        if (viewOf(n, info.views, info.image) === fig.id) holder.querySelector(`[data-node="${n.id}"]`)?.classList.toggle('graph-lit', state);
      }
    };
    fig.addEventListener('mouseenter', () => toggle(true));
    fig.addEventListener('mouseleave', () => toggle(false));
  }

  on('configured', (e) => {
    info = e.info;
    if (!e.arch) return;
    model = graphModel(e.arch);
    if (!e.retuned) stats = null;
    panel.hidden = false;
    draw();
  });
  on('stats', (e) => {
    stats = e.stats;
    update();
  });
  onLanguageChange(() => draw());
  // Test hook: the values shown, by StepStats field.
  window.__genlab.graphValues = () => Object.fromEntries([...holder.querySelectorAll('[data-stat]')].map((x) => [
    /** @type {HTMLElement} */ (/** @type {unknown} */ (x)).dataset.stat, Number(/** @type {HTMLElement} */ (/** @type {unknown} */ (x)).dataset.value)]));
}
