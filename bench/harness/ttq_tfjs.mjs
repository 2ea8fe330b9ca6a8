// The TF.js side of bench/time_to_quality.mjs --tfjs: the same preset re-written in TF.js — the
// VAE presets (common/tfjs_vae_preset.mjs) and the 2-D GAN presets (common/tfjs_gan_preset.mjs);
// mnist-gan (dropout, hinge loss, the classifier's score) has none — trained in a module worker
// of headless Chromium (Debian's, the flags of bench/harness/chromium.mjs, its own profile) until
// the same metrics meet the mark.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAll, paths } from './build.mjs';
import { serve } from './server.mjs';
import { presetConfig } from '../common/tfjs_vae_preset.mjs';
import { ganConfig } from '../common/tfjs_gan_preset.mjs';

// The full settings of a preset for the TF.js side (throws naming what it does not re-create).
const configOf = (M, name) => {
  const { settings } = M.presets().find((x) => x.name === name);
  return (settings.model === 'gan' ? ganConfig : presetConfig)(M.schema(), settings);
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
        configOf(M, name);
        return null;
      } catch (e) {
        return String(e.message ?? e);
      }
    },
    // One run of preset `name` (settings from M.presets(), defaults from M.schema()) until its
    // mark's `bound` ({test_neg_elbo} at most, or {modes, hq} at least).
    async run(M, name, bound, limitS, evalEveryS) {
      const cfg = configOf(M, name);
      const r = await page.evaluate((o) => window.ttq(o), { cfg, bound, limitS, evalEveryS });
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
