#!/usr/bin/env node
// The page itself under load, in headless Chromium (not a test; results go into notes):
//   node bench/page_soak.mjs [--seconds 300] [--window 30] [--presets ring8-gan,pytorch-vae]
//                            [--points 100000] [--no-presets] [--isolate]
// needs the built site (GENLAB_WWW, default build/wasm/www) and /usr/bin/chromium.
//
// For each preset (default: all), the page opens at the preset's link with its default views and
// plays for --seconds. Every --window seconds it prints one JSON line: frames/s, main-thread tasks
// over 50 ms and the longest (tasks overlapping the soak's own forced GC counted apart, as
// longTasksInForcedGc), the JS heap after a forced GC, the worker's wasm memory, steps/s and
// worker recycles. The first window is warm-up. --points N: N points pasted as CSV (time to accept),
// trained on and drawn, then Pause → the page showing Play (ms); and a 50 MB paste (time to refuse).
// A summary line per run says whether it met issue 19's bars: ≥ 20 frames/s and no task over 50 ms
// after warm-up, JS heap and wasm memory flat (within 8 MiB of the first window after warm-up).
// Each window also gives the bytes malloc holds in the worker's wasm heap (heapUsedMiB).
// --isolate serves the page cross-origin isolated (COOP/COEP), as `scripts/genlab serve` does, so
// the worker runs the threaded module when the site has it; the summary then says threads: 2.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processTree } from './harness/affinity.mjs';
import { openBrowser } from '../tests/web/browser.mjs';
import { loadGenlab } from '../tests/web/load_module.mjs';
import { encodeHash } from '../web/state.js';

const MiB = 1 << 20;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Long tasks are recorded from the page's first moment.
const INIT = () => {
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ at: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task timing in this browser: the figures say null
  }
};

// Resident memory of the browser's renderer processes (MiB), from /proc.
function rendererRssMiB(b) {
  let kb = 0;
  for (const pid of processTree(`--user-data-dir=${b.profile}`)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return Number((kb / 1024).toFixed(1));
}

async function jsHeapAfterGc(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
  } finally {
    await cdp.detach();
  }
}

const sample = (page, since = 0) => page.evaluate(async (since) => {
  const g = window.__genlab;
  const probe = await g.probe();
  // The bytes held: the least of three probes 250 ms apart. A leak stays in all three; a buffer
  // that lives across a few of the worker's ticks (the first metrics, a save) is gone in one.
  let used = probe.heap.used;
  for (let i = 0; i < 2; i++) {
    await new Promise((r) => setTimeout(r, 250));
    used = Math.min(used, (await g.probe()).heap.used);
  }
  const builds = (g.builds ?? []).filter(([, slow]) => !slow).map(([ms]) => ms).sort((a, b) => a - b);
  const slow = (g.builds ?? []).filter(([, s]) => s).map(([ms]) => ms).sort((a, b) => a - b);
  const median = (a) => (a.length ? Number(a[a.length >> 1].toFixed(1)) : null);
  // Gaps between the frames that arrived in this window (the last 64 at most), the tenth-quickest
  // percentile: on a busy machine frames come unevenly but some still come quickly; a pacing latch
  // spaces them all.
  const at = (g.builds ?? []).map(([, , t]) => t).filter((t) => t >= since);
  const gaps = at.slice(1).map((t, i) => t - at[i]).sort((a, b) => a - b);
  const quickGapMs = gaps.length ? Math.round(gaps[Math.floor(gaps.length / 10)]) : null;
  return { now: performance.now(), frames: g.frames, imageFrames: g.imageFrames ?? 0, threads: g.threads, step: g.step ?? 0, recycles: g.recycles ?? 0, memory: probe.heap.memory, used,
    buildMs: median(builds), slowBuildMs: median(slow), quickGapMs };
}, since);

// The JS heap after a forced collection, and when (page clock) that collection ran.
async function timedGc(page, spans) {
  const g0 = await page.evaluate(() => performance.now());
  const bytes = await jsHeapAfterGc(page);
  spans.push([g0, await page.evaluate(() => performance.now())]);
  return bytes;
}

