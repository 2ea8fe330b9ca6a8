import { t } from './i18n.js';
import { imagesToRgba } from './render/images.js';
import { fileStem } from './files.js';

// Keeping work, the downloads: the model file, a PNG of the samples, an SVG of the 2-D view and
// CSV of metrics and losses, each through a Blob and a temporary object URL. Loaded on the first
// click of a download button (files.js), not with the page.

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


// ---- PyTorch: the weights and the generated module, in one zip ----

// The __metadata__ of a .safetensors file's JSON header ({} when it has none).
export function safetensorsMetadata(bytes) {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  return header.__metadata__ ?? {};
}

// The module template (src/genlab/io/genlab_torch.py) with this model's architecture spec and
// settings written into its two lines, as genlab-train --export-pytorch writes it.
export function fillTemplate(text, spec, config) {
  const put = (src, key, value) => {
    if (value.includes("'''")) throw new Error(t('files.template_quotes', { key }));
    const re = new RegExp(`^${key} = r'''.*$`, 'm');
    if (!re.test(src)) throw new Error(t('files.template_line', { key }));
    return src.replace(re, () => `${key} = r'''${value}'''`);
  };
  return put(put(text, 'SPEC_TEXT', spec), 'CONFIG_TEXT', config);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i += 1) {
    let c = i;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i += 1) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A zip archive of files stored as they are (no compression: the weights barely compress), with
