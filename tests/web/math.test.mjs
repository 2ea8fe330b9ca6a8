// The formulas: TeX in web/math/formulas.json rendered once to MathML (scripts/make_math.mjs,
// KaTeX). The committed MathML must be what the generator gives today, carry no style
// attribute (strict CSP), and every formula must render with a size in Chromium's MathML.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generated, renderAll } from '../../scripts/make_math.mjs';
import { STRICT_CSP, openBrowser } from './browser.mjs';

const committed = readFileSync(new URL('../../web/math/mathml.json', import.meta.url), 'utf8');
const formulas = JSON.parse(readFileSync(new URL('../../web/math/formulas.json', import.meta.url), 'utf8'));

test('the committed MathML is what the generator gives (it cannot drift from the TeX)', () => {
  assert.equal(committed, generated());
  assert.deepEqual(Object.keys(JSON.parse(committed)), Object.keys(formulas));
});

test('no style attributes, one <math display="block"> per formula, a bad formula is refused', () => {
  for (const [id, m] of Object.entries(JSON.parse(committed))) {
    assert.doesNotMatch(m, /\sstyle=/, id);
    assert.match(m, /^<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML" display="block">/, id);
    assert.match(m, /<annotation encoding="application\/x-tex">/, `${id}: keeps its TeX for assistive tech and copying`);
  }
  assert.throws(() => renderAll({ bad: '\\frac{1}{' }));
  assert.throws(() => renderAll({ 'Bad Id': 'x' }), /use/);
});

let b;
before(async () => { b = await openBrowser({ csp: STRICT_CSP }); });
after(async () => { await b?.close(); });

test('every formula renders with a size under the strict CSP', async () => {
  const page = b.page;
  await page.goto(`${b.url}index.html#model=gan&lang=en`);
  const sizes = await page.evaluate(async () => {
    const m = await import('./math.js');
    await m.loadMath();
    const out = {};
    const box = document.createElement('div');
    document.body.append(box);
    for (const id of m.formulaIds()) {
      const node = m.mathNode(id);
      box.append(node);
      const r = node.getBoundingClientRect();
      out[id] = [r.width, r.height];
    }
    let unknown = '';
    try { m.mathNode('no.such'); } catch (e) { unknown = e.message; }
    return { out, unknown };
  });
  assert.deepEqual(Object.keys(sizes.out).sort(), Object.keys(formulas).sort());
  for (const [id, [w, h]] of Object.entries(sizes.out)) assert.ok(w > 20 && h > 8, `${id}: ${w}×${h}`);
  assert.match(sizes.unknown, /no\.such/);
  assert.deepEqual(b.errors, []);
});
