// Unit tests of web/protocol.js (chunk sizing, speed caps, transfer lists, error parsing) and of
// web/frames.js against a fake Session: one batched call per view, copies, per-view errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  FRAME_SHARE, MAX_CHUNK, cappedChunk, divergenceAdvice, frameDue, errorKey, errorMessage, nextChunkSize, transferables,
} from '../../web/protocol.js';
import { buildFrame, frameKind, latentDims } from '../../web/frames.js';

test('frames stay within their share of the worker time', () => {
  // Simulate training with frames of a fixed cost whenever one is due; the share must hold.
  for (const buildMs of [0.2, 2, 15]) {
    let now = 0, last = -1e9, lastBuild = 0, spent = 0;
    while (now < 60000) {
      now += 20;  // one training chunk
      if (frameDue(now, last, lastBuild)) { now += buildMs; spent += buildMs; last = now; lastBuild = buildMs; }
    }
    assert.ok(spent / now <= FRAME_SHARE * 1.05, `build ${buildMs} ms: share ${spent / now}`);
    assert.ok(spent / now >= Math.min(FRAME_SHARE, buildMs / 20) * 0.5, `build ${buildMs} ms: frames starved`);
  }
  assert.equal(frameDue(100, 0, 0), true);              // nothing measured yet: due
  assert.equal(frameDue(100, 90, 2), false);            // 10 ms after a 2 ms frame: too soon
  assert.equal(frameDue(100, 60, 2), true);             // 40 ms after it: due
  assert.equal(frameDue(100, 90, NaN), true);           // garbage timing never blocks frames
});

test('chunk size converges on the time target and stays bounded', () => {
  let n = 1;
  const msPerStep = 0.37;
  for (let i = 0; i < 30; i++) n = nextChunkSize(n, n * msPerStep, 20);
  assert.ok(Math.abs(n * msPerStep - 20) < 2, `n=${n}`);
  assert.equal(nextChunkSize(100, 400, 20), 25);           // at most 4× down per chunk
  assert.equal(nextChunkSize(100, 1, 20), 200);            // at most 2× up per chunk
  assert.equal(nextChunkSize(MAX_CHUNK, 0.001, 20), MAX_CHUNK);
  assert.equal(nextChunkSize(1, 5000, 20), 1);
  assert.equal(nextChunkSize(NaN, NaN), 2);
  assert.equal(nextChunkSize(10, -1), 20);
});

test('speed caps limit steps per chunk and add a delay', () => {
  assert.deepEqual(cappedChunk(500, 0.1, 5), { n: 500, delayMs: 0 });
  const slow = cappedChunk(500, 0.1, 1);
  assert.equal(slow.n, 1);
  assert.ok(slow.delayMs > 400 && slow.delayMs <= 500, String(slow.delayMs));
  const mid = cappedChunk(500, 1, 3);
  assert.equal(mid.n, 3);
  assert.ok(Math.abs(mid.delayMs - 47) < 1e-9, String(mid.delayMs));
  assert.equal(cappedChunk(2, 0.1, 4).n, 2);                // never more than the CPU-sized chunk
  assert.deepEqual(cappedChunk(7, NaN, 99), { n: 7, delayMs: 0 });
});

test('transferables finds each buffer once, nested one level', () => {
  const a = new Float32Array(4);
  const b = new Uint8Array(3);
  const list = transferables({ type: 'frame', a, again: a, recon: { inputs: b, outputs: new Float32Array(0) }, n: 3, s: 'x' });
  assert.equal(list.length, 2);
  assert.ok(list.includes(a.buffer) && list.includes(b.buffer));
  assert.deepEqual(transferables(null), []);
});

test('errorKey reads the key a core message starts with', () => {
  const keys = new Set(['lr', 'batch']);
  assert.equal(errorKey("lr: '-1' is not valid; expected …", keys), 'lr');
  assert.equal(errorKey('batch: 7 is not a multiple of pack = 2', keys), 'batch');
  assert.equal(errorKey('foo: bar', keys), null);
  assert.equal(errorKey('foo: bar'), 'foo');
  assert.equal(errorKey('something broke', keys), null);
  assert.equal(errorKey(undefined, keys), null);
  assert.equal(errorMessage(new Error('x')), 'x');
  assert.equal(errorMessage(12345), 'internal error (code 12345)');
  assert.equal(errorMessage(null), 'unknown error');
});