// the format's local headers, central directory and end record. files: [{name, bytes}].
export function storedZip(files) {
  const enc = new TextEncoder();
  const parts = [];
  const central = [];
  let offset = 0;
  const now = new Date();
  const time = (now.getHours() << 11) | (now.getMinutes() << 5) | (now.getSeconds() >> 1);
  const date = ((now.getFullYear() - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
  for (const f of files) {
    const name = enc.encode(f.name);
    const crc = crc32(f.bytes);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);               // version needed: 2.0
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, f.bytes.length, true);  // compressed size = size (stored)
    local.setUint32(22, f.bytes.length, true);
    local.setUint16(26, name.length, true);
    parts.push(new Uint8Array(local.buffer), name, f.bytes);
    const c = new DataView(new ArrayBuffer(46));
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(12, time, true);
    c.setUint16(14, date, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, f.bytes.length, true);
    c.setUint32(24, f.bytes.length, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    central.push(new Uint8Array(c.buffer), name);
    offset += 30 + name.length + f.bytes.length;
  }
  const size = central.reduce((s, p) => s + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  return new Blob([...parts, ...central, new Uint8Array(end.buffer)], { type: 'application/zip' });
}

// The training script's template (src/genlab/io/genlab_train.py) with the run's settings (every
// key, typed: genlab.settings) written in, as genlab-train --export-pytorch writes it.
export function fillTrainTemplate(text, settings) {
  if (settings.includes("'''")) throw new Error(t('files.template_quotes', { key: 'CONFIG_JSON' }));
  const re = /^CONFIG_JSON = r'''.*$/m;
  if (!re.test(text)) throw new Error(t('files.template_line', { key: 'CONFIG_JSON' }));
  return text.replace(re, () => `CONFIG_JSON = r'''${settings}'''`);
}

async function fetchText(name) {
  const res = await fetch(new URL(name, import.meta.url));
  if (!res.ok) throw new Error(t('files.template_failed', { status: res.status }));
  return res.text();
}

// Downloads <stem>-pytorch.zip: model.safetensors, genlab_model.py, train.py (and, for a 2-D set,
// data2d.safetensors: the points train.py learns from) and a README. Returns its size.
export async function savePytorch(bytes, stem, points) {
  const meta = safetensorsMetadata(bytes);
  const module = fillTemplate(await fetchText('genlab_torch.py'), meta['genlab.spec'] ?? '', meta['genlab.config'] ?? '');
  const train = fillTrainTemplate(await fetchText('genlab_train.py'), meta['genlab.settings'] ?? '{}');
  const dataset = JSON.parse(meta['genlab.settings'] ?? '{}').dataset ?? '';
  const glds = new URL(`data/${dataset}-train.glds`, import.meta.url).href;
  const readme = [
    `GenLab model (${stem}) for PyTorch.`, '',
    '  import genlab_model as gm',
    '  model = gm.load("model.safetensors")   # the networks with the weights trained in GenLab',
    '  x = model.sample(16)',
    '  gm.save(model, "model.safetensors")    # after training in PyTorch: GenLab\'s "Load model" reads it', '',
    'Train further, on one process or several (DistributedDataParallel; checkpoints in run/):',
    '  python3 train.py --steps 2000',
    '  torchrun --standalone --nproc_per_node=2 train.py --steps 2000',
    points ? '  (it learns from data2d.safetensors: the points of this run)'
      : `  (it needs ${dataset}-train.glds from ${glds} in a folder data/ here, or --data DIR)`, '',
    'Needs only torch. Layouts and names: src/genlab/io/README.md in the GenLab repository.', '',
  ].join('\n');
  const enc = new TextEncoder();
  const files = [
    { name: 'model.safetensors', bytes },
    { name: 'genlab_model.py', bytes: enc.encode(module) },
    { name: 'train.py', bytes: enc.encode(train) },
    ...(points ? [{ name: 'data2d.safetensors', bytes: points }] : []),
    { name: 'README.txt', bytes: enc.encode(readme) },
  ];
  const zip = storedZip(files);
  downloadBlob(zip, `${stem}-pytorch.zip`);
  return zip.size;
}

// Downloads <stem>-onnx.zip: the model's networks as ONNX graphs (web/onnx.js) and a README of
// their inputs and outputs. Returns its size.
export async function saveOnnx(bytes, stem) {
  const { onnxFiles, readSafetensors } = await import('./onnx.js');
  let spec;
  let files;
  try {
    const { metadata, tensors } = readSafetensors(bytes);
    spec = JSON.parse(metadata['genlab.spec']);
    files = onnxFiles(spec, (name) => {
      const w = tensors.get(name);
      if (!w) throw Object.assign(new Error(name), { key: 'files.export_tensor_missing', params: { name } });
      return w;
    }, metadata['genlab.version'] ?? '');
  } catch (e) {
    // onnx.js says what went wrong as a catalog key and its parameters.
    throw new Error(e?.key ? t(e.key, e.params) : String(e?.message ?? e));
  }
  const cls = spec.classes > 0 ? `, y (N, ${spec.classes}) one-hot class` : '';
  const lines = spec.model === 'vaegan'
    ? [`encoder.onnx: x (N, ${spec.dataDim}) -> mu, logvar (N, ${spec.noise})`,
      `decoder.onnx: z (N, ${spec.noise}) N(0, 1) -> x (N, ${spec.dataDim})`,
      `discriminator.onnx: x (N, ${spec.dataDim}) -> score (N, 1)` +
      (spec.head === 'probability' ? ', a logit (sigmoid for a probability)' : ', a raw score')]
    : spec.model === 'vae'
    ? [`encoder.onnx: x (N, ${spec.dataDim})${cls} -> mu, logvar (N, ${spec.noise})`,
      `decoder.onnx: z (N, ${spec.noise})${cls} -> x_mean (N, ${spec.dataDim})${spec.head === 'gaussian_learned' ? ', x_logvar' : ''}`]
    : [`generator.onnx: z (N, ${spec.noise}) ${spec.noiseDist === 'uniform' ? 'U(-1, 1)' : 'N(0, 1)'}${cls} -> x (N, ${spec.dataDim})`,
      `discriminator.onnx: x (N, ${spec.dataDim})${cls}, N a multiple of ${spec.pack} -> score (N/${spec.pack}, 1)` +
      (spec.head === 'probability' ? ', a logit (sigmoid for a probability)' : ', a raw score')];
  const readme = [`GenLab model (${stem}) as ONNX (IR 8, opset 17). Inputs and outputs are float32; N is free.`, '', ...lines, ''].join('\n');
  const enc = new TextEncoder();
  const zip = storedZip([...files, { name: 'README.txt', bytes: enc.encode(readme) }]);
  downloadBlob(zip, `${stem}-onnx.zip`);
  return zip.size;
}
