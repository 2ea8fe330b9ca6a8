// Worker side: what one frame holds for the current model and view settings. Every view is one
// batched Session call whose result is copied into a fresh Float32Array (never a view into the
// wasm heap) and later transferred. A view that throws is reported in frame.viewErrors and
// skipped; the rest of the frame still goes out.

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

const copy = (a) => (a instanceof Float32Array ? a.slice() : new Float32Array(a));

export function frameKind(config, isImage) {
  return `${config.model === 'gan' ? 'gan' : 'vae'}${isImage ? 'img' : '2d'}`;
}

// view: the page's request (toggles, latent dims, interpolation ends, `have`: the configuration
// version whose static data the page holds). slow: include the costlier views (latent codes,
// manifold, interpolation) — the worker asks for them a few times a second, not every frame.
// fieldRes: the heatmap resolution (coarser for the very first frame of a run, whose wasm code
// may still be running unoptimised).
export function buildFrame(session, view, config, configVersion, slow = true, fieldRes = FRAME_SIZES.fieldRes) {
  const isImage = session.isImage();
  const kind = frameKind(config, isImage);
  const f = { kind, step: session.steps(), viewErrors: {} };
  const get = (name, fn) => {
    try {
      f[name] = fn();
    } catch (e) {
      f.viewErrors[name] = String(e?.message ?? e);
    }
  };
  const S = FRAME_SIZES;
  // Data that only changes on configure: sent when the page lacks it for this configuration.
  if (view.have !== configVersion) {
    get('real', () => copy(session.realSamples(isImage ? S.imageGrid : S.points2d * 2)));
    get('box', () => copy(session.dataBox()));
  }
  get('history', () => copy(session.history()));
  if (kind === 'gan2d') {
    const box = session.dataBox();
    get('samples', () => copy(session.samples(S.points2d)));
    if (view.field) {
      get('field', () => copy(session.discriminatorField(box[0], box[1], box[2], box[3], fieldRes)));
      f.fieldRes = fieldRes;
      f.probability = session.discriminatorIsProbability();
    }
    if (view.arrows) get('gradients', () => copy(session.generatorGradients(S.arrows)));
    if (view.grid) {
      get('warp', () => copy(session.noiseGridWarp(S.warpRes)));
      f.warpRes = S.warpRes;
    }
  } else if (kind === 'vae2d') {
    get('samples', () => copy(session.samples(S.points2d)));
    if (view.recon) {
      get('recon', () => {
        const r = session.reconstructions(S.recon2d);
        return { inputs: copy(r.inputs), outputs: copy(r.outputs) };
      });
    }
    if (slow) latent(f, session, get);
  } else if (kind === 'ganimg') {
    get('samples', () => copy(session.samples(S.imageGrid)));
  } else {
    get('samples', () => copy(session.samples(S.imageGrid)));
    get('recon', () => {
      const r = session.reconstructions(S.recon);
      return { inputs: copy(r.inputs), outputs: copy(r.outputs) };
    });
    if (!slow) return finish(f, session, isImage);
    latent(f, session, get);
    const dims = Number(config.latent);
    const [dx, dy] = latentDims(view, dims);
    if (dims >= 2) {
      get('manifold', () => copy(session.latentGrid(S.manifoldRes, S.manifoldExtent, dx, dy)));
      f.manifoldRes = S.manifoldRes;
    }
    if (view.interp) {
      get('interp', () => copy(session.interpolate(view.ia | 0, view.ib | 0, S.interpSteps)));
      f.interpSteps = S.interpSteps;
    }
  }
  return finish(f, session, isImage);
}

function finish(f, session, isImage) {
  if (isImage) f.side = Math.round(Math.sqrt(session.dataDim()));
  return f;
}

// The two latent dimensions to show: the requested ones if they exist, else 0 and 1.
export function latentDims(view, dims) {
  let dx = view.latX | 0;
  let dy = view.latY | 0;
  if (dx >= dims) dx = 0;
  if (dy >= dims) dy = Math.min(1, dims - 1);
  return [dx, dy];
}

function latent(f, session, get) {
  get('latent', () => {
    const r = session.latentCodes(FRAME_SIZES.latentCodes);
    return { codes: copy(r.codes), labels: Uint8Array.from(r.labels), dim: r.dim };
  });
}
