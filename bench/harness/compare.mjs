// bench/compare: GenLab against TensorFlow.js (and PyTorch) side by side in one run.
// See bench/README.md. stdout: one JSON line per measurement, then the ratio table; progress,
// build output and runner messages go to stderr.
//
// Per measurement (a training workload or a GEMM shape) every selected system is set up, warmed
// up (V8 tiers the wasm up meanwhile), then timed in rounds: round r runs one repeat on each
// system in turn (the order rotating), so every system sees the same machine load within
// seconds of the others — the ratios are what this run is for. Throughput per repeat is
// units/second of the runner's own clock (steps/s, or GFLOP/s for GEMM); the record holds the
// median, min and max over the repeats, and load1 when the last repeat ended.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, selectMeasurements } from './options.mjs';
import { buildAll, paths } from './build.mjs';
import { ProcessRunner, systemTable } from './runners.mjs';
import { pinnedCommand } from './affinity.mjs';
import { openBenchPage } from './chromium.mjs';
import { load1, round3, summary } from './stats.mjs';
import { lossCheck, minSteps, stepsIn } from './checks.mjs';
import { ratioTable } from './report.mjs';
import { isImageData } from '../common/data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (msg) => process.stderr.write(`${msg}\n`);
const emit = (record) => process.stdout.write(`${JSON.stringify(record)}\n`);

function setupLine(item) {
  if (item.gemm) return `gemm ${item.gemm.M} ${item.gemm.K} ${item.gemm.N} ${item.gemm.form}`;
  const kv = Object.entries(item.train.genlab).map(([k, v]) => `${k}=${v}`);
  return `setup ${item.name} ${kv.join(' ')}`;
}

// Starts every selected system; returns { runners: Map(name → runner), page }.
async function startSystems(p, names, opts) {
  const table = systemTable(p);
  const runners = new Map();
  let page = null;
  if (names.some((n) => table[n].chromium)) page = await openBenchPage(p, { frames: opts.frames });
  for (const name of names) {
    const { chromium, cmd, env } = table[name];
    const runner = chromium ? page.runner(name) : new ProcessRunner(name, pinnedCommand(opts.cpu, cmd), root, env);
    const info = await runner.call('info');
    if (!info.ok) {
      const reason = info.skip ?? info.error;
      log(`${name}: skipped — ${reason}`);
      emit({ system: name, skipped: reason });
      runner.close();
      continue;
    }
    log(`${name}: ${JSON.stringify({ ...info, ok: undefined })}`);
    runners.set(name, runner);
  }
  return { runners, page };
}

// One measurement on every running system; returns the records it emitted.
async function measure(item, runners, opts) {
  const { timing, repeats } = opts;
  const warm = item.gemm ? timing.gemmWarmup : timing.warmup;
  const each = item.gemm ? timing.gemmRepeat : timing.repeat;
  // name → { rates: [per repeat], chunks: [all since setup], load, seconds: timed, frameMs: of them }
  const state = new Map();
  const drop = (name, error) => {
    log(`${name} ${item.name}: ${error}`);
    emit({ system: name, workload: item.name, error });
    state.delete(name);
  };
  const call = async (name, line) => {
    const r = await runners.get(name).call(line);
    if (!r.ok) drop(name, r.error ?? r.skip ?? 'failed');
    return r.ok ? r : null;
  };
  for (const name of runners.keys()) {
    // workloads.json may rule a system out of a workload (`skip`: system → why), e.g. one that
    // takes minutes per step: the run says so instead of spending half an hour on it.
    const why = item.train?.skip?.[name];
    if (why) {
      log(`${name} ${item.name}: skipped — ${why}`);
      emit({ system: name, workload: item.name, skipped: why });
      continue;
    }
    state.set(name, { rates: [], chunks: [], load: null, seconds: 0, frameMs: 0 });
    if (!(await call(name, setupLine(item)))) continue;
    const r = await call(name, `run ${warm}`);
    if (r) state.get(name).chunks.push(...r.chunks);
  }
  for (let round = 0; round < repeats; round++) {
    const order = [...state.keys()];
    const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
    for (const name of rotated) {
      if (!state.has(name)) continue;
      const r = await call(name, `run ${each}`);
      if (!r) continue;
      const s = state.get(name);
      s.rates.push(item.gemm ? (r.units * r.flop_per_unit) / r.seconds / 1e9 : r.units / r.seconds);
      s.chunks.push(...r.chunks);
      s.load = load1();
      s.seconds += r.seconds;
      s.frameMs += r.frame_ms ?? 0;
    }
  }
  if (item.train) await topUp(item, state, call, opts);
  const records = [];
  for (const [name, s] of state) {
    const check = item.train ? lossCheck(item.train.kind, s.chunks, item.train.check_window) : { verdict: 'pass' };
    if (check.verdict === 'fail') {
      drop(name, `measurement aborted: ${check.reason}`);
      continue;
    }
    if (check.verdict === 'inconclusive') log(`${name} ${item.name}: loss check inconclusive — ${check.reason}`);
    const { median, min, max } = summary(s.rates);
    const record = { system: name, workload: item.name, unit: item.gemm ? 'GFLOP/s' : 'steps/s',
                     median: round3(median), min: round3(min), max: round3(max), load1: s.load, repeats: s.rates.length };
    // The page path's share of time spent copying frames out (genlab-wasm-chromium only).
    if (s.frameMs > 0) record.frame_share = round3(s.frameMs / 1000 / s.seconds);
    if (check.verdict === 'inconclusive') record.check = `inconclusive: ${check.reason}`;
    emit(record);
    records.push(record);
  }
  return records;
}

