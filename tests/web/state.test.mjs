// Unit tests of web/state.js: the URL hash codec (round trips, defaults omitted), clamping and
// notices for hostile hashes, hide / embed flags, preset matching. Uses a schema fixture of the
// same shape as the module's schema(); state_schema.test.mjs runs the real one.
import './i18n_node.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEW_FIELDS, clampNumber, encodeHash, excerpt, lessonOf, matchPreset, normalizeValue, parseHash, MAX_HASH_CHARS,
} from '../../web/state.js';

export const SCHEMA = [
  { key: 'model', type: 'enum', group: 'general', help: '', min: 0, max: 0, choices: ['vae', 'gan'], default: 'vae' },
  { key: 'dataset', type: 'enum', group: 'general', help: '', min: 0, max: 0, choices: ['ring8', 'moons', 'mnist14'], default: 'ring8' },
  { key: 'seed', type: 'int', group: 'general', help: '', min: 0, max: 2147483647, choices: [], default: '1' },
  { key: 'batch', type: 'int', group: 'general', help: '', min: 1, max: 4096, choices: [], default: '128' },
  { key: 'enc_hidden', type: 'intlist', group: 'vae', help: '', min: 1, max: 4096, choices: [], default: '64,64' },
  { key: 'beta', type: 'float', group: 'vae', help: '', min: 0, max: 1000, choices: [], default: '1' },
  { key: 'binarize', type: 'bool', group: 'vae', help: '', min: 0, max: 1, choices: [], default: 'false' },
  { key: 'gauss_logvar', type: 'float', group: 'vae', help: '', min: -12, max: 5, choices: [], default: '-4' },
  { key: 'lr', type: 'float', group: 'vae', help: '', min: 1e-7, max: 10, choices: [], default: '0.001' },
  { key: 'g_lr', type: 'float', group: 'gan', help: '', min: 1e-7, max: 10, choices: [], default: '0.0001' },
];

test('defaults encode to an empty hash', () => {
  assert.equal(encodeHash({ settings: { model: 'vae', lr: '0.001', beta: '1.0' } }, SCHEMA), '');
  assert.equal(encodeHash({}, SCHEMA), '');
});

