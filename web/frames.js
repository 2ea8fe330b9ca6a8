// Worker side: what one frame holds for the current model and view settings. The core says which
// views the model offers on this data (info.views, from its model-kind table); each view here is
// one batched Session call whose result is copied into a fresh Float32Array (never a view into the
// wasm heap) and later transferred. A view that throws is reported in frame.viewErrors and
// skipped; the rest of the frame still goes out.
// @ts-check

export const FRAME_SIZES = Object.freeze({
  points2d: 512,      // generated / real points in the 2-D views
  arrows: 256,        // generator gradient arrows (at the first samples)
  recon2d: 160,       // reconstruction lines in the 2-D VAE view
  latentCodes: 600,   // latent scatter points
  imageGrid: 64,      // 8 × 8 sample grid
  recon: 16,          // image reconstructions (inputs and outputs)
  fieldRes: 64,       // discriminator heatmap resolution (one call, one ImageData)
  warpRes: 21,        // warped noise grid
  manifoldRes: 15,    // decoded latent manifold
  manifoldExtent: 3,  // ±3 standard deviations
  interpSteps: 10,
});

// Views that cost enough to be refreshed a few times a second rather than every frame.
export const SLOW_VIEWS = ['latent', 'manifold', 'interp'];
// The discriminator's heatmap (64² evaluations of D, most of a 2-D GAN frame's cost) is refreshed
// at most this often while training; frames between carry the last one (the page keeps it).
export const FIELD_EVERY_MS = 100;
// Views a frame may lack, the page then showing the last one it had: the slow views, the heatmap,
// and an image model's samples and reconstructions (paced by their own cost, protocol.js createPacer).
export const CARRIED_VIEWS = [...SLOW_VIEWS, 'field', 'samples', 'sampleClass', 'recon'];

// Buffers the page has finished with come back (MSG.FRAME_REQUEST's `give`) and carry the next
// frames' views: a fresh ArrayBuffer per view and frame (~0.3–1 MB per image frame, 20–40 frames a
// second) kept the page's collector sweeping array buffers, in tasks of up to 50 ms. Kept by size;
// at most POOL_PER_SIZE of each.
const POOL_PER_SIZE = 4;
/** @type {Map<number, ArrayBuffer[]>} */
const pool = new Map();

/** @param {unknown[]} buffers ArrayBuffers returned by the page (anything else is ignored) */
export function giveBack(buffers) {
  if (!Array.isArray(buffers)) return;
  for (const b of buffers) {
    if (!(b instanceof ArrayBuffer) || b.byteLength === 0 || b.byteLength % 4 !== 0) continue;
    const list = pool.get(b.byteLength) ?? [];
    if (list.length < POOL_PER_SIZE) list.push(b);
    pool.set(b.byteLength, list);
  }
}

/** For tests: buffers held, per byte length. */
export const poolSizes = () => Object.fromEntries([...pool].filter(([, l]) => l.length > 0).map(([n, l]) => [n, l.length]));

/** A Float32Array of n values, on a returned buffer when one of that size is waiting. @param {number} n */
function take(n) {
  const b = pool.get(n * 4)?.pop();
  return b ? new Float32Array(b) : new Float32Array(n);
}

/**
 * The buffers of a frame's views that can go back to the worker once the frame is replaced: the
 * per-frame views, not `real` (kept for the configuration) nor `history` (kept by persist.js).
 * @param {Record<string, any>} f
 * @returns {Set<ArrayBuffer>}
 */
export function viewBuffers(f) {
  const out = new Set();
  const add = (/** @type {unknown} */ a) => {
    if (a instanceof Float32Array && a.buffer instanceof ArrayBuffer && a.byteLength > 0) out.add(a.buffer);
  };
  for (const k of ['samples', 'field', 'gradients', 'warp', 'manifold', 'interp']) add(f?.[k]);
  add(f?.recon?.inputs);
  add(f?.recon?.outputs);
  add(f?.latent?.codes);
  return out;
}

/**
 * Buffers of replaced frames that the current frame does not hold (carried views are shared).
 * @param {Record<string, any>[]} replaced @param {Record<string, any>} current
 * @returns {ArrayBuffer[]}
 */
export function releasable(replaced, current) {
  const keep = viewBuffers(current);
  const out = new Set();
  for (const f of replaced) for (const b of viewBuffers(f)) if (!keep.has(b)) out.add(b);
  return [...out];
}

/** @param {ArrayLike<number>} a */
const copy = (a) => {
  const out = take(a.length);
  out.set(a);
  return out;
};

/**
 * @typedef {import('./genlab').Session} Session
 * @typedef {import('./genlab').RunInfo} RunInfo
 * @typedef {{ have: number, field?: boolean, arrows?: boolean, grid?: boolean, recon?: boolean,
 *   latX?: number, latY?: number, ia?: number, ib?: number, interp?: boolean, cls?: number, force?: boolean }} ViewRequest
 */

