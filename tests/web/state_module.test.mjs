// web/state.js against the real module's schema() and presets(): defaults and presets round-trip
// through the URL without notices, and whatever the URL parser accepts for a key the core
// accepts too (so a link can never smuggle in a value the core would call invalid).
import './i18n_node.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadGenlab } from './load_module.mjs';
import { encodeHash, normalizeValue, parseHash } from '../../web/state.js';

const M = await loadGenlab();
const schema = M.schema().map((f) => ({ ...f, choices: Array.from(f.choices) }));

test('every schema default is accepted as is, and defaults make an empty hash', () => {
  assert.ok(schema.length > 20);
  for (const f of schema) {
    const r = normalizeValue(f, f.default);
    assert.equal(r.notice, null, `${f.key}=${f.default}`);
    assert.equal(r.value, f.default);
  }
  const all = Object.fromEntries(schema.map((f) => [f.key, f.default]));
  assert.equal(encodeHash({ settings: all }, schema), '');
});

test('every preset round-trips through a link and passes checkConfig', () => {
  for (const p of M.presets()) {
    const hash = encodeHash({ settings: p.settings }, schema);
    const back = parseHash(hash, schema);
    assert.deepEqual(back.notices, [], p.name);
    assert.deepEqual({ ...back.settings }, { ...p.settings }, p.name);
    assert.equal(M.checkConfig(back.settings), null, p.name);
  }
});

test('values the URL parser lets through are never "not valid" for the core', () => {
  const probes = (f) => {
    const base = ['', 'x', '-1', '0', '1', '1e99', 'NaN', 'true', 'none', '1,2', '3.5', ' 7 ', '1e-9', '4097,1'];
    if (f.type === 'int' || f.type === 'float' || f.type === 'intlist') {
      base.push(String(f.min), String(f.max), String(f.max * 2), String(f.min / 2), String(f.max * 20), String(f.min - 1));
    }
    return base.concat(f.choices ?? []);
  };
  let checked = 0;
  for (const f of schema) {
    for (const raw of probes(f)) {
      const { value } = normalizeValue(f, raw);
      if (value === undefined) continue;
      const err = M.checkConfig({ [f.key]: value });
      assert.ok(err === null || !/is not valid/.test(err.message), `${f.key}=${JSON.stringify(raw)} → ${value}: ${err?.message}`);
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} accepted probes`);
});