test('non-default settings, view values and flags round-trip through the hash', () => {
  const settings = { model: 'gan', dataset: 'moons', seed: '42', enc_hidden: '32,16,8', lr: '3e-4', binarize: 'true' };
  const view = { ...Object.fromEntries(VIEW_FIELDS.map((f) => [f.key, f.default])), v_grid: 'true', lat_x: '3' };
  const hash = encodeHash({ settings, view, hide: new Set(['lr', 'play']), embed: true }, SCHEMA);
  assert.match(hash, /^#model=gan&dataset=moons&seed=42&enc_hidden=32,16,8&binarize=true&lr=0.0003/);
  assert.ok(hash.includes('v_grid=true') && hash.includes('lat_x=3'));
  assert.ok(hash.endsWith('lr_hide=1&play_hide=1&embed=1'), hash);
  const back = parseHash(hash, SCHEMA);
  assert.deepEqual(back.notices, []);
  assert.deepEqual({ ...back.settings }, { model: 'gan', dataset: 'moons', seed: '42', enc_hidden: '32,16,8', binarize: 'true', lr: '0.0003' });
  assert.equal(back.view.v_grid, 'true');
  assert.equal(back.view.lat_x, '3');
  assert.equal(back.view.v_field, 'true');
  assert.deepEqual([...back.hide].sort(), ['lr', 'play']);
  assert.equal(back.embed, true);
  assert.equal(encodeHash({ settings: back.settings, view: back.view, hide: back.hide, embed: back.embed }, SCHEMA), hash);
});

test('a hostile hash yields notices, never exceptions, and only valid values', () => {
  const hash = '#lr=1e99&batch=-5&foo=<img src=x onerror=alert(1)>&__proto__=1&constructor=2&model=<script>' +
    '&seed=abc&beta=NaN&enc_hidden=1,2,3,4,5&binarize=maybe&%E0%A4%A=1&dataset=mnist14';
  const r = parseHash(hash, SCHEMA);
  assert.deepEqual({ ...r.settings }, { dataset: 'mnist14' });
  assert.equal(Object.getPrototypeOf(r.settings), null);
  assert.equal(({}).polluted, undefined);
  const text = r.notices.join('\n');
  for (const k of ['lr', 'batch', 'foo', '__proto__', 'constructor', 'model', 'seed', 'beta', 'enc_hidden', 'binarize', 'malformed']) {
    assert.ok(text.includes(k), `a notice mentions ${k}:\n${text}`);
  }
  assert.ok(r.notices.length >= 11);
});

test('near misses are clamped, garbage falls back to the default', () => {
  const f = (key) => SCHEMA.find((x) => x.key === key);
  assert.deepEqual(normalizeValue(f('batch'), '5000').value, '4096');
  assert.match(normalizeValue(f('batch'), '5000').notice, /batch: 5000 is outside \[1, 4096\]; using 4096/);
  assert.equal(normalizeValue(f('batch'), '-5').value, undefined);
  assert.equal(normalizeValue(f('batch'), '0').value, undefined);
  assert.equal(normalizeValue(f('batch'), '12.5').value, undefined);
  assert.equal(normalizeValue(f('lr'), '1e99').value, undefined);
  assert.equal(normalizeValue(f('lr'), '50').value, '10');
  assert.equal(normalizeValue(f('lr'), '1e-8').value, '1e-7');
  assert.equal(normalizeValue(f('lr'), 'Infinity').value, undefined);
  assert.equal(normalizeValue(f('lr'), '0x10').value, undefined);
  assert.equal(normalizeValue(f('gauss_logvar'), '-15').value, '-12');
  assert.equal(normalizeValue(f('beta'), '-1').value, undefined);
  assert.equal(normalizeValue(f('enc_hidden'), '8000,32').value, '4096,32');
  assert.equal(normalizeValue(f('enc_hidden'), 'none').value, 'none');
  assert.equal(normalizeValue(f('enc_hidden'), '1,,2').value, undefined);
  assert.equal(normalizeValue(f('binarize'), '1').value, 'true');
  assert.equal(normalizeValue(f('model'), 'VAE').value, undefined);
  assert.equal(clampNumber(3, 1, 5), 3);
  assert.equal(clampNumber(1e6, 1, 5), undefined);
});

test('very long hashes and values are cut with a notice', () => {
  const long = 'x'.repeat(5000);
  const r = parseHash(`#model=${long}&seed=7`, SCHEMA);
  assert.equal(r.settings.model, undefined);
  assert.equal(r.settings.seed, '7');
  assert.ok(r.notices.some((n) => n.includes('too long')), r.notices.join('\n'));
  assert.ok(r.notices.every((n) => n.length < 300), 'notices quote only an excerpt');
  const huge = parseHash(`#seed=3&${'a=1&'.repeat(MAX_HASH_CHARS)}`, SCHEMA);
  assert.ok(huge.notices.some((n) => n.includes('characters long')));
  assert.equal(huge.notices.length, 12);
  assert.match(huge.notices[11], /and \d+ more problems/);
  assert.equal(huge.settings.seed, '3');
  assert.equal(excerpt('a\u0000b'.repeat(30), 10), 'a?ba?ba?ba…');
});

test('hide flags accept known controls only; embed needs 1 or true', () => {
  const r = parseHash('#lr_hide=1&play_hide=true&nope_hide=1&batch_hide=0&embed=yes', SCHEMA);
  assert.deepEqual([...r.hide].sort(), ['lr', 'play']);
  assert.equal(r.embed, false);
  assert.equal(r.notices.length, 1);
  assert.match(r.notices[0], /nope/);
  assert.equal(parseHash('#embed=1', SCHEMA).embed, true);
});

test('view values are validated like settings', () => {
  const r = parseHash('#speed=9&lat_x=-3&v_grid=yes&ia=12', SCHEMA);
  assert.equal(r.view.speed, '5');
  assert.equal(r.view.lat_x, '0');
  assert.equal(r.view.v_grid, 'false');
  assert.equal(r.view.ia, '12');
  assert.equal(r.notices.length, 3);
});

test('matchPreset finds the preset a config equals (seed aside)', () => {
  const presets = [
    { name: 'a', settings: { model: 'gan', dataset: 'moons' } },
    { name: 'b', settings: { model: 'gan', dataset: 'moons', lr: '0.01' } },
  ];
  const base = Object.fromEntries(SCHEMA.map((f) => [f.key, f.default]));
  assert.equal(matchPreset({ ...base, model: 'gan', dataset: 'moons', seed: '9' }, presets, SCHEMA), 'a');
  assert.equal(matchPreset({ ...base, model: 'gan', dataset: 'moons', lr: '0.010' }, presets, SCHEMA), 'b');
  assert.equal(matchPreset({ ...base, model: 'gan' }, presets, SCHEMA), '');
});

test('a guided lesson and its step round-trip through the hash as they are (lessons.js checks them)', () => {
  const hash = encodeHash({ settings: { model: 'gan' }, embed: true, lesson: { id: 'gan-game', step: 3 } }, SCHEMA);
  assert.equal(hash, '#model=gan&lesson=gan-game&step=3&embed=1');
  const back = parseHash(hash, SCHEMA);
  assert.deepEqual(back.notices, [], 'lesson and step are known keys');
  assert.deepEqual(back.lesson, { id: 'gan-game', step: '3' });
  assert.equal(encodeHash({ settings: back.settings, embed: back.embed, lesson: back.lesson }, SCHEMA), hash);
  assert.equal(parseHash('#model=gan', SCHEMA).lesson, null);
  assert.equal(lessonOf('#model=gan&xlesson=1&steps=2'), null);
  // Hostile text stays data: never an exception, never more than its own part of the hash.
  for (const h of ['#lesson=%3Cscript%3E&step=2', '#lesson=a&lesson=b', '#step=%E0%A4%A', '#lesson=__proto__&step=-1', `#lesson=${'x'.repeat(5000)}`]) {
    const r = parseHash(h, SCHEMA);
    assert.ok(r.lesson && !String(r.lesson.id ?? '').includes('&'), h);
    assert.ok(String(r.lesson.id ?? '').length <= MAX_HASH_CHARS);
    assert.equal(r.notices.filter((n) => /lesson|step/.test(n) && !/malformed|long/i.test(n)).length, 0, `${h}: lessons.js gives the notice`);
    const again = parseHash(encodeHash({ lesson: r.lesson }, SCHEMA), SCHEMA).lesson;
    assert.deepEqual(again, { id: r.lesson.id ?? '', step: r.lesson.step ?? '1' }, `${h}: round trip`);
  }
  assert.ok(parseHash(`#lesson=${'x'.repeat(40000)}`, SCHEMA).lesson.id.length <= MAX_HASH_CHARS, 'cut with the hash');
});
