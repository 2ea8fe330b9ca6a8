#!/usr/bin/env node
// The threaded module against the single-threaded one, in headless Chromium, in one run:
//   bench/threads.mjs [--workloads mnist-vae,ring-gan,mnist-conv-vae] [--seconds 4] [--pairs 2] [--tfjs] [--one-thread]
// --one-thread: also the threaded module held at one thread (genlab-mt-1t), against the
// single-threaded module: what the threaded build itself costs where a second thread would not pay.
// A workload is one of bench/workloads.json's or a preset's name (its settings as the page has them).
// --tfjs: TensorFlow.js's wasm backend too, on 1 and on 2 threads (its threaded SIMD build,
// setThreadsCount(2), the worker's hardwareConcurrency raised so that TF.js does use two: see
// threads/tfjs_worker.js), for the workloads of bench/workloads.json (the same models as bench/compare):
// each pair then alternates four workers, and the last lines give GenLab ÷ TF.js at 1 and 2 threads.
// Needs a wasm build with -DGENLAB_WASM_THREADS=ON (build/wasm/www/genlab-mt.mjs, or the site folder
// named by GENLAB_WWW, e.g. a separate build/wasm-mt/www). Serves the
// built modules and bench/threads/ cross-origin isolated, then alternates genlab / genlab-mt
// workers (each: warm-up, three timed rounds) while the page repaints every frame. Prints one JSON
// line per worker, then the ratio of medians. A bare worker, not the full page: the page's own
// views cost more CPU (see docs/journal.md, "the experimental threaded module").
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../tests/web/browser.mjs';
import { loadGenlab } from '../tests/web/load_module.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const www = process.env.GENLAB_WWW ? path.resolve(process.env.GENLAB_WWW) : path.join(root, 'build/wasm/www');
if (!existsSync(path.join(www, 'genlab-mt.mjs'))) {
  console.error('bench/threads.mjs: build/wasm/www/genlab-mt.mjs is missing; build it with\n' +
    '  cmake --preset wasm -DGENLAB_WASM_THREADS=ON && cmake --build --preset wasm');
  process.exit(2);
}
const workloads = JSON.parse((await import('node:fs')).readFileSync(path.join(root, 'bench/workloads.json'), 'utf8')).workloads;
const names = arg('workloads', 'mnist-vae,ring-gan').split(',');
const seconds = Number(arg('seconds', '4'));
const pairs = Number(arg('pairs', '2'));
const withTfjs = process.argv.includes('--tfjs');
const oneThread = process.argv.includes('--one-thread');
const tfjsBundle = path.join(root, 'build/bench-wasm/tfjs/tfjs-browser.mjs');
if (withTfjs && !existsSync(tfjsBundle)) {
  const { buildAll, paths } = await import('./harness/build.mjs');
  await buildAll(paths(root), ['tfjs-wasm-chromium'], { needImages: false });   // the esbuild bundle only
}

const site = mkdtempSync(path.join(tmpdir(), 'genlab-threads-'));
for (const f of ['genlab.mjs', 'genlab.wasm', 'genlab-mt.mjs', 'genlab-mt.wasm', 'genlab-mt.worker.js', 'data']) {
  symlinkSync(path.join(www, f), path.join(site, f));
}
for (const f of ['index.html', 'page.js', 'worker.js', 'tfjs_worker.js', 'rounds.js']) symlinkSync(path.join(root, 'bench/threads', f), path.join(site, f));
symlinkSync(path.join(root, 'bench/common'), path.join(site, 'common'));  // the workers' runners
if (withTfjs) {
  symlinkSync(path.dirname(tfjsBundle), path.join(site, 'tfjs'));
  symlinkSync(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'), path.join(site, 'tfjs-wasm'));
  symlinkSync(path.join(root, 'bench/workloads.json'), path.join(site, 'workloads.json'));
}
const presets = (await loadGenlab()).presets();
const b = await openBrowser({ isolate: true, dir: site });
try {
  await b.page.goto(`${b.url}index.html`);
  for (const name of names) {
    const settings = workloads[name]?.genlab ?? presets.find((p) => p.name === name)?.settings;
    if (!settings) throw new Error(`unknown workload ${name} (not in bench/workloads.json, not a preset)`);
    const medians = {};
    const ran = {};   // threads TF.js reports using (getThreadsCount), by worker
    const tfjs = withTfjs && workloads[name] ? [1, 2] : [];
    for (let p = 0; p < pairs; p++) {
      for (const module of ['genlab', 'genlab-mt', ...(oneThread ? ['genlab-mt-1t'] : []), ...tfjs.map((t) => `tfjs-wasm-${t}t`)]) {
        const tf = module.startsWith('tfjs') ? { workload: name, threads: Number(module.at(-2)) } : null;
        const r = await b.page.evaluate(([m, s, t, f]) => window.run(m, s, t, f), [module, settings, seconds, tf]);
        if (r.error) throw new Error(`${module}: ${r.error}`);
        console.log(JSON.stringify({ workload: name, ...r, load1: Math.round(loadavg()[0] * 100) / 100 }));
        (medians[module] ??= []).push(...r.rounds);
        if (tf) ran[module] = r.threads;
      }
    }
    const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    const ratio = (a, b) => `${a} ÷ ${b} = ${(med(medians[a]) / med(medians[b])).toFixed(2)} ` +
      `(medians ${med(medians[a])} vs ${med(medians[b])} steps/s)`;
    console.log(`${name}: ${ratio('genlab-mt', 'genlab')}`);
    if (oneThread) console.log(`${name}: ${ratio('genlab-mt-1t', 'genlab')}`);
    if (tfjs.length) {
      // Should TF.js still use fewer threads than asked (getThreadsCount()), it is said here, not
      // hidden in a ratio.
      if (ran['tfjs-wasm-2t'] !== 2) console.log(`${name}: TF.js asked for 2 threads reports ${ran['tfjs-wasm-2t']}`);
      console.log(`${name}: ${ratio('tfjs-wasm-2t', 'tfjs-wasm-1t')}`);
      console.log(`${name}: ${ratio('genlab', 'tfjs-wasm-1t')}`);
      console.log(`${name}: ${ratio('genlab-mt', 'tfjs-wasm-2t')}`);
      // Against TF.js at its better thread count (a second thread can slow it on small products).
      const best = med(medians['tfjs-wasm-2t']) > med(medians['tfjs-wasm-1t']) ? 'tfjs-wasm-2t' : 'tfjs-wasm-1t';
      console.log(`${name}: ${ratio('genlab-mt', best)} (TF.js's faster thread count)`);
    }
  }
} finally {
  await b.close();
  rmSync(site, { recursive: true, force: true });
}
