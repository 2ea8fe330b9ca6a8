// The example course page (examples/course) in headless Chromium, deployed as its header says:
// as <site>/course/ next to the playground, which is where the wasm build copies it. Both embedded
// playgrounds must come up configured from their links, in embed mode, under the strict CSP,
// without console errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { www } from './load_module.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.resolve(here, '../../build/test-artifacts');

test('the course page embeds a ring8 GAN and an MNIST VAE that both start', async () => {
  assert.ok(existsSync(path.join(www, 'course', 'index.html')), `the build copies examples/course to ${www}/course`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const b = await openBrowser({ csp: STRICT_CSP, dir: www });
  try {
    await b.page.setViewportSize({ width: 1100, height: 900 });
    await b.page.goto(`${b.url}course/index.html`);
    const started = async (id) => {
      await b.page.locator(`#${id}`).scrollIntoViewIfNeeded();
      const frame = b.page.frameLocator(`#${id}`);
      await frame.locator('#play').waitFor({ state: 'visible', timeout: 30000 });
      const handle = await b.page.locator(`#${id}`).elementHandle();
      const f = await handle.contentFrame();
      await f.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
      return f.evaluate(() => ({ config: window.__genlab.config, embed: document.body.classList.contains('embed') }));
    };
    const gan = await started('gan');
    assert.equal(gan.config.model, 'gan');
    assert.equal(gan.config.dataset, 'ring8');
    assert.equal(gan.config.pack, '2');
    assert.equal(gan.embed, true);
    await b.page.frameLocator('#gan').getByRole('button', { name: 'Play', exact: true }).click();
    await b.page.waitForTimeout(1500);
    const vae = await started('vae');
    assert.equal(vae.config.model, 'vae');
    assert.equal(vae.config.dataset, 'mnist14');
    assert.equal(vae.embed, true);
    await b.page.evaluate(() => window.scrollTo(0, 0));
    await b.page.screenshot({ path: path.join(ARTIFACTS, 'course.png'), fullPage: true });
    assert.equal(await b.page.locator('#course-note').textContent(), '');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
