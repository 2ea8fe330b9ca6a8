// Shared headless-Chromium harness for the page tests: Debian's /usr/bin/chromium driven by
// playwright-core (no browser download), a fresh profile per run, console errors collected.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { www } from './load_module.mjs';

// The Content-Security-Policy the page must work under (no inline script or style, no eval).
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data: blob:; worker-src 'self'";

// dir: the folder to serve (default: the built site, GENLAB_WWW). profile: a profile folder to
// use and keep (to close the browser and open it again on the same storage; default: a fresh one,
// removed on close); port: the server's port (the same origin again; default: any free port).
// isolate: send COOP/COEP (default: GENLAB_ISOLATE=1 in the environment, to run a whole browser
// suite against the cross-origin isolated page, where the threaded module runs).
export async function openBrowser({ csp = '', isolate = process.env.GENLAB_ISOLATE === '1', dir = www, profile: keep = '', port = 0 } = {}) {
  const { server, url } = await startServer({ dir, port, csp, isolate });
  const profile = keep || mkdtempSync(path.join(tmpdir(), 'genlab-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const errors = [];
  const watch = (page) => {
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => { errors.push(`pageerror: ${e.message}`); if (process.env.GENLAB_STACKS) console.error(e.stack); });
    // A request that the page's own navigation (a reload, a new link) cut short is not a fault of
    // the page; every other failure is, aborted or not. Cut short: started before the navigation
    // began, or while it was under way (by the old document, until the new one commits).
    let navigations = 0;
    let navigating = false;
    const startedAt = new WeakMap();
    page.on('request', (r) => {
      if (r.isNavigationRequest() && r.frame() === page.mainFrame()) {
        navigations += 1;   // counted as it starts
        navigating = true;
      } else {
        startedAt.set(r, { nav: navigations, oldDocument: navigating });
      }
    });
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigating = false; });
    page.on('requestfailed', (r) => {
      const s = startedAt.get(r);
      const cutByNavigation = /ERR_ABORTED/.test(r.failure()?.errorText ?? '') && r.frame() === page.mainFrame()
        && s !== undefined && (s.nav !== navigations || s.oldDocument);
      if (!cutByNavigation) errors.push(`requestfailed: ${r.url()}`);
    });
  };
  const page = ctx.pages()[0] ?? await ctx.newPage();
  watch(page);
  return {
    url, page, ctx, errors, watch, profile,
    async close() {
      await ctx.close();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      if (!keep) rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Before the page's scripts run: every metrics message the page's worker posts is kept, in order,
// in window.__metrics (what the worker measured, whether or not the page shows it).
export async function keepWorkerMetrics(page) {
  await page.addInitScript(() => {
    window.__metrics = [];
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(...a) {
        super(...a);
        this.addEventListener('message', (e) => { if (e.data?.type === 'metrics' && e.data.metrics) window.__metrics.push(e.data); });
      }
    };
  });
}
