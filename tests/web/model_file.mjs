// The GenLab model file format (src/genlab/io/README.md) read and written in JavaScript, for tests
// that craft files the core must refuse: a config changed, a step count out of range, a tensor
// added. Written independently of the C++ reader/writer; the round trip test checks both agree.
const MAGIC = 0x474c4d46;   // "GLMF", big-endian in the first four bytes

// FNV-1a 64 over bytes [0, 16) then [24, end): every byte but the checksum field.
export function checksum(bytes) {
  const prime = 1099511628211n;
  const mask = (1n << 64n) - 1n;
  let h = 14695981039346656037n;
  const eat = (from, to) => {
    for (let i = from; i < to; i++) h = ((h ^ BigInt(bytes[i])) * prime) & mask;
  };
  eat(0, 16);
  eat(24, bytes.length);
  return h;
}

export function readModel(bytes) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0) !== MAGIC) throw new Error('not a model file');
  let at = 24;
  const u32 = () => { const x = v.getUint32(at, true); at += 4; return x; };
  const str = () => { const n = u32(); const s = new TextDecoder().decode(bytes.subarray(at, at + n)); at += n; return s; };
  const kind = str();
  const steps = v.getBigUint64(at, true);
  at += 8;
  const config = Array.from({ length: u32() }, str);
  const tensors = Array.from({ length: u32() }, () => {
    const name = str();
    const shape = Array.from({ length: u32() }, u32);
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 4) values[i] = v.getFloat32(at, true);
    return { name, shape, values };
  });
  return { version: v.getUint32(4, true), kind, steps, config, tensors };
}

export function writeModel({ version = 1, kind, steps, config, tensors }) {
  const enc = new TextEncoder();
  const parts = [];
  const u32 = (x) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, x, true); parts.push(b); };
  const str = (s) => { const b = enc.encode(s); u32(b.length); parts.push(b); };
  str(kind);
  const st = new Uint8Array(8);
  new DataView(st.buffer).setBigUint64(0, BigInt(steps), true);
  parts.push(st);
  u32(config.length);
  config.forEach(str);
  u32(tensors.length);
  for (const t of tensors) {
    str(t.name);
    u32(t.shape.length);
    t.shape.forEach(u32);
    const f = new Uint8Array(4 * t.values.length);
    const fv = new DataView(f.buffer);
    t.values.forEach((x, i) => fv.setFloat32(4 * i, x, true));
    parts.push(f);
  }
  const length = 24 + parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(length);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC);
  v.setUint32(4, version, true);
  v.setBigUint64(8, BigInt(length), true);
  let at = 24;
  for (const p of parts) { out.set(p, at); at += p.length; }
  v.setBigUint64(16, checksum(out), true);
  return out;
}

// key=value set in a file's config entries (an entry of that key replaced).
export function withEntry(file, key, value) {
  return { ...file, config: [...file.config.filter((e) => !e.startsWith(`${key}=`)), `${key}=${value}`] };
}
