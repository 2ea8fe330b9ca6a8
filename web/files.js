import { setText, t } from './i18n.js';
import { MSG } from './protocol.js';

// Keeping work: the buttons that save and load a model file and export the views, and reading a
// model file the user picks. The downloads themselves are in downloads.js, loaded at first use.

// A file-name-safe stem such as "genlab-gan-ring8-step1200".
export function fileStem(config, step) {
  const clean = (s) => String(s ?? '').replace(/[^a-z0-9_-]+/gi, '').slice(0, 24) || 'x';
  return `genlab-${clean(config.model)}-${clean(config.dataset)}-step${Math.max(0, Math.floor(step || 0))}`;
}

const MAX_MODEL_BYTES = 512 << 20;

// The bytes of a picked file (ArrayBuffer), refusing before reading it whole what cannot be a
// model file: absurd sizes, a first 16 bytes without the format's magic, or a header whose total
// length is not the file's size (src/genlab/io/README.md). Such files never reach the worker.
// A .safetensors file (weights from PyTorch or an export) passes when its header fits in it.
export async function readPickedFile(file) {
  if (!file) throw new Error(t('files.no_file'));
  if (file.size > MAX_MODEL_BYTES) throw new Error(t('files.too_large', { name: file.name, bytes: file.size }));
  const head = new DataView(await file.slice(0, 16).arrayBuffer());
  if (head.byteLength >= 9 && head.getUint8(8) === 0x7b) {   // 8-byte header length, then '{'
    const n = Number(head.getBigUint64(0, true));
    if (n >= 2 && n <= (1 << 20) && n + 8 <= file.size) return file.arrayBuffer();
  }
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
  let pending = null;   // { bytes, retried, resume }
  const load = (bytes, retried, resume = false) => {
    pending = { bytes, retried, resume };
    opts.post({ type: MSG.LOAD, bytes: bytes.slice(0), resume });
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
  // The downloads' code, fetched at the first click (a failed fetch is said, and tried again next time).
  let downloads = null;
  const later = (/** @type {(d: typeof import('./downloads.js')) => unknown} */ use) => {
    downloads ??= import('./downloads.js');
    downloads.then(use).catch((e) => {
      downloads = null;
      msg.textContent = e?.message ?? String(e);
    });
  };
  el('export-png').addEventListener('click', () => later((d) => {
    const images = opts.sampleImages();
    return images ? d.samplesPng(images, `${opts.stem()}-samples`) : d.saveCanvasPng(opts.mainCanvas(), `${opts.stem()}-samples`);
  }));
  el('export-svg').addEventListener('click', () => later((d) => {
    const scatter = opts.scatter();
    if (scatter) d.downloadBlob(new Blob([d.scatterSvg(scatter)], { type: 'image/svg+xml' }), `${opts.stem()}-scatter.svg`);
  }));
  el('export-metrics').addEventListener('click', () => later((d) => d.saveCsv(opts.metricsCsv(), `${opts.stem()}-metrics.csv`)));
  el('export-losses').addEventListener('click', () => later((d) => d.saveCsv(opts.lossesCsv(), `${opts.stem()}-losses.csv`)));
  el('export-torch').addEventListener('click', () => opts.post({ type: MSG.SAVE, format: 'safetensors' }));
  // A trained starting point for a preset (web/checkpoints, made by scripts/make_checkpoints.sh):
  // fetched on demand, then loaded as a picked file would be. From the button: the current preset,
  // training paused. From a lesson step ({ resume: true }): its preset, and training that was
  // playing when the model arrives goes on from it.
  let checkpoints = null;
  const startTrained = async (name = opts.presetName(), { resume = false } = {}) => {
    try {
      checkpoints ??= fetch(new URL('checkpoints/index.json', import.meta.url)).then((r) => {
        if (!r.ok) throw new Error(t('files.template_failed', { status: r.status }));
        return r.json();
      });
      const index = await checkpoints;
      const entry = name ? index[name] : null;
      if (!entry) {
        setText(msg, 'files.no_trained', { presets: Object.keys(index).join(', ') });
        return;
      }
      const res = await fetch(new URL(`checkpoints/${entry.file}`, import.meta.url));
      if (!res.ok) throw new Error(t('files.template_failed', { status: res.status }));
      if (!resume) opts.pause();
      setText(msg, 'files.loading', { name: entry.file });
      load(await res.arrayBuffer(), false, resume);
    } catch (e) {
      checkpoints = null;
      setText(msg, 'files.read_failed', { message: e.message });
    }
  };
  el('trained-start').addEventListener('click', () => startTrained());
  el('export-onnx').addEventListener('click', () => opts.post({ type: MSG.SAVE, format: 'onnx' }));

  return {
    startTrained,
    saved({ bytes, config, step, format, points }) {
      later(async (d) => {
        if (format === 'safetensors' || format === 'onnx') {
          const stem = fileStem(config, step);
          const zip = format === 'onnx' ? await d.saveOnnx(bytes, stem) : await d.savePytorch(bytes, stem, points);
          setText(msg, format === 'onnx' ? 'files.exported_onnx' : 'files.exported_torch', { step, bytes: zip });
          return;
        }
        d.saveModelFile(bytes, config, step);
        setText(msg, 'files.saved', { step, bytes: bytes.length });
      });
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
        opts.fetchImages(missing).then(() => load(p.bytes, true, p.resume), (e) => {
          setText(msg, 'files.download_failed', { dataset: missing, message: e.message });
        });
        return;
      }
      setText(msg, 'files.load_failed', { message });
      opts.notify(t('files.load_failed_notice', { message }), 'error');
    },
  };
}
