// Training data for the JavaScript re-implementations (TF.js), the same data genlab trains on:
// MNIST pixels from the .glds assets genlab reads (format: src/genlab/data/README.md) served in
// shuffled epochs, and the ring8 mixture (8 Gaussians on the unit circle, σ 0.01). The random
// streams differ from genlab's PCG32 ones; the distributions are the same. Pure ES module.

const GLDS_HEADER = 64;

// A small seeded PRNG (mulberry32): uniform floats in [0, 1).
export function makeRng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Standard normal by Box–Muller from a uniform source.
export function normal(rand) {
  let u = rand();
  while (u <= 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

// The header fields and pixel bytes of a .glds asset (checks magic, version and length only:
// the files come from our own build).
export function parseGlds(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const magic = String.fromCharCode(...u8.subarray(0, 4));
  if (magic !== 'GLDS' || dv.getUint32(4, true) !== 1) throw new Error('not a version-1 .glds asset');
  const count = dv.getUint32(8, true), rows = dv.getUint32(12, true), cols = dv.getUint32(16, true);
  const dim = rows * cols;
  if (u8.byteLength !== GLDS_HEADER + count * (dim + 1)) throw new Error('.glds asset has the wrong length');
  return { count, dim, pixels: u8.subarray(GLDS_HEADER, GLDS_HEADER + count * dim) };
}

// Mini-batches of images as floats v/255, every image once per epoch (a new permutation each
// epoch), like genlab's Batcher. next() fills and returns one Float32Array (B·dim).
export class ImageBatches {
  constructor(set, batch, seed = 1) {
    this.set = set;
    this.batch = batch;
    this.rand = makeRng(seed);
    this.order = new Uint32Array(set.count).map((_, i) => i);
    this.pos = set.count;  // shuffle on first use
    this.out = new Float32Array(batch * set.dim);
    this.scale = new Float32Array(256).map((_, v) => v / 255);
  }

  next() {
    const { dim, pixels } = this.set;
    for (let b = 0; b < this.batch; b++) {
      if (this.pos === this.order.length) this.shuffle();
      const src = this.order[this.pos++] * dim;
      for (let d = 0; d < dim; d++) this.out[b * dim + d] = this.scale[pixels[src + d]];
    }
    return this.out;
  }

  shuffle() {
    const o = this.order;
    for (let i = o.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      [o[i], o[j]] = [o[j], o[i]];
    }
    this.pos = 0;
  }
}

// ring8: mode i at angle 2πi/8 on the unit circle, isotropic noise σ 0.01 (genlab's toy2d.hpp).
export class Ring8Batches {
  constructor(batch, seed = 1) {
    this.batch = batch;
    this.rand = makeRng(seed);
    this.out = new Float32Array(batch * 2);
  }

  next() {
    for (let b = 0; b < this.batch; b++) {
      const a = (2 * Math.PI * Math.floor(this.rand() * 8)) / 8;
      this.out[2 * b] = Math.cos(a) + 0.01 * normal(this.rand);
      this.out[2 * b + 1] = Math.sin(a) + 0.01 * normal(this.rand);
    }
    return this.out;
  }
}

// genlab's image data sets are named mnist28, fashion14, …; everything else is analytic 2-D data.
export const isImageData = (name) => /^(mnist|fashion)\d+$/.test(name);

// The batch source of a workload. loadBytes(name) → Promise<Uint8Array> of a data file
// ("mnist28-train.glds"); only image workloads call it.
export async function makeBatches(workload, loadBytes) {
  if (!isImageData(workload.data)) {
    if (workload.data !== 'ring8') throw new Error(`no JavaScript sampler for '${workload.data}'`);
    return new Ring8Batches(workload.batch);
  }
  const set = parseGlds(await loadBytes(`${workload.data}-train.glds`));
  const pixels = workload.net.in ?? workload.net.out;  // a VAE's input, a GAN's output
  if (set.dim !== pixels) throw new Error(`${workload.data}: ${set.dim} pixels, the net expects ${pixels}`);
  return new ImageBatches(set, workload.batch);
}
