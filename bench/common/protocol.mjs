// The runner protocol shared by every system of bench/compare (full text: bench/README.md).
// A runner takes one text command and answers one JSON object:
//   setup NAME key=value ...  → {ok}            build workload NAME (genlab uses the settings,
//                                                TF.js and PyTorch read NAME's `net` instead)
//   gemm M K N FORM           → {ok}            prepare a product (FORM: NN, NT, TN)
//   run SECONDS               → {ok, units, seconds, chunks, flop_per_unit?}
//   info                      → {ok, …}         what the runner is (backend, SIMD)
// Errors: {ok: false, error}. Pure ES module: runs in node, module workers and classic workers.

export const CHUNK_TARGET_MS = 20;  // one uninterrupted piece of work, as in web/protocol.js

// Next chunk size from the last one (steps n took ms): aim at the target, change by at most 2×
// up or 4× down. The same rule as the page's worker and the C++ runner.
export function nextChunk(n, ms, targetMs = CHUNK_TARGET_MS) {
  if (!(ms > 0)) return n * 2;
  const next = Math.min(2 * n, Math.max(n / 4, (n * targetMs) / ms));
  return Math.max(1, Math.min(100000, Math.round(next)));
}

// "setup NAME k=v k=v" → { name, settings: {k: v} }
export function parseSetup(words) {
  const settings = {};
  for (const kv of words.slice(2)) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`setup: '${kv}' is not key=value`);
    settings[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return { name: words[1], settings };
}

export function parseGemm(words) {
  const [M, K, N] = words.slice(1, 4).map(Number);
  const form = words[4];
  if (![M, K, N].every((v) => Number.isInteger(v) && v > 0) || !['NN', 'NT', 'TN'].includes(form)) {
    throw new Error('usage: gemm M K N NN|NT|TN');
  }
  return { M, K, N, form, flop: 2 * M * N * K };
}

// impl: { setup({name, settings}), gemm({M,K,N,form}), run(seconds), info() }, each may be async.
// Returns an async handler line → reply object that never throws.
export function makeHandler(impl) {
  return async (line) => {
    try {
      const words = String(line).trim().split(/\s+/);
      switch (words[0]) {
        case 'setup': await impl.setup(parseSetup(words)); return { ok: true };
        case 'gemm': await impl.gemm(parseGemm(words)); return { ok: true };
        case 'run': return { ok: true, ...(await impl.run(Number(words[1]))) };
        case 'info': return { ok: true, ...(await impl.info()) };
        default: throw new Error(`unknown command '${line}'`);
      }
    } catch (e) {
      return { ok: false, error: String(e?.message ?? e) };
    }
  };
}

// Runs `chunk()` (one uninterrupted piece of work returning [steps, a, b]) until `seconds` have
// passed; `between()` (optional, may be async) runs after every chunk and is timed too.
export async function runFor(seconds, chunk, between) {
  const chunks = [];
  let units = 0;
  const t0 = performance.now();
  let dt = 0;
  do {
    const c = chunk();
    units += c[0];
    chunks.push(c);
    if (!c.slice(1).every(Number.isFinite)) {
      throw new Error(`the loss became NaN or infinite after ${units} steps`);
    }
    if (between) await between();
    dt = (performance.now() - t0) / 1000;
  } while (dt < seconds);
  return { units, seconds: dt, chunks };
}

// Repeats f() until targetMs have passed; returns how many times it ran.
export function repeatFor(targetMs, f) {
  let n = 0;
  const t0 = performance.now();
  do {
    f();
    n++;
  } while (performance.now() - t0 < targetMs);
  return n;
}
