// The wasm module under node: it loads, reports its version and runs with SIMD.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadGenlab } from './load_module.mjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url)));

test('module loads and reports the project version', async () => {
  const M = await loadGenlab();
  assert.equal(M.version(), pkg.version);
});

test('module is built with wasm SIMD', async () => {
  const M = await loadGenlab();
  assert.equal(M.simdEnabled(), true);
  assert.match(M.simd(), /^wasm-simd128/);
});

test('CSV text with a lone surrogate reaches the core with its commas (issue 19)', async () => {
  const { wellFormed } = await import('../../web/protocol.js');
  const M = await loadGenlab();
  const text = '0,1\n\uD800,2\n';
  // Sent as it is, Emscripten's UTF-8 encoder swallows the comma into the surrogate's bytes.
  assert.throws(() => M.parsePointsCsv(text), /line 2: expected two values x,y but found 1/);
  assert.throws(() => M.parsePointsCsv(wellFormed(text)), /line 2: cannot read '\\xef\\xbf\\xbd' as a number/);
  assert.equal(wellFormed('a\uDC00b\uD83D\uDE00c\uD83D'), 'a\uFFFDb\uD83D\uDE00c\uFFFD');
  assert.equal(wellFormed('1,2'), '1,2');
});
