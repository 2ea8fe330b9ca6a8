// GenLab → ONNX, for one model configuration (a ctest case per configuration):
//   node onnx_check.mjs PROBE DIR key=value...
// export_probe trains the model a little and exports it with probe inputs and GenLab's outputs;
// web/onnx.js writes its ONNX files; onnxruntime-node (npm) runs them on the same inputs and the
// outputs must match GenLab's within 1e-5 (relative to the tensor's largest value). Where Debian's
// python3-onnx is installed, its checker (full_check) must accept every file too.
// Prints "N passed, N failed" last; exits 1 on any failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { onnxFiles, readSafetensors } from '../../web/onnx.js';

const [probe, dir, ...sets] = process.argv.slice(2);
execFileSync(probe, ['export', dir, '40', ...sets], { stdio: 'inherit' });

const model = readSafetensors(new Uint8Array(readFileSync(path.join(dir, 'model.safetensors'))));
const spec = JSON.parse(model.metadata['genlab.spec']);
const weights = (name) => {
  const t = model.tensors.get(name);
  if (!t) throw new Error(`no tensor ${name} in the export`);
  return t;
};
const files = onnxFiles(spec, weights, 'test');
for (const f of files) writeFileSync(path.join(dir, f.name), f.bytes);
const io = readSafetensors(new Uint8Array(readFileSync(path.join(dir, 'probe.safetensors')))).tensors;
const N = io.get('x').shape[0];

let passed = 0;
let failed = 0;
function compare(what, ours, ref) {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i += 1) {
    err = Math.max(err, Math.abs(ours[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  const ok = ours.length === ref.length && err <= 1e-5 * Math.max(scale, 1e-30);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ONNX ${what}: max |onnxruntime - GenLab| ${err.toPrecision(3)}, relative ${(err / Math.max(scale, 1e-30)).toPrecision(3)}`);
  if (ok) passed += 1; else failed += 1;
}

const tensor = (data, width) => new ort.Tensor('float32', Float32Array.from(data), [data.length / width, width]);
// Rows each repeated `times` times in a row.
const repeatRows = (data, width, times) => {
  const out = [];
  for (let r = 0; r < data.length / width; r += 1)
    for (let k = 0; k < times; k += 1) out.push(...data.subarray(r * width, (r + 1) * width));
  return Float32Array.from(out);
};
const oneHot = (times = 1) => {
  const y = io.get('y').data;
  const out = new Float32Array(N * times * spec.classes);
  for (let r = 0; r < N * times; r += 1) out[r * spec.classes + y[Math.floor(r / times)]] = 1;
  return out;
};
async function run(name, feeds) {
  const session = await ort.InferenceSession.create(path.join(dir, name));
  if (spec.classes > 0) feeds.y = tensor(oneHot(feeds.__times ?? 1), spec.classes);
  delete feeds.__times;
  return session.run(feeds);
}

const D = spec.dataDim;
if (spec.model === 'vae') {
  const enc = await run('encoder.onnx', { x: tensor(io.get('x').data, D) });
  compare('encoder mu', enc.mu.data, io.get('mu').data);
  compare('encoder logvar', enc.logvar.data, io.get('logvar').data);
  const dec = await run('decoder.onnx', { z: tensor(io.get('z').data, spec.noise) });
  compare('decoder x_mean', dec.x_mean.data, io.get('x_mean').data);
} else if (spec.model === 'vaegan') {
  const enc = await run('encoder.onnx', { x: tensor(io.get('x').data, D) });
  compare('encoder mu', enc.mu.data, io.get('mu').data);
  compare('encoder logvar', enc.logvar.data, io.get('logvar').data);
  const dec = await run('decoder.onnx', { z: tensor(io.get('z').data, spec.noise) });
  compare('decoder (the generator) x', dec.x.data, io.get('x_mean').data);
  const dis = await run('discriminator.onnx', { x: tensor(io.get('x').data, D) });
  const a = dis.score.data;
  compare('discriminator', spec.head === 'probability' ? a.map((v) => 1 / (1 + Math.exp(-v))) : a, io.get('d').data);
} else {
  const gen = await run('generator.onnx', { z: tensor(io.get('z').data, spec.noise) });
  compare(`generator (${spec.ema ? "G's moving average" : 'G'})`, gen.x.data, io.get('g').data);
  // GenLab's "d" judges each point as `pack` copies of itself: the same rows, repeated, packed here.
  const dis = await run('discriminator.onnx', { x: tensor(repeatRows(io.get('x').data, D, spec.pack), D), __times: spec.pack });
  const a = dis.score.data;
  const d = spec.head === 'probability' ? a.map((v) => 1 / (1 + Math.exp(-v))) : a;
  compare('discriminator', d, io.get('d').data);
}

// Debian's ONNX checker, where installed (python3-onnx).
const checker = spawnSync('/usr/bin/python3', ['-c', `
import sys, onnx
for p in sys.argv[1:]:
    onnx.checker.check_model(onnx.load(p), full_check=True)
print("checked", len(sys.argv) - 1)
`, ...files.map((f) => path.join(dir, f.name))], { encoding: 'utf8' });
if (checker.status === 0) {
  console.log(`ok   python3-onnx checker: ${checker.stdout.trim()} files`);
  passed += 1;
} else if (/No module named 'onnx'/.test(checker.stderr ?? '')) {
  console.log('skip python3-onnx checker: not installed');
} else {
  console.log(`FAIL python3-onnx checker: ${checker.stderr || checker.error}`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
