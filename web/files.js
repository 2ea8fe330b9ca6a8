import { setText, t } from './i18n.js';
import { MSG } from './protocol.js';
import { imagesToRgba } from './render/images.js';

// Keeping work: downloads (model file, PNG of the samples, CSV of metrics and losses) through a
// Blob and a temporary object URL, and reading a model file the user picks.

export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// A file-name-safe stem such as "genlab-gan-ring8-step1200".
export function fileStem(config, step) {
  const clean = (s) => String(s ?? '').replace(/[^a-z0-9_-]+/gi, '').slice(0, 24) || 'x';
  return `genlab-${clean(config.model)}-${clean(config.dataset)}-step${Math.max(0, Math.floor(step || 0))}`;
}

export function saveModelFile(bytes, config, step) {
  downloadBlob(new Blob([bytes], { type: 'application/octet-stream' }), `${fileStem(config, step)}.genlab`);
}

export function saveCanvasPng(canvas, stem) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new Error(t('files.empty_view')));
        return;
      }
      downloadBlob(blob, `${stem}.png`);
      resolve();
    }, 'image/png');
  });
}

// A sample grid at native resolution: each image pixel as scale×scale pixels, 1-px gutters,
// 8 columns (not the on-screen canvas, which may be smaller than the images).
export function samplesPng({ pixels, side }, stem, scale = 2) {
  const n = Math.floor(pixels.length / (side * side));
  const img = imagesToRgba(pixels, n, side, Math.min(8, n), 1, scale);
  const c = document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  c.getContext('2d').putImageData(new ImageData(img.data, img.width, img.height), 0, 0);
  return saveCanvasPng(c, stem);
}

const num = (v) => (Number.isFinite(v) ? Number(v.toFixed(4)) : null);

// The 2-D view as SVG (vector: any size, editable): the data box, real and generated points in
// their colours, y up. Pure (a string); points outside the box are left out, as on screen.
export function scatterSvg({ real, samples, box, realColor, fakeColor, size = 480 }) {
  const [x0, x1, y0, y1] = box;
  const s = size / Math.max(x1 - x0, y1 - y0);
  const w = Math.round((x1 - x0) * s);
  const h = Math.round((y1 - y0) * s);
  const dots = (xy, color) => {
    if (!xy) return '';
    const out = [];
    for (let i = 0; i + 1 < xy.length; i += 2) {
      const [x, y] = [xy[i], xy[i + 1]];
      if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue;
      out.push(`<circle cx="${num((x - x0) * s)}" cy="${num((y1 - y) * s)}" r="2.4"/>`);
    }
    return `<g fill="${color}">${out.join('')}</g>`;
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<rect width="${w}" height="${h}" fill="#fff" stroke="#5f6670"/>${dots(real, realColor)}${dots(samples, fakeColor)}</svg>\n`;
}

export function saveCsv(text, filename) {
  downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), filename);
}

const MAX_MODEL_BYTES = 512 << 20;

// The bytes of a picked file (ArrayBuffer), refusing before reading it whole what cannot be a
// model file: absurd sizes, a first 16 bytes without the format's magic, or a header whose total
// length is not the file's size (src/genlab/io/README.md). Such files never reach the worker.
export async function readPickedFile(file) {
  if (!file) throw new Error(t('files.no_file'));
  if (file.size > MAX_MODEL_BYTES) throw new Error(t('files.too_large', { name: file.name, bytes: file.size }));
  const head = new DataView(await file.slice(0, 16).arrayBuffer());
  const magic = head.byteLength >= 4 && head.getUint32(0) === 0x474c4d46;   // "GLMF"
  if (!magic) throw new Error(t('files.not_model', { name: file.name }));
  const length = head.byteLength >= 16 ? Number(head.getBigUint64(8, true)) : -1;
  if (length !== file.size) throw new Error(t('files.wrong_length', { name: file.name, bytes: file.size, length: Math.max(length, 0) }));
  return file.arrayBuffer();
}

// The "Keep your work" buttons and the worker's answers to them. Save asks the worker for the
// bytes; Load hands it a file's bytes, and the worker keeps the current model if it rejects
// them. A model of an image data set whose images are not downloaded yet is retried once they
// are (the page keeps the bytes until the worker accepts them).
//   opts: { post, pause, stem, mainCanvas, sampleImages() → {pixels, side} | null, scatter() →
//           scatterSvg's input | null, metricsCsv, lossesCsv, fetchImages(dataset), notify(text) }
export function wireFiles(opts) {
  const el = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
  const msg = el('files-msg');
  let pending = null;   // { bytes, retried }
  const load = (bytes, retried) => {
    pending = { bytes, retried };
    opts.post({ type: MSG.LOAD, bytes: bytes.slice(0) });
  };

  el('save-model').addEventListener('click', () => opts.post({ type: MSG.SAVE }));
  el('load-model').addEventListener('change', async () => {
    const input = el('load-model');
    const file = input.files[0];
    input.value = '';
    try {
      const bytes = await readPickedFile(file);
      opts.pause();
      setText(msg, 'files.loading', { name: file.name });
      load(bytes, false);
    } catch (e) {
      setText(msg, 'files.read_failed', { message: e.message });
    }
  });
  el('export-png').addEventListener('click', () => {
    const images = opts.sampleImages();
    const saved = images ? samplesPng(images, `${opts.stem()}-samples`) : saveCanvasPng(opts.mainCanvas(), `${opts.stem()}-samples`);
    saved.catch((e) => { msg.textContent = e.message; });
  });
  el('export-svg').addEventListener('click', () => {
    const scatter = opts.scatter();
    if (!scatter) return;
    downloadBlob(new Blob([scatterSvg(scatter)], { type: 'image/svg+xml' }), `${opts.stem()}-scatter.svg`);
  });
  el('export-metrics').addEventListener('click', () => saveCsv(opts.metricsCsv(), `${opts.stem()}-metrics.csv`));
  el('export-losses').addEventListener('click', () => saveCsv(opts.lossesCsv(), `${opts.stem()}-losses.csv`));

  return {
    saved({ bytes, config, step }) {
      saveModelFile(bytes, config, step);
      setText(msg, 'files.saved', { step, bytes: bytes.length });
    },
    loaded({ config, step }) {
      pending = null;
      setText(msg, 'files.loaded', { step });
      opts.notify(t('files.loaded_notice', { model: t(`model.${config.model}`), dataset: t(`dataset.${config.dataset}`), step }), 'info');
    },
    // m: the worker's loadError {message, key, needImages?}.
    failed({ message: raw, needImages, i18n }) {
      const message = i18n ? t(i18n) : raw;
      const p = pending;
      pending = null;
      const missing = needImages;
      if (missing && p && !p.retried) {
        opts.fetchImages(missing).then(() => load(p.bytes, true), (e) => {
          setText(msg, 'files.download_failed', { dataset: missing, message: e.message });
        });
        return;
      }
      setText(msg, 'files.load_failed', { message });
      opts.notify(t('files.load_failed_notice', { message }), 'error');
    },
  };
}
