// Renders the page's formulas (web/math/formulas.json: id → TeX) to MathML once, at build
// time, with KaTeX from the npm dev-dependencies: web/math/mathml.json (id → "<math …>").
// The page ships MathML only (MathML Core renders natively in Chromium and Firefox): no math
// library on the first load, nothing for a strict CSP to refuse (no style attributes).
//   node scripts/make_math.mjs          write web/math/mathml.json
//   node scripts/make_math.mjs --check  exit 1 when the committed file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import katex from 'katex';

const DIR = new URL('../web/math/', import.meta.url);

export function renderAll(formulas) {
  const out = {};
  for (const [id, tex] of Object.entries(formulas)) {
    if (!/^[a-z0-9_.-]+$/.test(id)) throw new Error(`formula id '${id}': use [a-z0-9_.-]`);
    const html = katex.renderToString(tex, { output: 'mathml', displayMode: true, throwOnError: true, strict: 'error' });
    const m = /<math[\s\S]*<\/math>/.exec(html);
    if (!m) throw new Error(`${id}: KaTeX gave no <math> element`);
    // KaTeX's display wrapper is a <span>; the page wants the bare <math display="block">.
    const math = m[0];
    if (/\sstyle=/.test(math)) throw new Error(`${id}: a style attribute would break the page's CSP`);
    out[id] = math;
  }
  return out;
}

export const generated = () => `${JSON.stringify(renderAll(JSON.parse(readFileSync(new URL('formulas.json', DIR), 'utf8'))), null, 1)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = generated();
  const target = new URL('mathml.json', DIR);
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== text) {
      console.error('web/math/mathml.json is out of date: run node scripts/make_math.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${Object.keys(JSON.parse(text)).length} formulas to web/math/mathml.json`);
  }
}