// Pause from the page (as a click does) and time until the toolbar shows Play again.
const pauseLatency = (page) => page.evaluate(() => new Promise((resolve) => {
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Pause');
  if (!button) { resolve(null); return; }
  const t0 = performance.now();
  button.click();
  const check = () => {
    const play = [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Play');
    if (play && window.__genlab.playing === false) resolve(performance.now() - t0);
    else setTimeout(check, 1);
  };
  check();
}));

const clickPlay = (page) => page.getByRole('button', { name: 'Play', exact: true }).click();

/**
 * Plays the page at `hash` for `seconds`, measuring every `windowS` seconds. `settle`
 * ({ ok(windows), extra }): when the windows so far fail `ok`, up to `extra` more windows are
 * measured until they pass (a dip from a busy machine passes later; a latch never does).
 * @returns {Promise<{ label: string, windows: object[], summary: object }>}
 */
export async function soakPage(b, label, hash, { seconds, windowS, setup = null, log = () => {}, settle = null }) {
  const page = await b.ctx.newPage();
  b.watch(page);   // console errors, page errors and failed requests land in b.errors
  await page.addInitScript(INIT);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b.url}index.html${hash}`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  const extra = setup ? await setup(page) : {};
  await clickPlay(page);
  const windows = [];
  const gcSpans = [];   // [start, end] of each forced collection, in the page's clock
  let last = await sample(page);
  const count = Math.max(1, Math.round(seconds / windowS));
  const more = () => windows.length < count ||
    (settle && windows.length < count + settle.extra && !settle.ok(windows));
  while (more()) {
    await page.waitForTimeout(windowS * 1000);
    const now = await sample(page, last.now);
    const all = await page.evaluate(([a, z]) => window.__longtasks.filter((t) => t.at >= a && t.at < z), [last.now, now.now]);
    // The heap figure needs a forced collection (below): a long task that overlaps one is the
    // benchmark's own doing and is counted apart, not as the page's.
    const inGc = (t) => gcSpans.some(([g0, g1]) => t.at < g1 && t.at + t.ms > g0);
    const tasks = all.filter((t) => !inGc(t)).map((t) => t.ms);
    const s = (now.now - last.now) / 1000;
    const w = {
      run: label, window: windows.length, seconds: Number(s.toFixed(1)),
      framesPerS: Number(((now.frames - last.frames) / s).toFixed(1)),
      // Image models: frames that brought new samples (the others carry the last ones, frames.js).
      imageFramesPerS: Number(((now.imageFrames - last.imageFrames) / s).toFixed(1)),
      longTasks: tasks.length, longestTaskMs: tasks.length ? Math.round(Math.max(...tasks)) : 0,
      longTasksInForcedGc: all.length - tasks.length,
      jsHeapMiB: Number(((await timedGc(page, gcSpans)) / MiB).toFixed(1)),
      wasmMiB: Number((now.memory / MiB).toFixed(1)),
      heapUsedMiB: Number((now.used / MiB).toFixed(1)),
      stepsPerS: Math.round((now.step - last.step) / s),
      recycles: now.recycles, buildMs: now.buildMs, slowBuildMs: now.slowBuildMs, quickGapMs: now.quickGapMs,
    };
    windows.push(w);
    log(w);
    last = now;
  }
  const pauseMs = await pauseLatency(page);
  await page.close();
  const after = windows.slice(1);
  const first = after[0] ?? windows[0];
  const lastW = windows[windows.length - 1];
  const summary = {
    run: label, summary: true, threads: last.threads, ...extra, pauseMs: pauseMs === null ? null : Math.round(pauseMs),
    minFramesPerS: Math.min(...after.map((w) => w.framesPerS)),
    longTasksAfterWarmUp: after.reduce((a, w) => a + w.longTasks, 0),
    jsHeapGrowthMiB: Number((lastW.jsHeapMiB - first.jsHeapMiB).toFixed(1)),
    wasmGrowthMiB: Number((lastW.wasmMiB - first.wasmMiB).toFixed(1)),
    // Wasm memory never shrinks and grows in steps (Emscripten asks for 20 % more when malloc
    // finds no room), so a leak shows best in the bytes malloc holds; the number of steps after
    // warm-up says whether the size itself kept growing.
    heapUsedGrowthMiB: Number((lastW.heapUsedMiB - first.heapUsedMiB).toFixed(1)),
    wasmGrowthSteps: after.slice(1).filter((w, i) => w.wasmMiB > after[i].wasmMiB).length,
  };
  summary.meets = after.length > 0 && summary.minFramesPerS >= 20 && summary.longTasksAfterWarmUp === 0 &&
    summary.jsHeapGrowthMiB <= 8 && summary.wasmGrowthMiB <= 8;
  return { label, windows, summary };
}

// The "your points" case: n points on a circle with noise, pasted as CSV.
export async function pastePoints(page, n) {
  return page.evaluate(async (count) => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const rows = Array.from({ length: count }, (_, i) => {
      const a = (2 * Math.PI * i) / count;
      return `${(Math.cos(a) + 0.05 * rnd()).toFixed(5)},${(Math.sin(a) + 0.05 * rnd()).toFixed(5)}`;
    });
    const data = new DataTransfer();
    data.setData('text/plain', rows.join('\n'));
    const t0 = performance.now();
    document.getElementById('points-csv').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    const msg = document.getElementById('points-msg');
    await new Promise((resolve) => {
      const check = () => (/Using \d+ points|line \d+/.test(msg.textContent) ? resolve() : setTimeout(check, 2));
      check();
    });
    return { acceptMs: Math.round(performance.now() - t0), message: msg.textContent };
  }, n);
}

export async function refuseBigPaste(page, bytes) {
  return page.evaluate((n) => {
    const data = new DataTransfer();
    data.setData('text/plain', '0.5,1.5\n'.repeat(n / 8));
    const t0 = performance.now();
    document.getElementById('points-csv').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    return { refuseMs: Math.round(performance.now() - t0), message: document.getElementById('points-msg').textContent };
  }, bytes);
}

async function main() {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : def;
  };
  const seconds = Number(arg('seconds', 300));
  const windowS = Number(arg('window', 30));
  const points = Number(arg('points', 0));
  process.env.GENLAB_WWW ??= path.join(ROOT, 'build/wasm/www');
  const M = await loadGenlab();
  const all = M.presets();
  const wanted = process.argv.includes('--no-presets') ? [] : (arg('presets', '') ? arg('presets', '').split(',') : all.map((p) => p.name));
  const b = await openBrowser({ isolate: process.argv.includes('--isolate') });
  const log = (o) => console.log(JSON.stringify(o));
  const summaries = [];
  try {
    for (const name of wanted) {
      const preset = all.find((p) => p.name === name);
      if (!preset) throw new Error(`no preset '${name}' (have: ${all.map((p) => p.name).join(', ')})`);
      const { summary } = await soakPage(b, name, encodeHash({ settings: preset.settings }, M.schema()), { seconds, windowS, log });
      log(summary);
      summaries.push(summary);
    }
    if (points > 0) {
      const setup = async (page) => {
        await jsHeapAfterGc(page);
        const rss0 = rendererRssMiB(b);
        const big = await refuseBigPaste(page, 50 * MiB);
        await jsHeapAfterGc(page);
        await page.waitForTimeout(1000);
        const rss1 = rendererRssMiB(b);
        const over = await pastePoints(page, 100001);   // one row past the limit: refused
        const r = await pastePoints(page, points);
        await page.waitForFunction(() => window.__genlab.config?.dataset === 'points', null, { timeout: 60000 });
        return { points, acceptMs: r.acceptMs, accepted: r.message, overLimitRefuseMs: over.acceptMs, overLimit: over.message,
          bigPasteRefuseMs: big.refuseMs, rendererMiBBeforePaste: rss0, rendererMiBAfterPaste: rss1 };
      };
      const { summary } = await soakPage(b, `points-${points}`, '#model=gan&dataset=points', { seconds, windowS, setup, log });
      log(summary);
      summaries.push(summary);
    }
  } finally {
    await b.close();
  }
  if (b.errors.length) log({ errors: b.errors });
  log({ done: true, runs: summaries.length, meeting: summaries.filter((s) => s.meets).map((s) => s.run), missing: summaries.filter((s) => !s.meets).map((s) => s.run) });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
