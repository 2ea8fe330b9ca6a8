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

