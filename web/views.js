// The view area: which figures a model/data combination shows, drawing the latest frame into
// them (through the pure renderers in render/), and the pointer interactions on them (drawing
// your own points, picking interpolation ends in the latent scatter).
import { t } from './i18n.js';
import { fitCanvas, pointerPos } from './render/canvas.js';
import { COLORS } from './render/colors.js';
import { putImageGrid } from './render/images.js';
import { drawLatent, nearestCode } from './render/latent.js';
import { drawArrows, drawClipped, drawField, drawFrameBox, drawLinks, drawPoints, drawWarpGrid, makeTransform, thinPoints } from './render/scatter.js';
import { latentDims } from './frames.js';

// The figures, in page order; a model shows those among its views (RunInfo.views, from the core's
// model-kind table). The first one shown is the "main" one (PNG export).
const FIGURES = ['data', 'samples', 'latent', 'real', 'recon', 'manifold', 'interp'];

/** @param {Set<string>} views */
function dataLabel(views, drawable) {
  const parts = [t('aria.data.base')];
  if (views.has('field')) parts.push(t('aria.data.field'));
  if (views.has('arrows')) parts.push(t('aria.data.arrows'));
  if (views.has('recon_links')) parts.push(t('aria.data.recon'));
  return t(drawable ? 'aria.data.drawable' : 'aria.data.line', { parts: parts.join(t('aria.data.sep')) });
}

