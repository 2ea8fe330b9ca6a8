// The judge files the site ships (web/judge_file.js, made by scripts/make_judges.mjs): read back bit
// for bit, refused with a reason when damaged or made another way, and — for the built site — the
// very weights this module trains itself from the site's images.
import './node_shim.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { judgeHeader, readJudge } from '../../web/judge_file.js';
import { encodeJudge } from '../../scripts/judge_file_write.mjs';

// The weights of a file that must be read; the test fails with the reason otherwise.
function weightsOf(bytes, dataset, recipe) {
  const r = readJudge(bytes, dataset, recipe);
  assert.ok('weights' in r, `refused: ${r.why}`);
  return r.weights;
}
import { loadGenlab, www } from './load_module.mjs';

const bitsOf = (f32) => Array.from(new Uint32Array(f32.buffer, f32.byteOffset, f32.length));

test('a judge file reads back bit for bit, whatever the header length', () => {
  const w = Float32Array.from([0, -0, 1.5, -3.25e-38, 1e-45, 3.4e38, Math.PI]);
  for (const recipe of ['r', 'ab', 'abc', 'abcd', 'a recipe with ünïcode']) {
    const bytes = encodeJudge('mnist10', recipe, w, { module: 'x' });
    assert.equal(bytes.length % 4, 0);
    const got = weightsOf(bytes, 'mnist10', recipe);
    assert.deepEqual(bitsOf(got), bitsOf(w), recipe);
    assert.equal(judgeHeader(bytes).head.module, 'x');
    // From an ArrayBuffer, and from a view that does not start at its buffer's first byte.
    assert.deepEqual(bitsOf(weightsOf(bytes.slice().buffer, 'mnist10', recipe)), bitsOf(w));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    assert.deepEqual(bitsOf(weightsOf(shifted.subarray(3), 'mnist10', recipe)), bitsOf(w));
  }
  assert.equal(weightsOf(encodeJudge('d', 'r', new Float32Array(0)), 'd', 'r').length, 0);
});

test('a damaged judge file, or one made for another set or another way, is refused with the reason (never an exception)', () => {
  const good = encodeJudge('mnist28', 'recipe 1', Float32Array.from([1, 2, 3]));
  const refused = (bytes, dataset, recipe, pattern) => {
    const r = readJudge(bytes, dataset, recipe);
    assert.ok(!('weights' in r), `read: ${String(pattern)}`);
    assert.match(r.why, pattern);
  };
  refused(good, 'mnist14', 'recipe 1', /a judge of 'mnist28', not of 'mnist14'/);
  refused(good, 'mnist28', 'recipe 2', /made another way \(recipe 1\); this module's: recipe 2/);
  refused(good.subarray(0, good.length - 1), 'mnist28', 'recipe 1', /judge file of \d+ bytes for 3 weights/);
  refused(Uint8Array.from([...good, 0, 0, 0, 0]), 'mnist28', 'recipe 1', /for 3 weights/);
  refused(good.subarray(0, 6), 'mnist28', 'recipe 1', /not a judge file/);
  refused(new Uint8Array(0), 'mnist28', 'recipe 1', /not a judge file/);
  const magic = good.slice();
  magic[3] = 0x32;  // GLJ2
  refused(magic, 'mnist28', 'recipe 1', /not a judge file/);
  const long = good.slice();
  new DataView(long.buffer).setUint32(4, 1e6, true);
  refused(long, 'mnist28', 'recipe 1', /header of 1000000 bytes/);
  const garbled = good.slice();
  garbled[8] = 0xff;  // not UTF-8, not JSON
  refused(garbled, 'mnist28', 'recipe 1', /not JSON/);
  const notObject = encodeJudge('d', 'r', new Float32Array(0));
  notObject.set(new TextEncoder().encode('null'), 8);
  new DataView(notObject.buffer).setUint32(4, 4, true);
  refused(notObject, 'd', 'r', /not a JSON object/);
  // A count that is no integer.
  const text = new TextEncoder().encode(JSON.stringify({ dataset: 'd', recipe: 'r', count: 0.5 }));
  const odd = new Uint8Array(8 + Math.ceil(text.length / 4) * 4);
  odd.set(new TextEncoder().encode('GLJ1'));
  new DataView(odd.buffer).setUint32(4, text.length, true);
  odd.set(text, 8);
  refused(odd, 'd', 'r', /for 0.5 weights/);
});

test('the built site ships a judge per image set: this module\'s recipe, and the small sets\' weights are the ones it trains', async () => {
  const M = await loadGenlab();
  const data = path.join(www, 'data');
  const sets = readdirSync(data).filter((f) => f.endsWith('-test.glds')).map((f) => f.slice(0, -'-test.glds'.length)).sort();
  assert.ok(sets.length >= 2, `image sets in ${data}: ${sets.join(', ')}`);
  for (const name of sets) {
    const file = path.join(data, `${name}-judge.bin`);
    assert.ok(existsSync(file), `${name}-judge.bin`);
    const s = new M.Session();
    try {
      s.provideImages(name, new Uint8Array(readFileSync(path.join(data, `${name}-train.glds`))),
        new Uint8Array(readFileSync(path.join(data, `${name}-test.glds`))));
      const w = weightsOf(readFileSync(file), name, s.judgeRecipe(name));
      if (name.endsWith('10')) assert.deepEqual(bitsOf(w), bitsOf(s.judgeWeights(name)), `${name}: the bits this module trains`);
      else assert.ok(w.length > 100 * 128, `${name}: ${w.length} weights`);
    } finally {
      s.delete();
    }
  }
});
