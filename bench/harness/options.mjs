// Command line of bench/compare (see bench/README.md).
import { allowedCpus, canPin } from './affinity.mjs';

export const SYSTEM_NAMES = [
  'genlab-native', 'genlab-wasm-node', 'genlab-wasm-chromium',
  'tfjs-wasm-chromium', 'tfjs-wasm-node', 'tfjs-cpu-node', 'torch-native',
];

const USAGE = `usage: bench/compare [--quick] [--only SYSTEM[,…]] [--workloads NAME[,…]] [--repeats N] [--cpu N|none] [--no-build] [--no-frames]
  --quick        everything briefly (a smoke test: a few minutes, figures rough)
  --only         systems: ${SYSTEM_NAMES.join(', ')}
  --workloads    mnist-vae, ring-gan, dcgan-lite, seed-vae, gemm (every GEMM shape), gemm-squares, gemm-mlp,
                 or one GEMM shape such as gemm-128x784x400-NT
  --repeats N    timed repeats per measurement (default 5, at least 5 for a real run)
  --cpu N|none   run every system on CPU N: the runner processes and Chromium's bench workers
                 (default: the first CPU this process may use); none: let the OS place them
  --no-build     use the build directories as they are
  --no-frames    the Chromium page never asks the genlab worker for frames (what do they cost?)`;

// Timings in seconds. Full: long enough for stable medians; quick: a smoke test.
const TIMING = {
  full: { warmup: 2.0, repeat: 1.0, gemmWarmup: 0.5, gemmRepeat: 0.3 },
  quick: { warmup: 0.4, repeat: 0.15, gemmWarmup: 0.05, gemmRepeat: 0.03 },
};

// --cpu: 'first' (the default), 'none' or one CPU number → { cpu: a CPU this process may use, or
// null; why: what the log should say about it }.
export function resolveCpu(v) {
  if (v === 'none') return { cpu: null, why: 'the OS places the systems on CPUs (--cpu none)' };
  const explicit = v !== 'first';
  if (explicit && !/^\d+$/.test(v)) throw new Error(`--cpu ${v}: expected one CPU number or 'none'\n${USAGE}`);
  const cpus = allowedCpus();
  if (cpus.length === 0 || !canPin(cpus[0])) {
    const why = 'cannot pin here (needs Linux, /usr/bin/taskset and the right to set affinity)';
    if (explicit) throw new Error(`--cpu ${v}: ${why}`);
    return { cpu: null, why: `the OS places the systems on CPUs: ${why}` };
  }
  const cpu = explicit ? Number(v) : cpus[0];
  if (!cpus.includes(cpu)) throw new Error(`--cpu ${v}: not a CPU this process may use (${cpus.join(', ')})\n${USAGE}`);
  return { cpu, why: `every system runs on CPU ${cpu} (--cpu none: let the OS place them)` };
}

export function parseOptions(argv) {
  const o = { quick: false, systems: [...SYSTEM_NAMES], workloads: null, repeats: 5, build: true, frames: true,
              cpu: 'first' };
  const list = (v, flag) => {
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
    return v.split(',').map((s) => s.trim()).filter(Boolean);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--no-frames') o.frames = false;
    else if (a === '--only') o.systems = list(argv[++i], a);
    else if (a === '--workloads') o.workloads = list(argv[++i], a);
    else if (a === '--repeats') o.repeats = Number(argv[++i]);
    else if (a === '--cpu') o.cpu = list(argv[++i], a).join(',');
    else if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  const unknown = o.systems.filter((s) => !SYSTEM_NAMES.includes(s));
  if (unknown.length) throw new Error(`unknown system(s): ${unknown.join(', ')}\n${USAGE}`);
  if (!(Number.isInteger(o.repeats) && o.repeats >= 1)) throw new Error(`--repeats must be a positive integer\n${USAGE}`);
  ({ cpu: o.cpu, why: o.cpuWhy } = resolveCpu(o.cpu));
  o.timing = TIMING[o.quick ? 'quick' : 'full'];
  return o;
}

// The measurements to make: training workloads by name, then GEMM shapes, filtered by --workloads.
// defs: bench/workloads.json. Each item: { name, train: workload } or { name, gemm: {M,K,N,form} }.
export function selectMeasurements(defs, filter) {
  const items = Object.entries(defs.workloads).map(([name, w]) => ({ name, train: w }));
  const gemm = (group) => (shape, form) => {
    const [M, K, N] = shape;
    return { name: `gemm-${M}x${K}x${N}-${form}`, group, gemm: { M, K, N, form } };
  };
  items.push(...defs.gemm.squares.map((s) => gemm('gemm-squares')(s, 'NN')));
  for (const s of defs.gemm.mlp) items.push(...defs.gemm.mlp_forms.map((f) => gemm('gemm-mlp')(s, f)));
  if (!filter) return items;
  const picked = items.filter((it) => filter.some((f) => f === it.name || f === it.group || (f === 'gemm' && it.gemm)));
  const known = new Set(items.flatMap((it) => [it.name, it.group]).concat('gemm'));
  const unknown = filter.filter((f) => !known.has(f));
  if (unknown.length) throw new Error(`unknown workload(s): ${unknown.join(', ')}\n${USAGE}`);
  return picked;
}
