// The article page (web/article.html): English and Chinese from their catalogs, every formula
// rendered as MathML, live playgrounds that start inside their frames, readable at 360 and
// 1280 px without sideways overflow, under the strict CSP with no console errors.
// Screenshots: build/test-artifacts/article-{en,zh}-{360,1280}.png.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, openBrowser } from './browser.mjs';

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
let b;
before(async () => { b = await openBrowser({ csp: STRICT_CSP }); });
after(async () => { await b?.close(); });

async function open(lang, width) {
  const page = await b.ctx.newPage();
  b.watch(page);
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${b.url}article.html?lang=${lang}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20000 });
  return page;
}

test('both languages: the words, the formulas, no overflow', async () => {
  const e0 = b.errors.length;
  for (const lang of ['en', 'zh']) {
    for (const width of [1280, 360]) {
      const page = await open(lang, width);
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      const text = await page.evaluate(() => document.body.innerText);
      assert.doesNotMatch(text, /⟦/, `${lang}: a missing key`);
      assert.ok(text.length > (lang === 'zh' ? 4000 : 8000), `${lang}: the article is there (${text.length} characters)`);
      if (lang === 'zh') assert.match(text, /证据下界.*下界|极小极大博弈|后验坍塌/s);
      else assert.match(text, /lower bound/);
      assert.doesNotMatch(text, /克拉姆尔/, 'not the seed article\'s wrong name for the KL term');
      const formulas = await page.evaluate(() => [...document.querySelectorAll('.art-formula')].map((f) => {
        const m = f.querySelector('math');
        const r = m?.getBoundingClientRect();
        return { id: f.dataset.formula, ok: Boolean(m) && r.width > 20 && r.height > 8 };
      }));
      assert.ok(formulas.length >= 15, `${formulas.length} formulas`);
      // The VAE-GAN's section: its three objectives and the feature-wise reconstruction.
      assert.deepEqual(formulas.map((f) => f.id).filter((id) => id.startsWith('vaegan.')),
        ['vaegan.llike', 'vaegan.enc', 'vaegan.dec', 'vaegan.d']);
      for (const f of formulas) assert.ok(f.ok, `${lang} ${width}: ${f.id} rendered`);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(over <= 0, `${lang} ${width}: overflows by ${over} px`);
      assert.equal(await page.locator('iframe').count(), 5);
      for (const f of await page.locator('iframe').all()) assert.ok((await f.getAttribute('title'))?.length > 10, 'each frame has a title');
      await page.screenshot({ path: path.join(ARTIFACTS, `article-${lang}-${width}.png`), fullPage: false });
      await page.close();
    }
  }
  assert.deepEqual(b.errors.slice(e0), []);
});

test('embedded playgrounds start inside the article, in its language', async () => {
  const page = await open('zh', 1280);
  for (const id of ['vae', 'gan']) {
    const frame = page.locator(`#${id} iframe`);
    await frame.scrollIntoViewIfNeeded();   // the frames load lazily, when scrolled to
    // Same origin: the page can look into its frame (which navigates from about:blank first).
    await page.waitForFunction((sel) => {
      const w = /** @type {any} */ (document.querySelector(sel))?.contentWindow;
      return w?.__genlab?.ready === true && w.__genlab.frames > 0;
    }, `#${id} iframe`, { timeout: 30000 });
    const inner = await page.evaluate((sel) => {
      const d = document.querySelector(sel).contentDocument;
      return { lang: d.documentElement.lang, embed: d.body.classList.contains('embed') };
    }, `#${id} iframe`);
    assert.equal(inner.lang, 'zh');
    assert.ok(inner.embed, 'embed mode');
  }
  // The switch re-words the page without a reload.
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await page.locator('#vae-h').textContent(), /bound/);
  await page.close();
});