export function createViews(handlers) {
  const el = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
  const canvas = Object.fromEntries(FIGURES.map((k) => [k, el(`cv-${k}`)]));
  const figure = Object.fromEntries(FIGURES.map((k) => [k, el(`fig-${k}`)]));
  let offered = new Set();
  // What each view shows now: its data (the frame's array, carried over between frames for the
  // slow views), and for the latent scatter its size; a view whose key is unchanged is not drawn.
  /** @type {Record<string, { data: unknown, w?: number, h?: number, dpr?: number, sel?: string }>} */
  let gridShown = {};
  let image = false;
  let side = 0;
  let probability = false;
  let drawingPoints = false;
  let dataTf = null;
  let latentTf = null;
  let latentState = null;   // { codes, dim, dx, dy } of the last drawn scatter
  let stroke = null;        // points of the stroke being drawn
  let last = null;
  let reconPixels = null;   // the interleaved reconstructions, one buffer reused

  // info: the run's RunInfo; classNames: the data set's labels (images), from the core's table.
  function setMode(info, { pointsData = false, classNames = [] } = {}) {
    el('latent-legend').replaceChildren(...classNames.map((name, i) => {
      const span = document.createElement('span');
      span.className = `chip chip-${i}`;
      span.textContent = name;
      return span;
    }));
    offered = new Set(info.views);
    gridShown = {};
    image = info.image;
    side = info.side;
    probability = info.probability;
    drawingPoints = pointsData && offered.has('data');
    let shown = 0;
    for (const name of FIGURES) {
      figure[name].hidden = !offered.has(name);
      if (offered.has(name)) shown++;
    }
    document.body.dataset.layout = shown <= 1 ? 'single' : shown >= 5 ? 'wide' : 'pair';
    for (const node of document.querySelectorAll('[data-view]')) {
      node.classList.toggle('not-offered', !offered.has(node.getAttribute('data-view')));
    }
    for (const node of document.querySelectorAll('[data-part]')) {
      node.classList.toggle('not-offered', !info.parts.includes(node.getAttribute('data-part')));
    }
    const toggles = /** @type {HTMLElement} */ (document.querySelector('.toggles'));
    toggles.hidden = !toggles.querySelector('[data-view]:not(.not-offered)');
    canvas.data.classList.toggle('drawable', drawingPoints);
    canvas.data.setAttribute('aria-label', dataLabel(offered, drawingPoints));
    const latent = info.latent;
    for (const [id, def] of /** @type {[string, number][]} */ ([['lat-x', 0], ['lat-y', 1]])) {
      const sel = el(id);
      const keep = Number(sel.value || def);
      sel.replaceChildren(...Array.from({ length: latent }, (_, i) => {
        const o = document.createElement('option');
        o.value = String(i);
        o.textContent = `z${i + 1}`;
        return o;
      }));
      sel.value = String(Math.min(keep, Math.max(0, latent - 1)));
    }
    el('latent-dims').hidden = latent <= 2;
    // A conditional model: which class its samples are drawn for (every class in turn, or one).
    const pick = el('sample-class');
    const want = pick.dataset.want ?? pick.value ?? '-1';
    const every = document.createElement('option');
    every.value = '-1';
    every.textContent = t('page.every_class');
    pick.replaceChildren(every, ...Array.from({ length: info.classes ?? 0 }, (_, i) => {
      const o = document.createElement('option');
      o.value = String(i);
      o.textContent = image ? classNames[i] ?? String(i) : t('page.mode_n', { n: i + 1 });  // 2-D: a mixture's components
      return o;
    }));
    pick.value = Number(want) < (info.classes ?? 0) ? want : '-1';
    el('class-pick').hidden = !(info.classes > 0);
    (image ? figure.samples : figure.data).querySelector('figcaption')?.append(el('class-pick'));
  }

  function draw(frame, view, extras) {
    last = { frame, view, extras };
    if (!frame) return;
    if (offered.has('data')) drawData(frame, view, extras);
    if (frame.latent && !figure.latent.hidden) drawLatentView(frame, view);
    if (image && side) {
      if (offered.has('samples')) grid('samples', frame.samples, 8);
      if (offered.has('real')) grid('real', extras.real, 8);
      if (frame.recon) grid('recon', frame.recon, 16, 1, () => (reconPixels = interleave(frame.recon.inputs, frame.recon.outputs, side * side, 16, reconPixels)));
      if (frame.manifold) grid('manifold', frame.manifold, frame.manifoldRes, 0);
      if (frame.interp) grid('interp', frame.interp, frame.interpSteps, 1);
    }
  }

  // An image grid, drawn when its data changed: at its own size, scaled by CSS (no redraw on resize).
  function grid(name, data, cols, gap = 1, pixelsOf = () => /** @type {Float32Array} */ (data)) {
    if (figure[name].hidden || !data) return;
    if (gridShown[name]?.data === data) return;
    gridShown[name] = { data };
    const pixels = pixelsOf();
    const c = canvas[name];
    const L = putImageGrid(c, pixels, Math.floor(pixels.length / side ** 2), side, cols, gap);
    // Blown up at least 2× the pixels stay square (nearest neighbour); smaller, they are smoothed
    // (a 20×20 manifold squeezed into a small view would drop whole rows of pixels).
    const smooth = L ? String(c.clientWidth * (window.devicePixelRatio || 1) < 2 * L.width) : '';
    if (L && c.dataset.smooth !== smooth) c.dataset.smooth = smooth;
  }

  // Real points as drawn: a large set (up to 100,000 of your own) thinned once per set, and the
  // caption says so — drawing every point each frame froze the page.
  const thinned = new WeakMap();
  function shownReal(real) {
    const note = el('data-thinned');
    if (!real) {
      if (note) note.hidden = true;
      return real;
    }
    let shown = thinned.get(real);
    if (!shown) thinned.set(real, shown = thinPoints(real));
    if (note) {
      // Written only when it changes: a text write every frame meant a style and layout pass too.
      if (note.hidden !== (shown === real)) note.hidden = shown === real;
      const noteKey = `${shown.length >> 1}|${real.length >> 1}|${document.documentElement.lang}`;
      if (shown !== real && note.dataset.key !== noteKey) {
        note.dataset.key = noteKey;
        note.dataset.shown = String(shown.length >> 1);
        note.textContent = t('page.real_thinned', { shown: (shown.length >> 1).toLocaleString(), total: (real.length >> 1).toLocaleString() });
      }
    }
    return shown;
  }

  function drawData(frame, view, extras) {
    const fit = fitCanvas(canvas.data);
    const box = extras.box;
    if (!fit || !box) return;
    const { ctx, w, h } = fit;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    const tf = makeTransform(box, w, h, 10);
    dataTf = tf;
    const on = (k) => view[k] !== 'false';
    if (offered.has('field') && on('v_field') && frame.field) drawField(ctx, frame.field, frame.fieldRes, probability, tf);
    drawFrameBox(ctx, tf);
    drawClipped(ctx, tf, () => {
      if (offered.has('warp') && on('v_grid') && frame.warp) drawWarpGrid(ctx, frame.warp, frame.warpRes, tf);
      const real = shownReal(extras.real);
      if (on('v_real') && real) ctx.drawImage(realLayer(real, box, w, h), 0, 0, w, h);
      if (on('v_fake')) drawPoints(ctx, frame.samples, tf, COLORS.fake, 2.4);
      if (offered.has('arrows') && on('v_arrows') && frame.gradients) drawArrows(ctx, frame.samples, frame.gradients, tf);
      if (offered.has('recon_links') && on('v_recon') && frame.recon) drawLinks(ctx, frame.recon.inputs, frame.recon.outputs, tf);
      if (stroke?.length) drawPoints(ctx, new Float32Array(stroke), tf, COLORS.text, 3);
    });
  }

  // The real points change only with the data set (or the view's size): drawn once into a layer
  // of the canvas's size, which each frame copies — drawing up to 4,096 points every frame was
  // most of the 2-D view's raster time (main-thread tasks over 50 ms with 100,000 points).
  let realCache = { key: '', real: null, layer: null };
  function realLayer(real, box, w, h) {
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    const bw = Math.round(w * dpr), bh = Math.round(h * dpr);
    const key = `${bw}x${bh}|${box.join(',')}`;
    if (realCache.real === real && realCache.key === key) return realCache.layer;
    const layer = realCache.layer?.width === bw && realCache.layer?.height === bh ? realCache.layer : new OffscreenCanvas(bw, bh);
    const lc = layer.getContext('2d');
    lc.setTransform(1, 0, 0, 1, 0, 0);
    lc.clearRect(0, 0, bw, bh);
    lc.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawPoints(lc, real, makeTransform(box, w, h, 10), COLORS.real, 2.4);
    realCache = { key, real, layer };
    return layer;
  }

  function drawLatentView(frame, view) {
    const c = canvas.latent;
    const key = { data: frame.latent, w: c.clientWidth, h: c.clientHeight, dpr: window.devicePixelRatio || 1,
      sel: `${view.lat_x}|${view.lat_y}|${view.ia}|${view.ib}` };
    const was = gridShown.latent;
    if (was && was.data === key.data && was.w === key.w && was.h === key.h && was.dpr === key.dpr && was.sel === key.sel) return;
    const fit = fitCanvas(c);
    if (!fit) return;
    gridShown.latent = key;
    fit.ctx.fillStyle = '#fff';
    fit.ctx.fillRect(0, 0, fit.w, fit.h);
    const { dim } = frame.latent;
    const [dx, dy] = latentDims({ latX: Number(view.lat_x), latY: Number(view.lat_y) }, dim);
    const picks = offered.has('interp') ? [Number(view.ia), Number(view.ib)] : [];
    latentTf = drawLatent(fit.ctx, fit.w, fit.h, frame.latent, dx, dy, picks);
    latentState = { codes: frame.latent.codes, dim, dx, dy };
  }

  // ---- pointer interactions ----
  let lastPx = null;
  canvas.data.addEventListener('pointerdown', (ev) => {
    if (!drawingPoints || !dataTf || ev.button !== 0) return;
    canvas.data.setPointerCapture(ev.pointerId);
    stroke = [];
    addStrokePoint(pointerPos(canvas.data, ev));
    ev.preventDefault();
  });
  canvas.data.addEventListener('pointermove', (ev) => {
    if (!stroke) return;
    const p = pointerPos(canvas.data, ev);
    if (lastPx && Math.hypot(p[0] - lastPx[0], p[1] - lastPx[1]) < 6) return;
    addStrokePoint(p);
  });
  const endStroke = () => {
    if (!stroke) return;
    const xy = new Float32Array(stroke);
    stroke = null;
    lastPx = null;
    if (xy.length) handlers.onPointsStroke(xy);
  };
  canvas.data.addEventListener('pointerup', endStroke);
  canvas.data.addEventListener('pointercancel', endStroke);

  function addStrokePoint([px, py]) {
    lastPx = [px, py];
    stroke.push(dataTf.invX(px), dataTf.invY(py));
    if (last) drawData(last.frame, last.view, last.extras);
  }

  let pickNext = 0;
  canvas.latent.addEventListener('click', (ev) => {
    if (!offered.has('interp') || !latentTf || !latentState) return;
    const [px, py] = pointerPos(canvas.latent, ev);
    const { codes, dim, dx, dy } = latentState;
    const i = nearestCode(codes, dim, dx, dy, latentTf.invX(px), latentTf.invY(py));
    if (i < 0) return;
    handlers.onPick(pickNext, i);
    pickNext = 1 - pickNext;
  });

  return {
    setMode,
    draw,
    redraw: () => {
      gridShown = {};   // everything again (a new size, language or setting)
      if (last) draw(last.frame, last.view, last.extras);
    },
    mainCanvas: () => canvas[FIGURES.find((k) => offered.has(k)) ?? 'data'],
  };
}

// [in 0..k-1, out 0..k-1, in k..2k-1, out k..2k-1, …]: inputs above their reconstructions.
// into: a Float32Array of the right length to fill instead of a new one (the page reuses one).
export function interleave(inputs, outputs, per, cols, into = null) {
  const n = Math.min(inputs.length, outputs.length) / per;
  const out = into?.length === 2 * n * per ? into : new Float32Array(2 * n * per);
  let o = 0;
  for (let r = 0; r < n; r += cols) {
    const m = Math.min(cols, n - r);
    out.set(inputs.subarray(r * per, (r + m) * per), o);
    o += m * per;
    out.set(outputs.subarray(r * per, (r + m) * per), o);
    o += m * per;
  }
  return out;
}
