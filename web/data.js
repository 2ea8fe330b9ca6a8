// Data the page hands to the worker: image data sets (.glds bytes, fetched only when chosen,
// with progress; never parsed here) and the points of the "points" data set.
import { t } from './i18n.js';

// XMLHttpRequest rather than fetch + a stream reader: it reports progress just as well, and a
// fully read stream can still be logged as an aborted request by Chromium.
function download(url, onBytes) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('GET', url);
    x.responseType = 'arraybuffer';
    x.onprogress = (e) => onBytes(e.loaded, e.lengthComputable ? e.total : 0);
    x.onload = () => {
      if (x.status >= 200 && x.status < 300) resolve(new Uint8Array(x.response));
      else reject(new Error(t('download.http', { url, status: x.status })));
    };
    x.onerror = () => reject(new Error(t('download.network', { url })));
    x.send();
  });
}

const cache = new Map();   // dataset → Promise<{ train, test }>

// → Promise<{ train: Uint8Array, test: Uint8Array, judge: Uint8Array | null }>; onProgress(fraction, text).
/** @param {string} name @param {(fraction: number, text: string) => void} [onProgress] */
export function loadImageSet(name, onProgress = () => {}) {
  if (!cache.has(name)) {
    const p = (async () => {
      // The site keeps each set under its plain name (Fashion-MNIST as its web subset).
      const [trainFile, testFile] = [`${name}-train.glds`, `${name}-test.glds`];
      const sizes = [0, 0];
      const got = [0, 0];
      const report = () => {
        const total = sizes[0] + sizes[1];
        const frac = total ? (got[0] + got[1]) / total : 0;
        const mb = ((got[0] + got[1]) / 1048576).toFixed(1);
        onProgress(frac, total ? t('download.progress_of', { name, mb, total: (total / 1048576).toFixed(1) }) : t('download.progress', { name, mb }));
      };
      const one = (file, k) => download(`data/${file}`, (g, size) => {
        got[k] = g;
        sizes[k] = size;
        report();
      });
      // The metrics' judge of the set, made at build time (judge_file.js): optional, since without it
      // the worker trains the judge itself.
      const judge = download(`data/${name}-judge.bin`, () => {}).catch(() => null);
      const [train, test] = await Promise.all([one(trainFile, 0), one(testFile, 1)]);
      return { train, test, judge: await judge };
    })();
    cache.set(name, p);
    p.catch(() => cache.delete(name));   // a failed download can be retried
  }
  return cache.get(name);
}

export function cachedImageSets() {
  return [...cache.keys()];
}

// A starting shape for "your own points": two arcs and a blob, deterministic (no Math.random),
// so a link with dataset=points reproduces. Coordinates roughly in [−1, 1]².
export function defaultPoints() {
  const xy = [];
  let s = 12345;
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff - 0.5;
  };
  for (let i = 0; i < 60; i++) {
    const a = Math.PI * (0.15 + 0.7 * (i / 59));
    xy.push(0.9 * Math.cos(a) + 0.04 * rnd(), 0.9 * Math.sin(a) - 0.2 + 0.04 * rnd());
  }
  for (let i = 0; i < 40; i++) {
    xy.push(-0.35 + 0.15 * rnd(), -0.55 + 0.15 * rnd());
    xy.push(0.35 + 0.15 * rnd(), -0.55 + 0.15 * rnd());
  }
  return new Float32Array(xy);
}