/**
 * One frame. view: the page's request (toggles, latent dims, interpolation ends, `have`: the
 * configuration version whose static data the page holds). slow: include the costlier views
 * (SLOW_VIEWS). fieldRes: the heatmap resolution (coarser for the very first frame of a run,
 * whose wasm code may still be running unoptimised). images: include an image model's samples and
 * reconstructions (a 2-D model's are always in: they cost little and move every step).
 * @param {Session} session
 * @param {ViewRequest} view
 * @param {RunInfo} info
 * @param {number} configVersion
 * @param {boolean} [slow]
 * @param {number} [fieldRes]
 * @param {boolean} [images]
 * @returns {Record<string, any>}
 */
export function buildFrame(session, view, info, configVersion, slow = true, fieldRes = FRAME_SIZES.fieldRes, images = true) {
  const offers = new Set(info.views);
  const image = info.image;
  /** @type {Record<string, any>} */
  const f = { step: session.steps(), viewErrors: {} };
  /** @param {string} name @param {() => any} fn */
  const get = (name, fn) => {
    try {
      f[name] = fn();
    } catch (e) {
      f.viewErrors[name] = String(/** @type {any} */ (e)?.message ?? e);
    }
  };
  const S = FRAME_SIZES;
  // Data that only changes on configure: sent when the page lacks it for this configuration.
  if (view.have !== configVersion) {
    get('real', () => copy(session.realSamples(image ? S.imageGrid : S.points2d * 2)));
  }
  get('history', () => {
    const h = session.history();
    return { channels: Array.from(h.channels), data: copy(h.data) };
  });
  const withImages = images || !image;
  // An image model's frame says how long its image views took (the pacer spaces them by it).
  const t0 = performance.now();
  if (!withImages) {
    // No image views in this frame: the page keeps showing the last ones.
  } else if (info.classes > 0) {
    // A conditional model draws its samples (and its other views) for the chosen class (an
    // out-of-range request, say from a hand-edited link, shows every class in turn). Images: 8 per
    // class, with every class in turn one row per class.
    const c = Number.isInteger(view.cls) && view.cls >= -1 && view.cls < info.classes ? view.cls : -1;
    get('sampleClass', () => { session.setSampleClass(c); return c; });
    const C = info.classes;
    get('samples', () => {
      const s = copy(session.samples(image ? 8 * C : S.points2d));
      return image && c === -1 ? rowPerClass(s, C, info.dataDim) : s;
    });
  } else {
    get('samples', () => copy(session.samples(image ? S.imageGrid : S.points2d)));
  }
  const t1 = performance.now();
  if (offers.has('field') && view.field) {
    const box = info.box;
    get('field', () => copy(session.discriminatorField(box[0], box[1], box[2], box[3], fieldRes)));
    f.fieldRes = fieldRes;
  }
  if (offers.has('arrows') && view.arrows) get('gradients', () => copy(session.generatorGradients(S.arrows)));
  if (offers.has('warp') && view.grid) {
    get('warp', () => copy(session.noiseGridWarp(S.warpRes)));
    f.warpRes = S.warpRes;
  }
  const otherMs = performance.now() - t1;   // the 2-D views between samples and reconstructions
  const recon = withImages && ((offers.has('recon_links') && view.recon) || offers.has('recon'));
  if (recon) {
    get('recon', () => {
      const r = session.reconstructions(image ? S.recon : S.recon2d);
      return { inputs: copy(r.inputs), outputs: copy(r.outputs) };
    });
  }
  if (image && withImages) f.imagesMs = performance.now() - t0 - otherMs;
  if (!slow) return f;
  if (offers.has('latent')) {
    get('latent', () => {
      const r = session.latentCodes(S.latentCodes);
      return { codes: copy(r.codes), labels: Uint8Array.from(r.labels), dim: r.dim };
    });
  }
  const [dx, dy] = latentDims(view, info.latent);
  if (offers.has('manifold') && info.latent >= 2) {
    get('manifold', () => copy(session.latentGrid(S.manifoldRes, S.manifoldExtent, dx, dy)));
    f.manifoldRes = S.manifoldRes;
  }
  if (offers.has('interp') && view.interp) {
    get('interp', () => copy(session.interpolate((view.ia ?? 0) | 0, (view.ib ?? 1) | 0, S.interpSteps)));
    f.interpSteps = S.interpSteps;
  }
  return f;
}

/**
 * Samples whose row r was drawn for class r mod C (the core's order), regrouped so that the grid
 * of 8 columns shows class k in row k: sample r goes to row r mod C, column ⌊r / C⌋.
 * @param {Float32Array} s
 * @param {number} C
 * @param {number} D
 */
export function rowPerClass(s, C, D) {
  const out = new Float32Array(s.length);
  const n = s.length / D;
  for (let r = 0; r < n; r++) out.set(s.subarray(r * D, (r + 1) * D), ((r % C) * (n / C) + Math.floor(r / C)) * D);
  return out;
}

/**
 * The two latent dimensions to show: the requested ones if they exist, else 0 and 1.
 * @param {{ latX?: number, latY?: number }} view
 * @param {number} dims
 */
export function latentDims(view, dims) {
  let dx = (view.latX ?? 0) | 0;
  let dy = (view.latY ?? 1) | 0;
  if (dx >= dims) dx = 0;
  if (dy >= dims) dy = Math.min(1, dims - 1);
  return [dx, dy];
}
