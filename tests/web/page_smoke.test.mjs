// The served page in headless Chromium: the module loads in the page and SIMD is on.
import test from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './browser.mjs';

test('the page loads the module and shows its version and SIMD state', async () => {
  const b = await openBrowser();
  try {
    await b.page.goto(b.url);
    await b.page.waitForFunction(() => window.__genlab !== undefined, null, { timeout: 30000 });
    const info = await b.page.evaluate(() => window.__genlab);
    assert.equal(info.error, undefined);
    assert.equal(info.simdEnabled, true);
    const text = await b.page.locator('#status').textContent();
    assert.match(text, /GenLab \d+\.\d+\.\d+ — SIMD on/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
