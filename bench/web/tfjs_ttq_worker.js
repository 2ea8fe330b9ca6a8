// The TF.js side of bench/time_to_quality.mjs: a GenLab VAE preset re-written in TF.js 4.22
// (common/tfjs_vae_preset.mjs), trained with the wasm backend in a module worker of the same
// Chromium, single-threaded (as bench/web/tfjs_worker.js), on the same .glds training and test
// sets as the page. One message {cfg, markNegElbo, limitS, evalEveryS} starts a run; the worker
// posts {type: 'progress'} after every evaluation and {type: 'done'} at the end.
//
// The clock counts training only: every evalEveryS seconds of it, the test −ELBO is evaluated
// with the clock stopped (GenLab's page evaluates on its own schedule, in the same worker as it
// trains, and its clock does not stop) — the comparison is tilted towards TF.js, not against it.
import * as tf from '/build/tfjs/tfjs-browser.mjs';
import { ImageBatches, parseGlds } from '../common/data.mjs';
import { makePresetVae } from '../common/tfjs_vae_preset.mjs';

const glds = async (file) => {
  const r = await fetch(`/data/${file}`);
  if (!r.ok) throw new Error(`could not load /data/${file} (${r.status})`);
  return parseGlds(new Uint8Array(await r.arrayBuffer()));
};

async function run({ cfg, markNegElbo, limitS, evalEveryS }) {
  tf.setWasmPaths('/tfjs-wasm/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tf.ready();
  const train = await glds(`${cfg.dataset}-train.glds`);
  const test = await glds(`${cfg.dataset}-test.glds`);
  const batches = new ImageBatches(train, Number(cfg.batch), Number(cfg.seed));
  const xTest = Float32Array.from(test.pixels, (v) => v / 255);
  const model = makePresetVae(tf, cfg, train.dim);
  let trainMs = 0, steps = 0, best = Infinity, evalMs = 0;
  for (;;) {
    const t0 = performance.now();
    do {
      model.step(batches.next());
      steps++;
    } while (performance.now() - t0 < evalEveryS * 1000);
    trainMs += performance.now() - t0;
    const e0 = performance.now();
    const value = model.negElbo(xTest, test.count);
    evalMs += performance.now() - e0;
    best = Math.min(best, value);
    const seconds = trainMs / 1000;
    self.postMessage({ type: 'progress', seconds, steps, value });
    const reached = value <= markNegElbo;
    if (reached || seconds >= limitS || !Number.isFinite(value)) {
      return { reached, seconds, steps, value, best, stepsPerS: steps / seconds, evalSeconds: evalMs / 1000,
               backend: tf.getBackend(), version: tf.version_core, simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
               threads: tf.getThreadsCount() };
    }
  }
}

self.onmessage = async (e) => {
  try {
    self.postMessage({ type: 'done', result: await run(e.data) });
  } catch (err) {
    self.postMessage({ type: 'done', error: String(err?.message ?? err) });
  }
};
