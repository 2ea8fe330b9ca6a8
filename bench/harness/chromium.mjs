// The bench page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core,
// the launch flags of tests/web/browser.mjs, a fresh profile), served by server.mjs. Each
// Chromium system is a module worker of that one page (bench/web/).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from './server.mjs';
import { pinThreads, processTree } from './affinity.mjs';

// frames: false → the page never asks the genlab worker for frames (to measure their cost).
export async function openBenchPage(p, { frames = true } = {}) {
  const { chromium } = await import('playwright-core');
  const server = await serve({
    '/bench/': path.join(p.root, 'bench'),
    '/web/': path.join(p.root, 'web'),
    '/build/': p.wasm,
    '/data/': p.data,
    '/tfjs-wasm/': p.tfjsWasmFiles,
  });
  const profile = mkdtempSync(path.join(tmpdir(), 'genlab-bench-chromium-'));
  let ctx = null;
  try {
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = ctx.pages()[0] ?? await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') process.stderr.write(`[chromium ${m.type()}] ${m.text()}\n`);
    });
    page.on('pageerror', (e) => process.stderr.write(`[chromium pageerror] ${e.message}\n`));
    page.on('requestfailed', (r) => process.stderr.write(`[chromium requestfailed] ${r.url()}\n`));
    await page.goto(`${server.url}/bench/web/index.html${frames ? '' : '?frames=0'}`);
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 60000 });
    return {
      runner: (name) => ({
        name,
        call: (line) => page.evaluate(([n, l]) => window.bench.call(n, l), [name, line])
          .catch((e) => ({ ok: false, error: `${name}: ${e.message}` })),
        close() {},
      }),
      smoothness: (name) => page.evaluate((n) => window.bench.smoothness(n), name),
      // Pins the bench workers' threads (Chromium names them "DedicatedWorker thread") to cpu;
      // returns how many it pinned. The page's main thread is left alone.
      pinWorkers: (cpu) => pinThreads(processTree(`--user-data-dir=${profile}`), 'DedicatedWorker', cpu),
      async close() {
        await ctx.close();
        server.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await ctx?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}
