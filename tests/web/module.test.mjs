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
