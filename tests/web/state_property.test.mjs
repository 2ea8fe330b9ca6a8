// Property-based tests of the URL decoder against the real module schema: thousands of random
// hashes — random bytes, schema keys with junk values, percent-encodings, huge and tiny numbers,
// prototype keys — must never throw, must keep only values the core itself accepts key by key,
// and valid settings must survive encode → decode unchanged. Seeded, so a failure reproduces.
import './i18n_node.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import { encodeHash, parseHash } from '../../web/state.js';
import { loadGenlab } from './load_module.mjs';

const M = await loadGenlab();
const SCHEMA = M.schema().map((f) => ({ ...f, choices: Array.from(f.choices) }));

// xorshift32: a tiny seeded generator for the test's own random choices.
function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  return { next, int: (n) => Math.floor(next() * n), pick: (a) => a[Math.floor(next() * a.length)] };
}

const JUNK = ['', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '-1e-999', '0x10', '1,2,,3', '<img src=x onerror=alert(1)>',
  '%', '%E0%A4%A', '%00', '__proto__', 'true', 'false', '1', '0', '-0', '3.5', '1e-7', '4097', '-5', '12345678901234567890',
  'none', 'relu', 'gan', 'vae', '😀', 'a'.repeat(5000), '1,2,3,4,5', '256,256', '0.5', '\u0000', '&', '=', '#'];

function randomValue(r, f) {
  switch (r.int(6)) {
    case 0: return r.pick(JUNK);
    case 1: return String((r.next() * 2 - 1) * 10 ** (r.int(20) - 8));
    case 2: return f.choices.length ? r.pick(f.choices) : String(Math.round(f.min + r.next() * (f.max - f.min)));
    case 3: return Array.from({ length: r.int(6) }, () => String(r.int(5000))).join(',');
    case 4: return String.fromCharCode(...Array.from({ length: r.int(12) }, () => r.int(0x3000)));
    default: return f.default;
  }
}

function randomHash(r) {
  const parts = [];
  for (let i = r.int(12); i > 0; --i) {
    const kind = r.int(10);
    if (kind < 6) {
      const f = r.pick(SCHEMA);
      const v = randomValue(r, f);
      parts.push(`${f.key}=${r.int(2) ? encodeURIComponent(v) : v}`);
    } else if (kind === 6) {
      parts.push(`${r.pick(['__proto__', 'constructor', 'prototype', 'toString', 'x', ''])}=${r.pick(JUNK)}`);
    } else if (kind === 7) {
      parts.push(`${r.pick(SCHEMA).key}_hide=${r.pick(['1', 'true', 'no', ''])}`);
    } else if (kind === 8) {
      parts.push(`embed=${r.pick(['1', '0', 'true', 'yes'])}`);
    } else {
      parts.push(String.fromCharCode(...Array.from({ length: r.int(20) }, () => r.int(128))));
    }
  }
  return (r.int(2) ? '#' : '') + parts.join('&');
}

test('5,000 random hashes: no exception, only values the core accepts', () => {
  const r = rng(20261126);
  for (let i = 0; i < 5000; ++i) {
    const hash = randomHash(r);
    let out;
    assert.doesNotThrow(() => { out = parseHash(hash, SCHEMA); }, `hash #${i}: ${hash.slice(0, 200)}`);
    assert.equal(Object.getPrototypeOf(out.settings), null);
    for (const [key, value] of Object.entries(out.settings)) {
      assert.ok(SCHEMA.some((f) => f.key === key), `hash #${i}: kept an unknown key ${key}`);
      // Each kept value, alone over the defaults, passes the core's own validation of that key
      // (relations between keys are the page's next step and may still fail).
      const err = M.checkConfig({ [key]: value });
      assert.ok(err === null || !(err.key === key && err.message.startsWith(`${key}: '`)), `hash #${i}: ${key}=${value} kept but the core says: ${err?.message}`);
    }
    assert.ok(Array.isArray(out.notices) && out.notices.every((n) => typeof n === 'string'));
  }
  assert.equal(({}).polluted, undefined);
});

test('2,000 random valid settings survive encode → decode unchanged', () => {
  const r = rng(7);
  for (let i = 0; i < 2000; ++i) {
    const settings = {};
    for (const f of SCHEMA) {
      if (r.int(3)) continue;
      let v;
      if (f.type === 'enum') v = r.pick(f.choices);
      else if (f.type === 'bool') v = r.pick(['true', 'false']);
      else if (f.type === 'int') v = String(Math.round(f.min + r.next() * Math.min(f.max - f.min, 1e6)));
      else if (f.type === 'intlist') v = Array.from({ length: 1 + r.int(3) }, () => String(1 + r.int(512))).join(',');
      else v = String(Number((f.min + r.next() * (f.max - f.min)).toPrecision(4)));
      const err = M.checkConfig({ [f.key]: v });
      if (err === null || !err.message.startsWith(`${f.key}: '`)) settings[f.key] = v;
    }
    const back = parseHash(encodeHash({ settings }, SCHEMA), SCHEMA);
    assert.deepEqual(back.notices, [], `settings #${i}: ${JSON.stringify(settings)}`);
    for (const [k, v] of Object.entries(back.settings)) assert.equal(Number.isNaN(Number(v)) ? v : Number(v),
      Number.isNaN(Number(settings[k])) ? settings[k] : Number(settings[k]), `settings #${i}: ${k}`);
  }
});
