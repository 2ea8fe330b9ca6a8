// The view area: which figures a model/data combination shows, drawing the latest frame into
// them (through the pure renderers in render/), and the pointer interactions on them (drawing
// your own points, picking interpolation ends in the latent scatter).
import { fitCanvas, pointerPos } from './render/canvas.js';
import { COLORS } from './render/colors.js';
import { drawImageGrid } from './render/images.js';
import { drawLatent, nearestCode } from './render/latent.js';
import { drawArrows, drawField, drawFrameBox, drawLinks, drawPoints, drawWarpGrid, makeTransform } from './render/scatter.js';
import { latentDims } from './frames.js';

// Figures per frame kind (frames.js): the first is the "main" one (PNG export).
export const FIGURES = {
  gan2d: ['data'],
  vae2d: ['data', 'latent'],
  ganimg: ['samples', 'real'],
  vaeimg: ['samples', 'recon', 'latent', 'manifold', 'interp'],
};
const ALL = ['data', 'latent', 'samples', 'real', 'recon', 'manifold', 'interp'];

export const CLASS_NAMES = {
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  fashion: ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Boot'],
};

const LABELS = {
  gan2d: 'Data space: real points in green, generated points in purple; the background is the discriminator ' +
    '(green: judged real, purple: judged fake); arrows show where the generator moves its points.',
  vae2d: 'Data space: real points in green, samples of the VAE in purple, orange lines from inputs to their reconstructions.',
};

export function createViews(handlers) {
  const el = (id) => document.getElementById(id);
  const canvas = Object.fromEntries(ALL.map((k) => [k, el(`cv-${k}`)]));
  const figure = Object.fromEntries(ALL.map((k) => [k, el(`fig-${k}`)]));
  let kind = 'vae2d';
  let drawingPoints = false;
  let dataTf = null;
  let latentTf = null;
  let latentState = null;   // { codes, dim, dx, dy } of the last drawn scatter
  let stroke = null;        // points of the stroke being drawn
  let last = null;

  function setMode(k, { pointsData = false, latent = 2, dataset = '' } = {}) {
    const names = CLASS_NAMES[dataset.replace(/\d+$/, '')] ?? [];
    el('latent-legend').replaceChildren(...names.map((name, i) => {
      const span = document.createElement('span');
      span.className = `chip chip-${i}`;
      span.textContent = name;
      return span;
    }));
    kind = k;
    drawingPoints = pointsData && k.endsWith('2d');
    const shown = new Set(FIGURES[k]);
    for (const name of ALL) figure[name].hidden = !shown.has(name);
    document.body.dataset.kind = k;
    canvas.data.classList.toggle('drawable', drawingPoints);
    if (LABELS[k]) canvas.data.setAttribute('aria-label', LABELS[k] + (drawingPoints ? ' Click or drag to add points.' : ''));
    for (const [id, def] of [['lat-x', 0], ['lat-y', 1]]) {
      const sel = el(id);
      const keep = Number(sel.value || def);
      sel.replaceChildren(...Array.from({ length: latent }, (_, i) => {
        const o = document.createElement('option');
        o.value = String(i);
        o.textContent = `z${i + 1}`;
        return o;
      }));
      sel.value = String(Math.min(keep, latent - 1));
    }
    el('latent-dims').hidden = latent <= 2;
  }

  function draw(frame, view, extras) {
    last = { frame, view, extras };
    if (!frame) return;
    if (kind.endsWith('2d')) drawData(frame, view, extras);
    if (frame.latent && !figure.latent.hidden) drawLatentView(frame, view, extras);
    const side = frame.side;
    if (kind.endsWith('img') && side) {
      grid('samples', frame.samples, 8);
      if (kind === 'ganimg') grid('real', extras.real, 8);
      if (frame.recon) grid('recon', interleave(frame.recon.inputs, frame.recon.outputs, side * side, 16), 16);
      if (frame.manifold) grid('manifold', frame.manifold, frame.manifoldRes, 0);
      if (frame.interp) grid('interp', frame.interp, frame.interpSteps, 1);
    }
  }

  function grid(name, pixels, cols, gap = 1) {
    const fit = !figure[name].hidden && pixels ? fitCanvas(canvas[name]) : null;
    if (!fit) return;
    const per = last.frame.side ** 2;
    fit.ctx.fillStyle = '#fff';
    fit.ctx.fillRect(0, 0, fit.w, fit.h);
    drawImageGrid(fit.ctx, fit.w, fit.h, pixels, Math.floor(pixels.length / per), last.frame.side, cols, gap);
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
    if (kind === 'gan2d' && on('v_field') && frame.field) drawField(ctx, frame.field, frame.fieldRes, frame.probability, tf);
    drawFrameBox(ctx, tf);
    if (kind === 'gan2d' && on('v_grid') && frame.warp) drawWarpGrid(ctx, frame.warp, frame.warpRes, tf);
    if (on('v_real')) drawPoints(ctx, extras.real, tf, COLORS.real, 2.4);
    if (on('v_fake')) drawPoints(ctx, frame.samples, tf, COLORS.fake, 2.4);
    if (kind === 'gan2d' && on('v_arrows') && frame.gradients) drawArrows(ctx, frame.samples, frame.gradients, tf);
    if (kind === 'vae2d' && on('v_recon') && frame.recon) drawLinks(ctx, frame.recon.inputs, frame.recon.outputs, tf);
    if (stroke?.length) drawPoints(ctx, new Float32Array(stroke), tf, COLORS.text, 3);
  }

  function drawLatentView(frame, view, extras) {
    const fit = fitCanvas(canvas.latent);
    if (!fit) return;
    fit.ctx.fillStyle = '#fff';
    fit.ctx.fillRect(0, 0, fit.w, fit.h);
    const { dim } = frame.latent;
    const [dx, dy] = latentDims({ latX: Number(view.lat_x), latY: Number(view.lat_y) }, dim);
    const picks = kind === 'vaeimg' ? [Number(view.ia), Number(view.ib)] : [];
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
    if (kind !== 'vaeimg' || !latentTf || !latentState) return;
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
    redraw: () => last && draw(last.frame, last.view, last.extras),
    mainCanvas: () => canvas[FIGURES[kind][0]],
  };
}

// [in 0..k-1, out 0..k-1, in k..2k-1, out k..2k-1, …]: inputs above their reconstructions.
export function interleave(inputs, outputs, per, cols) {
  const n = Math.min(inputs.length, outputs.length) / per;
  const out = new Float32Array(2 * n * per);
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