// Trains systems that ran too few steps for the loss check on, untimed, for at most two minutes
// (10 s with --quick); their throughput figures are already taken.
async function topUp(item, state, call, opts) {
  const need = minSteps(item.train.kind, item.train.check_window);
  for (const name of [...state.keys()]) {
    const s = state.get(name);
    const t0 = Date.now();
    while (stepsIn(s.chunks) < need && Date.now() - t0 < (opts.quick ? 10e3 : 120e3)) {
      const r = await call(name, 'run 0.5');
      if (!r) break;
      s.chunks.push(...r.chunks);
    }
  }
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const defs = JSON.parse(readFileSync(path.join(root, 'bench', 'workloads.json'), 'utf8'));
  const items = selectMeasurements(defs, opts.workloads);
  const p = paths(root);
  const t0 = Date.now();
  if (opts.build) {
    await buildAll(p, opts.systems, { needImages: items.some((it) => it.train && isImageData(it.train.data)) });
  }
  log(`bench/compare: ${opts.cpuWhy}`);
  const { runners, page } = await startSystems(p, opts.systems, opts);
  const table = systemTable(p);
  const chromiumWorkers = [...runners.keys()].filter((n) => table[n].chromium).length;
  // Chromium's workers started with their first command (info). Pinned again before each
  // measurement: cheap, and a thread Chromium adds to a worker later gets the same mask.
  const pinWorkers = () => {
    if (!page || opts.cpu === null || chromiumWorkers === 0) return;
    const n = page.pinWorkers(opts.cpu);
    if (n < chromiumWorkers) log(`bench/compare: pinned ${n} of ${chromiumWorkers} Chromium bench workers to CPU ${opts.cpu}`);
  };
  const results = [];
  try {
    for (const item of items) {
      pinWorkers();
      log(`— ${item.name} (load1 ${load1()})`);
      results.push(...await measure(item, runners, opts));
    }
    if (page && runners.has('genlab-wasm-chromium') && items.some((it) => it.train)) {
      const s = await page.smoothness('genlab-wasm-chromium');
      if (s) {
        emit({ system: 'genlab-wasm-chromium', workload: 'page-smoothness', ...s, seconds: round3(s.seconds),
               fps: round3(s.fps), longest_task_ms: round3(s.longest_task_ms), load1: load1() });
      }
    }
  } finally {
    for (const r of runners.values()) r.close();
    await page?.close();
  }
  process.stdout.write(`\n${ratioTable(results, items.map((it) => it.name))}\n`);
  log(`bench/compare: ${results.length} measurements in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  log(`bench/compare: ${e.message}`);
  process.exit(1);
});
