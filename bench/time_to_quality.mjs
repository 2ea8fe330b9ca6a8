#!/usr/bin/env node
// Seconds from Play to a learned model, in the page itself (issue 18; not a test):
//   node bench/time_to_quality.mjs [--presets ring8-gan,pytorch-vae] [--runs 3] [--limit-scale 1] [--trace] [--isolate]
//                                  [--tfjs [--tfjs-eval-every 0.5]]
// needs the built site (GENLAB_WWW, default build/wasm/www) and /usr/bin/chromium.
//
// Each run opens the page at the preset's link (worker, default views, frames on), presses Play
// and watches the metrics the page receives. It prints one JSON line per run:
//   {preset, mark, reached, seconds, shownSeconds, steps, value, limitS, load1}
// seconds: from Play until training reached the step whose metrics first met the mark (read from
// the drawn step every 20 ms); shownSeconds: until the page showed those metrics (they are
// computed every 3–15 s, so this one is coarser); value: the metrics at that point (or the best
// seen when the limit passed first); load1: the machine's 1-minute load average at the start;
// threads: the module's threads (--isolate serves the page cross-origin isolated, as
// `scripts/genlab serve` does, so the threaded module runs when the site has it).
// A summary line per preset gives the median over the runs.
//
// --tfjs (VAE and 2-D GAN presets): after a preset's GenLab runs, the same model and settings
// re-written in TF.js 4.22 (wasm backend, SIMD, one thread; bench/common/tfjs_vae_preset.mjs,
// tfjs_gan_preset.mjs) train in a worker of the same Chromium build until the same metrics (test
// −ELBO on the same test set; modes and high-quality share of 2,500 samples) meet the mark, the
// clock counting training only (evaluations every --tfjs-eval-every seconds of it, 0.5 by
// default, with the clock stopped). Its limit is 20 × GenLab's median (at least 30 s). Lines:
//   {preset, system: 'tfjs-wasm-chromium', reached, seconds, steps, value, stepsPerS, limitS, load1}
// and a summary with TF.js's median and `ratio` = TF.js median ÷ GenLab median (or `ratioAbove`
// when TF.js did not reach the mark within its limit).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../tests/web/browser.mjs';
import { loadGenlab } from '../tests/web/load_module.mjs';
import { encodeHash } from '../web/state.js';
import { openTfjs } from './harness/ttq_tfjs.mjs';
import { meetsBound } from './common/bounds.mjs';

// The marks of issue 18 as bounds on the page's metrics (bench/common/bounds.mjs), with a time
// limit of about twice the goal (seconds).
const markOf = (text, limitS, bound) => ({ text, limitS, bound, met: (m) => meetsBound(bound, m) });
export const MARKS = {
  'ring8-gan': markOf('8/8 modes, ≥ 90 % high quality', 40, { modes: 8, hq: 0.9 }),
  'grid25-gan': markOf('≥ 24/25 modes, ≥ 80 % high quality', 120, { modes: 24, hq: 0.8 }),
  'pytorch-vae': markOf('test −ELBO ≤ 125', 90, { test_neg_elbo: 125 }),
  'mnist-gan': markOf('classifier score ≥ 6, no class above 25 %', 240, { classifier_score: 6, class_max_fraction: 0.25 }),
  'seed-vae': markOf('test −ELBO ≤ 30', 15, { test_neg_elbo: 30 }),
};

// What is kept of a metrics message (the figures the marks read).
const KEEP = ['modes', 'modes_total', 'hq', 'test_neg_elbo', 'classifier_score', 'class_max_fraction', 'class_modes'];

// In the page before its scripts: the worker's metrics messages and the drawn step, timed.
const INIT = () => {
  window.__ttq = { metrics: [], steps: [] };
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        if (e.data?.type === 'metrics' && e.data.metrics) window.__ttq.metrics.push({ at: performance.now(), step: e.data.step, ms: e.data.ms, metrics: e.data.metrics });
      });
    }
  };
  setInterval(() => { if (window.__genlab?.step !== undefined) window.__ttq.steps.push([performance.now(), window.__genlab.step]); }, 20);
};

/** When training first reached `step` (ms), from the polled [time, step] pairs. */
export function reachedAt(steps, step) {
  for (const [at, s] of steps) if (s >= step) return at;
  return steps.length ? steps[steps.length - 1][0] : NaN;
}

