// Writes the metrics' judge of every image data set of an assembled site (<www>/data/<set>-train.glds
// and -test.glds) as <www>/data/<set>-judge.bin (web/judge_file.js), trained here by the site's own
// module: the same bits the page's worker would train, so the page installs it instead. A file made
// by this very module (its genlab.wasm's SHA-256 in the header) is kept. Seconds per data set.
//   node scripts/make_judges.mjs <www>
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { judgeHeader, readJudge } from '../web/judge_file.js';
import { encodeJudge } from './judge_file_write.mjs';

const root = process.argv[2];
if (!root || !statSync(path.join(root, 'genlab.mjs'), { throwIfNoEntry: false })?.isFile()) {
  console.error('usage: node scripts/make_judges.mjs <www folder with genlab.mjs and data/>');
  process.exit(2);
}
// Emscripten 3.1.6's ES-module glue uses CommonJS `require` and `__dirname` in its node branch.
globalThis.require ??= createRequire(import.meta.url);
globalThis.__dirname ??= path.dirname(fileURLToPath(import.meta.url));
const { default: create } = await import(pathToFileURL(path.resolve(root, 'genlab.mjs')).href);
const wasm = readFileSync(path.join(root, 'genlab.wasm'));
const M = await create({ wasmBinary: wasm });
const module = createHash('sha256').update(wasm).digest('hex');

const data = path.join(root, 'data');
const sets = readdirSync(data).filter((f) => f.endsWith('-train.glds')).map((f) => f.slice(0, -'-train.glds'.length))
  .filter((name) => existsSync(path.join(data, `${name}-test.glds`))).sort();
let written = 0;
const t0 = performance.now();
for (const name of sets) {
  const s = new M.Session();
  try {
    s.provideImages(name, new Uint8Array(readFileSync(path.join(data, `${name}-train.glds`))),
      new Uint8Array(readFileSync(path.join(data, `${name}-test.glds`))));
    const recipe = s.judgeRecipe(name);
    const out = path.join(data, `${name}-judge.bin`);
    if (existsSync(out)) {
      const bytes = new Uint8Array(readFileSync(out));
      const h = judgeHeader(bytes);
      // This module's bits, whole: kept. Otherwise (stale or damaged) made again.
      if ('weights' in readJudge(bytes, name, recipe) && 'head' in h && h.head.module === module) continue;
    }
    writeFileSync(out, encodeJudge(name, recipe, s.judgeWeights(name), { module }));
    written++;
  } finally {
    s.delete();
  }
}
console.log(`make_judges: ${sets.length} judges in ${data}: ${written} written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
