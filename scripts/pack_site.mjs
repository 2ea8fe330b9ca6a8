// Packs the assembled static site (<build>/www) in place: every script and style sheet of the page
// loses its comments and every JSON file its indentation, so that a static host serves fewer bytes (the
// first load must stay within its gzip budget, tests/web/budget.test.mjs). Nothing is renamed,
// bundled or down-levelled: each file keeps its imports, names and line structure, and the
// repository's web/ stays the readable source. Emscripten's own output (genlab*.mjs, *.worker.js)
// and the data sets are left as they are.
//   node scripts/pack_site.mjs <www>
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = process.argv[2];
if (!root || !statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
  console.error('usage: node scripts/pack_site.mjs <www folder>');
  process.exit(2);
}
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('pack_site: esbuild is missing; run `scripts/genlab deps` (npm ci) first');
  process.exit(1);
}

const SKIP_DIRS = new Set(['data']);
const isEmscripten = (name) => /^genlab(-mt)?\.mjs$|\.worker\.js$/.test(name);

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* files(p);
    } else yield p;
  }
}

let before = 0;
let after = 0;
for (const file of files(root)) {
  const name = path.basename(file);
  const rel = path.relative(root, file);
  let out = null;
  const text = () => readFileSync(file, 'utf8');
  if (/\.m?js$/.test(name) && !isEmscripten(name)) {
    // No minify options: esbuild reprints the module as written, without its comments
    // (legal comments included: every script here is ours, under the project's licence).
    out = esbuild.transformSync(text(), {
      loader: 'js', format: undefined, target: 'esnext', charset: 'utf8', legalComments: 'none', sourcefile: rel,
    }).code;
  } else if (name.endsWith('.css')) {
    // Rules reprinted as written (no minify options), without comments: 1.3 KB gzip of the first load.
    out = esbuild.transformSync(text(), { loader: 'css', charset: 'utf8', legalComments: 'none', sourcefile: rel }).code;
  } else if (name.endsWith('.json')) {
    out = `${JSON.stringify(JSON.parse(text()))}\n`;
  }
  if (out === null) continue;
  before += statSync(file).size;
  after += Buffer.byteLength(out);
  writeFileSync(file, out);
}
console.log(`pack_site: scripts, styles and JSON ${(before / 1024).toFixed(0)} KB → ${(after / 1024).toFixed(0)} KB`);