export async function timeToMark(b, M, name, limitScale = 1, trace = false) {
  const mark = MARKS[name];
  const preset = M.presets().find((p) => p.name === name);
  if (!mark || !preset) throw new Error(`no mark or preset '${name}'`);
  const load1 = Number(os.loadavg()[0].toFixed(2));
  const limitS = mark.limitS * limitScale;
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.addInitScript(INIT);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b.url}index.html${encodeHash({ settings: preset.settings }, M.schema())}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  const threads = await page.evaluate(() => window.__genlab.threads);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const t0 = await page.evaluate(() => { window.__ttq.t0 = performance.now(); return window.__ttq.t0; });
  let hit = null;
  let best = null;
  const deadline = Date.now() + limitS * 1000;
  while (!hit && Date.now() < deadline) {
    await page.waitForTimeout(250);
    const log = await page.evaluate((t) => window.__ttq.metrics.filter((x) => x.at >= t), t0);
    for (const x of log) {
      if (mark.met(x.metrics)) { hit = x; break; }
      best = x;
    }
  }
  const steps = await page.evaluate(() => window.__ttq.steps);
  const log = trace ? await page.evaluate((t) => window.__ttq.metrics.filter((x) => x.at >= t), t0) : [];
  await page.close();
  const pick = (m) => Object.fromEntries(KEEP.filter((k) => m && k in m).map((k) => [k, Number(Number(m[k]).toFixed(4))]));
  const r = { preset: name, mark: mark.text, reached: Boolean(hit), limitS, load1, threads };
  if (hit) {
    // The step is polled every 20 ms: never later than the metrics that report it. Hundredths,
    // since a small model's mark comes within a fraction of a second.
    r.seconds = Number(((Math.min(reachedAt(steps, hit.step), hit.at) - t0) / 1000).toFixed(2));
    r.shownSeconds = Number(((hit.at - t0) / 1000).toFixed(2));
    r.steps = hit.step;
    r.value = pick(hit.metrics);
  } else {
    r.steps = best?.step ?? null;
    r.value = pick(best?.metrics);
  }
  // --trace: each metrics' [seconds, step, ms], and the step drawn at each whole second after Play
  // (where a page loses its time).
  if (trace) {
    r.metricsAt = log.map((x) => [Number(((x.at - t0) / 1000).toFixed(2)), x.step, Math.round(x.ms)]);
    r.stepsEachSecond = steps.filter(([at]) => at >= t0).reduce((acc, [at, s]) => {
      const sec = Math.floor((at - t0) / 1000);
      if (acc.length <= sec) acc.push(s);
      return acc;
    }, []);
  }
  return r;
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (k, d) => { const i = args.indexOf(`--${k}`); return i >= 0 ? args[i + 1] : d; };
  const names = opt('presets', Object.keys(MARKS).join(',')).split(',');
  const runs = Number(opt('runs', '3'));
  const scale = Number(opt('limit-scale', '1'));
  const trace = args.includes('--trace');
  const evalEveryS = Number(opt('tfjs-eval-every', '0.5'));
  const M = await loadGenlab();
  const b = await openBrowser({ isolate: args.includes('--isolate') });
  const tfjs = args.includes('--tfjs') ? await openTfjs(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')) : null;
  try {
    for (const name of names) {
      const results = [];
      for (let i = 0; i < runs; i++) {
        const r = await timeToMark(b, M, name, scale, trace);
        console.log(JSON.stringify(r));
        results.push(r);
      }
      const secs = results.filter((r) => r.reached).map((r) => r.seconds).sort((x, y) => x - y);
      const median = secs.length === runs ? secs[secs.length >> 1] : null;
      console.log(JSON.stringify({ preset: name, summary: true, runs, reached: secs.length, medianSeconds: median }));
      if (tfjs) await tfjsRuns(tfjs, M, name, runs, median, evalEveryS);
    }
  } finally {
    await b.close();
    await tfjs?.close();
  }
}

// The TF.js side of one preset: `runs` runs, then a summary against GenLab's median.
async function tfjsRuns(tfjs, M, name, runs, genlabMedian, evalEveryS) {
  const why = tfjs.refuses(M, name);
  if (why) {
    console.log(JSON.stringify({ preset: name, system: 'tfjs-wasm-chromium', skipped: why }));
    return;
  }
  const limitS = Math.max(30, 20 * (genlabMedian ?? MARKS[name].limitS));
  const results = [];
  for (let i = 0; i < runs; i++) {
    const load1 = Number(os.loadavg()[0].toFixed(2));
    const r = await tfjs.run(M, name, MARKS[name].bound, limitS, evalEveryS);
    const line = { preset: name, system: 'tfjs-wasm-chromium', reached: r.reached, seconds: Number(r.seconds.toFixed(2)),
      steps: r.steps, value: Object.fromEntries(Object.entries(r.value).map(([k, v]) => [k, Number(v.toFixed(4))])), stepsPerS: Number(r.stepsPerS.toFixed(1)),
      evalSeconds: Number(r.evalSeconds.toFixed(1)), limitS, load1, backend: r.backend, version: r.version, simd: r.simd,
      threads: r.threads };
    console.log(JSON.stringify(line));
    results.push(line);
  }
  const secs = results.filter((r) => r.reached).map((r) => r.seconds).sort((x, y) => x - y);
  const median = secs.length === runs ? secs[secs.length >> 1] : null;
  const summary = { preset: name, summary: true, system: 'tfjs-wasm-chromium', runs, reached: secs.length, medianSeconds: median };
  if (genlabMedian && median) summary.ratio = Number((median / genlabMedian).toFixed(1));
  else if (genlabMedian && secs.length * 2 <= runs) summary.ratioAbove = Number((limitS / genlabMedian).toFixed(1));
  console.log(JSON.stringify(summary));
}

if (import.meta.url === `file://${process.argv[1]}`) main().catch((e) => { console.error(e); process.exit(1); });
