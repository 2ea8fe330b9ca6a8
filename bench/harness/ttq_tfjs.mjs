// The TF.js side of bench/time_to_quality.mjs --tfjs: the same preset re-written in TF.js
// (bench/common/tfjs_vae_preset.mjs), trained in a module worker of headless Chromium (Debian's,
// the flags of bench/harness/chromium.mjs, its own profile) until the test −ELBO meets the mark.
// VAE presets only: the GAN presets' packing, moving average of G and batch ramp have no TF.js
// version here, and the marks of the GAN presets need GenLab's mode counter and classifier.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAll, paths } from './build.mjs';
import { serve } from './server.mjs';
import { presetConfig } from '../common/tfjs_vae_preset.mjs';

// The mark's −ELBO bound of a VAE preset (MARKS in time_to_quality.mjs): read off its text.
const markBound = (mark) => {
  const m = /−ELBO ≤ (\d+(\.\d+)?)/.exec(mark.text);
  if (!m) throw new Error(`TF.js side: the mark '${mark.text}' is not a test −ELBO bound`);
  return Number(m[1]);
};

export async function openTfjs(root) {
  const p = paths(root);
  await buildAll(p, ['tfjs-wasm-chromium'], { needImages: true });
  const { chromium } = await import('playwright-core');
  const server = await serve({
    '/bench/': path.join(root, 'bench'),
    '/build/': p.wasm,
    '/data/': p.data,
    '/tfjs-wasm/': p.tfjsWasmFiles,
  });
  const profile = mkdtempSync(path.join(tmpdir(), 'genlab-ttq-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[chromium pageerror] ${e.message}\n`));
  await page.goto(`${server.url}/bench/web/ttq.html`);
  await page.waitForFunction(() => typeof window.ttq === 'function');
  return {
    // Why the TF.js side cannot run preset `name` (a setting it does not re-create), or null.
    refuses(M, name) {
      try {
        presetConfig(M.schema(), M.presets().find((x) => x.name === name).settings);
        return null;
      } catch (e) {
        return String(e.message ?? e);
      }
    },
    // One run of preset `name` (settings from M.presets(), defaults from M.schema()).
    async run(M, name, mark, limitS, evalEveryS) {
      const preset = M.presets().find((x) => x.name === name);
      const cfg = presetConfig(M.schema(), preset.settings);
      const r = await page.evaluate((o) => window.ttq(o), { cfg, markNegElbo: markBound(mark), limitS, evalEveryS });
      if (r.error) throw new Error(`TF.js side (${name}): ${r.error}`);
      return r.result;
    },
    async close() {
      await ctx.close();
      server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
