// The TF.js side of bench/time_to_quality.mjs: a GenLab preset re-written in TF.js 4.22 (the VAE
// presets: common/tfjs_vae_preset.mjs; the 2-D GAN presets: common/tfjs_gan_preset.mjs), trained
// with the wasm backend in a module worker of the same Chromium, single-threaded (as
// bench/web/tfjs_worker.js), on the same .glds training and test sets as the page (VAE) or the
// same mixture (GAN). One message {cfg, bound, limitS, evalEveryS} starts a run; the worker
// posts {type: 'progress'} after every evaluation and {type: 'done'} at the end. bound: the
// mark, {test_neg_elbo: v} (at most v) or {modes: m, hq: h} (at least each; common/bounds.mjs).
//
// The clock counts training only: every evalEveryS seconds of it, the metrics are evaluated
// with the clock stopped (GenLab's page evaluates on its own schedule, in the same worker as it
// trains, and its clock does not stop) — the comparison is tilted towards TF.js, not against it.
import * as tf from '/build/tfjs/tfjs-browser.mjs';
import { ImageBatches, parseGlds } from '../common/data.mjs';
import { makePresetVae } from '../common/tfjs_vae_preset.mjs';
import { makePresetGan } from '../common/tfjs_gan_preset.mjs';
import { meetsBound } from '../common/bounds.mjs';

const glds = async (file) => {
  const r = await fetch(`/data/${file}`);
  if (!r.ok) throw new Error(`could not load /data/${file} (${r.status})`);
  return parseGlds(new Uint8Array(await r.arrayBuffer()));
};


// {step(), evaluate() → metrics} for the preset.
async function makeTrainer(cfg) {
  if (cfg.model === 'gan') {
    const model = makePresetGan(tf, cfg);
    return { step: () => model.step(), evaluate: () => model.metrics() };
  }
  const train = await glds(`${cfg.dataset}-train.glds`);
  const test = await glds(`${cfg.dataset}-test.glds`);
  const batches = new ImageBatches(train, Number(cfg.batch), Number(cfg.seed));
  const xTest = Float32Array.from(test.pixels, (v) => v / 255);
  const model = makePresetVae(tf, cfg, train.dim);
  return { step: () => model.step(batches.next()), evaluate: () => ({ test_neg_elbo: model.negElbo(xTest, test.count) }) };
}

async function run({ cfg, bound, limitS, evalEveryS }) {
  tf.setWasmPaths('/tfjs-wasm/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tf.ready();
  const trainer = await makeTrainer(cfg);
  let trainMs = 0, steps = 0, evalMs = 0;
  for (;;) {
    const t0 = performance.now();
    do {
      trainer.step();
      steps++;
    } while (performance.now() - t0 < evalEveryS * 1000);
    trainMs += performance.now() - t0;
    const e0 = performance.now();
    const value = trainer.evaluate();
    evalMs += performance.now() - e0;
    const seconds = trainMs / 1000;
    self.postMessage({ type: 'progress', seconds, steps, value });
    const reached = meetsBound(bound, value);
    if (reached || seconds >= limitS || !Object.values(value).every(Number.isFinite)) {
      return { reached, seconds, steps, value, stepsPerS: steps / seconds, evalSeconds: evalMs / 1000,
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
