// Unit tests of bench/harness/checks.mjs: bench/compare refuses to report the speed of a step that
// does not train. The check must pass real training (including a GAN whose D starts out ahead)
// and fail steps that update nothing or only one player.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lossCheck, minSteps, windows } from '../../bench/harness/checks.mjs';

// Deterministic noise in [−a, a] (a small LCG: the traces are the same on every run).
function noise(seed) {
  let s = seed >>> 0;
  return (a) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 * 2 - 1) * a;
  };
}

// A GAN trace of `n` chunks of 16 steps; d(t), g(t) give the losses at step t (+ noise).
function gan(n, d, g, seed = 1) {
  const r = noise(seed);
  return Array.from({ length: n }, (_, i) => [16, d(16 * i) + r(0.04), g(16 * i) + r(0.04)]);
}

const rising = (from, to, over) => (t) => from + (to - from) * Math.min(1, t / over);
const oscillating = (mean, amp, period) => (t) => mean + amp * Math.sin((2 * Math.PI * t) / period);

test('a training GAN passes, even when D starts at its lowest loss', () => {
  // D's first loss 0.96 (it already tells G's first points from the data), then the usual
  // oscillation around 2·ln 2; G's loss falls from 2.8 and oscillates.
  const d = (t) => (t === 0 ? 0.96 : oscillating(1.38, 0.08, 600)(t));
  const g = (t) => Math.max(0.8, 2.8 - t / 100) + oscillating(0, 0.1, 600)(t);
  assert.deepEqual(lossCheck('gan', gan(120, d, g)), { verdict: 'pass' });
});

test('the recorded ring-gan trace that the old rule (D below its first value) rejected passes', () => {
  const { chunks } = JSON.parse(readFileSync(new URL('./ring-gan-chunks.json', import.meta.url), 'utf8'));
  const d = chunks.map((c) => c[1]);
  assert.ok(Math.min(...d.slice(1)) > d[0] - 0.02, 'the fixture is the case the old rule failed');
  assert.deepEqual(lossCheck('gan', chunks), { verdict: 'pass' });
});

test('the recorded start of dcgan-lite passes with its 32-step windows in 256 steps, and waits with the default', () => {
  const { chunks } = JSON.parse(readFileSync(new URL('./dcgan-chunks.json', import.meta.url), 'utf8'));
  const first = (steps) => {
    let n = 0;
    return chunks.filter((c) => (n += c[0]) <= steps);
  };
  assert.equal(minSteps('gan', 32), 256);
  assert.deepEqual(lossCheck('gan', first(256), 32), { verdict: 'pass' });
  assert.equal(lossCheck('gan', first(255), 32).verdict, 'inconclusive');
  assert.equal(lossCheck('gan', chunks).verdict, 'inconclusive');  // 128-step windows need 1,024 steps
});

test('recorded dcgan-lite steps that freeze one player or both fail, naming the frozen one', () => {
  const traces = JSON.parse(readFileSync(new URL('./dcgan-broken-chunks.json', import.meta.url), 'utf8'));
  const onlyD = lossCheck('gan', traces.only_d, 32), onlyG = lossCheck('gan', traces.only_g, 32);
  assert.match(onlyD.reason, /G is not learning/);
  assert.doesNotMatch(onlyD.reason, /D is not learning/);
  assert.match(onlyG.reason, /D is not learning/);
  assert.doesNotMatch(onlyG.reason, /G is not learning/);
  assert.match(lossCheck('gan', traces.nothing, 32).reason, /D is not learning.*G is not learning/);
});

test('a check window outside [8, 128] or not an integer is refused', () => {
  const chunks = gan(120, oscillating(1.38, 0.1, 600), oscillating(0.8, 0.1, 600));
  for (const w of [0, 4, 200, 32.5, '32']) assert.throws(() => lossCheck('gan', chunks, w), /check_window/);
  assert.throws(() => minSteps('gan', 0), /check_window/);
  assert.equal(minSteps('gan'), 1024);
  assert.equal(minSteps('vae', 32), 10);
});

test('with 32-step windows (and twice the drop) a step that updates nothing, or only one player, still fails', () => {
  for (let seed = 1; seed <= 20; ++seed) {
    const v = lossCheck('gan', gan(24, () => 1.0, () => 2.9, seed), 32);
    assert.equal(v.verdict, 'fail', `seed ${seed}`);
    assert.match(v.reason, /D is not learning.*G is not learning/);
  }
  const onlyG = lossCheck('gan', gan(24, rising(1.0, 3.0, 300), rising(2.8, 0.4, 300)), 32);
  assert.match(onlyG.reason, /D is not learning/);
  assert.doesNotMatch(onlyG.reason, /G is not learning/);
  const onlyD = lossCheck('gan', gan(24, rising(1.38, 0.3, 300), rising(0.7, 3.5, 300)), 32);
  assert.match(onlyD.reason, /G is not learning/);
  assert.doesNotMatch(onlyD.reason, /D is not learning/);
});

test('a GAN whose D does not learn fails, naming D', () => {
  // Fixed D: G climbs it, D's loss rises and stays; G's falls.
  const v = lossCheck('gan', gan(120, rising(1.0, 3.0, 800), rising(2.8, 0.4, 800)));
  assert.equal(v.verdict, 'fail');
  assert.match(v.reason, /D is not learning/);
  assert.doesNotMatch(v.reason, /G is not learning/);
});

test('a GAN whose G does not learn fails, naming G', () => {
  const v = lossCheck('gan', gan(120, rising(1.38, 0.3, 800), rising(0.7, 3.5, 800)));
  assert.equal(v.verdict, 'fail');
  assert.match(v.reason, /G is not learning/);
  assert.doesNotMatch(v.reason, /D is not learning/);
});

test('a GAN that updates nothing fails on both players, noise notwithstanding', () => {
  for (let seed = 1; seed <= 20; ++seed) {
    const v = lossCheck('gan', gan(200, () => 1.0, () => 2.9, seed));
    assert.equal(v.verdict, 'fail', `seed ${seed}`);
    assert.match(v.reason, /D is not learning.*G is not learning/);
  }
});

test('NaN fails; too few steps is inconclusive, not a failure', () => {
  const chunks = gan(120, oscillating(1.38, 0.1, 600), oscillating(0.8, 0.1, 600));
  chunks[50][2] = NaN;
  assert.equal(lossCheck('gan', chunks).verdict, 'fail');
  const short = gan(Math.floor(minSteps('gan') / 16) - 1, oscillating(1.38, 0.3, 100), oscillating(0.8, 0.3, 100));
  assert.equal(lossCheck('gan', short).verdict, 'inconclusive');
});

test('windows merge consecutive chunks by steps, weighting each chunk by its steps', () => {
  assert.deepEqual(windows([[100, 1, 2], [50, 4, 8], [200, 0, 0], [10, 5, 5]], 128),
    [[150, 2, 4], [200, 0, 0], [10, 5, 5]]);
});

test('a VAE passes when its loss falls and fails when it does not', () => {
  const falling = Array.from({ length: 50 }, (_, i) => [2, 200 - i, 0]);
  assert.deepEqual(lossCheck('vae', falling), { verdict: 'pass' });
  assert.equal(lossCheck('vae', falling.slice().reverse()).verdict, 'fail');
});
