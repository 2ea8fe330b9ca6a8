#!/usr/bin/env node
// Long soak runs of the wasm module under node (not a test; results go into notes):
//   node bench/soak.mjs [--gan-steps 1000000] [--vae-steps 20000]
// A small 2-D GAN for a million steps and the MNIST VAE (pytorch-vae) for 20,000 steps, calling the
// page's per-frame views between chunks. Prints JSON lines with the malloc heap in use and the wasm
// memory size along the way, and whether they grew after warm-up.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGenlab } from '../tests/web/load_module.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const M = await loadGenlab();

function soak(label, settings, total, chunk, views, setup = () => {}) {
  const s = new M.Session();
  setup(s);
  s.configure(settings);
  const t0 = performance.now();
  let warm = null;
  for (let done = 0; done < total; done += chunk) {
    const st = s.train(Math.min(chunk, total - done));
    if (!st.finite) throw new Error(`${label}: training diverged at step ${st.totalSteps}`);
    views(s);
    const h = M.heapStats();
    if (done + chunk >= total / 10 && warm === null) warm = h;  // after 10 % of the run
    if ((done / chunk) % Math.max(1, Math.floor(total / chunk / 10)) === 0 || done + chunk >= total)
      console.log(JSON.stringify({ soak: label, step: s.steps(), heap_used: h.used, wasm_memory: h.memory,
                                   steps_per_s: Math.round(s.steps() / ((performance.now() - t0) / 1000)) }));
  }
  const end = M.heapStats();
  console.log(JSON.stringify({ soak: label, done: true, steps: s.steps(), heap_used_after_warmup: warm.used,
                               heap_used_end: end.used, heap_growth: end.used - warm.used,
                               wasm_memory_growth: end.memory - warm.memory }));
  s.delete();
}

const gan = { model: 'gan', dataset: 'ring8', g_hidden: '32,32', d_hidden: '32,32', batch: 64, pack: 1, g_lr: 0.001,
              d_lr: 0.001, beta1: 0.5 };
soak('ring8-gan-small', gan, arg('gan-steps', 1_000_000), 5000, (s) => {
  s.samples(512); s.discriminatorField(-1.5, 1.5, -1.5, 1.5, 64); s.generatorGradients(256); s.history();
});

const data = path.join(ROOT, 'build/data');
const vae = { model: 'vae', dataset: 'mnist28', latent: 20, enc_hidden: '400', dec_hidden: '400', batch: 128,
              likelihood: 'bernoulli', lr: 0.001, init: 'torch' };
soak('pytorch-vae', vae, arg('vae-steps', 20_000), 200, (s) => {
  s.samples(64); s.reconstructions(16); s.latentCodes(500); s.history();
}, (s) => s.provideImages('mnist28', readFileSync(path.join(data, 'mnist28-train.glds')),
                          readFileSync(path.join(data, 'mnist28-test.glds'))));
console.log(JSON.stringify({ live_sessions_at_exit: M.liveSessions() }));