test('divergence advice names the learning rates of the model', () => {
  assert.match(divergenceAdvice({ model: 'gan', g_lr: '0.5', d_lr: '0.2', loss: 'wgan' }), /g_lr = 0\.5, d_lr = 0\.2.*wgan/);
  assert.match(divergenceAdvice({ model: 'vae', lr: '3', beta: '1', likelihood: 'auto' }), /lr = 3.*β/);
  assert.match(divergenceAdvice({ model: 'vae' }), /press Reset\.$/);
  assert.match(divergenceAdvice({ model: 'vae' }, 200), /back at its last good state \(step 200\)/);
});

function fakeSession({ model = 'gan', image = false, throwOn = '' } = {}) {
  const calls = [];
  const arr = (name, n) => {
    calls.push(name);
    if (name === throwOn) throw new Error(`${name} failed`);
    return new Float32Array(n).fill(0.5);
  };
  return {
    calls,
    isImage: () => image,
    dataDim: () => (image ? 196 : 2),
    steps: () => 42,
    dataBox: () => new Float32Array([-1, 1, -2, 2]),
    realSamples: (n) => arr('realSamples', n * (image ? 196 : 2)),
    samples: (n) => arr('samples', n * (image ? 196 : 2)),
    history: () => arr('history', 8),
    discriminatorField: (x0, x1, y0, y1, res) => arr('discriminatorField', res * res),
    discriminatorIsProbability: () => true,
    generatorGradients: (n) => arr('generatorGradients', 2 * n),
    noiseGridWarp: (r) => arr('noiseGridWarp', 2 * r * r),
    reconstructions: (n) => ({ inputs: arr('reconstructions', n * 2), outputs: new Float32Array(n * 2) }),
    latentCodes: (n) => { calls.push('latentCodes'); return { codes: new Float32Array(n * 2), labels: new Uint8Array(n), dim: 2 }; },
    latentGrid: (res) => arr('latentGrid', res * res * 196),
    interpolate: (i, j, s) => arr('interpolate', s * 196),
    model,
  };
}

test('a 2-D GAN frame makes one call per view and copies every array', () => {
  const s = fakeSession();
  const f = buildFrame(s, { have: 3, field: true, arrows: true, grid: false }, { model: 'gan' }, 3);
  assert.equal(f.kind, 'gan2d');
  assert.deepEqual(s.calls.filter((c) => c === 'discriminatorField'), ['discriminatorField']);
  assert.ok(!s.calls.includes('noiseGridWarp'));
  assert.ok(!s.calls.includes('realSamples'), 'static data only when the page lacks it');
  assert.ok(f.field instanceof Float32Array && f.field.length === f.fieldRes ** 2);
  assert.equal(f.probability, true);
  assert.ok(f.gradients && f.samples && f.history);
  const g = buildFrame(s, { have: 2, grid: true }, { model: 'gan' }, 3);
  assert.ok(g.real && g.box && g.warp);
  assert.equal(g.field, undefined);
});

test('an image VAE frame holds the slow views only when asked', () => {
  const s = fakeSession({ model: 'vae', image: true });
  const fast = buildFrame(s, { have: 1, interp: true }, { model: 'vae', latent: '2' }, 1, false);
  assert.equal(fast.kind, 'vaeimg');
  assert.ok(fast.samples && fast.recon && !fast.latent && !fast.manifold && !fast.interp);
  assert.equal(fast.side, 14);
  const slow = buildFrame(s, { have: 1, interp: true }, { model: 'vae', latent: '2' }, 1, true);
  assert.ok(slow.latent && slow.manifold && slow.interp);
  const z1 = buildFrame(s, { have: 1 }, { model: 'vae', latent: '1' }, 1, true);
  assert.equal(z1.manifold, undefined, 'no 2-D manifold for a 1-D latent');
});

test('a failing view is reported and the rest of the frame goes out', () => {
  const s = fakeSession({ throwOn: 'generatorGradients' });
  const f = buildFrame(s, { have: 0, field: true, arrows: true }, { model: 'gan' }, 0);
  assert.match(f.viewErrors.gradients, /generatorGradients failed/);
  assert.ok(f.samples && f.field);
  assert.equal(frameKind({ model: 'vae' }, false), 'vae2d');
  assert.deepEqual(latentDims({ latX: 5, latY: 9 }, 4), [0, 1]);
  assert.deepEqual(latentDims({ latX: 2, latY: 3 }, 4), [2, 3]);
});
