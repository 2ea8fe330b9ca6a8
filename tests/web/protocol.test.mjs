// Unit tests of web/protocol.js (chunk sizing, speed caps, transfer lists, error parsing) and of
// web/frames.js against a fake Session: one batched call per view, copies, per-view errors.
import './i18n_node.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  EARLY_EVALS, FRAME_SHARE, MAX_CHUNK, MIN_FRAME_MS, SLOW_EVERY_MS, SLOW_SHARE, cappedChunk, createPacer, divergenceAdvice, frameDue, errorInfo, errorMessage,
  IWAE_K, iwaeSamples, nextBoundGap, nextChunkSize, nextEvalGap, transferables,
} from '../../web/protocol.js';
import { buildFrame, giveBack, latentDims, poolSizes, releasable, viewBuffers } from '../../web/frames.js';

// A worker's frame loop, simulated: training chunks of 20 ms; the page asks for a frame once per
// animation frame (16.7 ms after it received the last); a frame costs build(now, slow) ms.
function simulate(pacer, build, untilMs) {
  let now = 0, spent = 0, askAt = 0;
  const frames = [];   // [time, slow]
  while (now < untilMs) {
    now += 20;
    if (now >= askAt && pacer.due(now)) {
      const slow = pacer.slowDue(now);
      const ms = build(now, slow);
      now += ms;
      spent += ms;
      pacer.done(now, ms, slow);
      frames.push([now, slow]);
      askAt = now + 16.7;
    }
  }
  return { frames, share: spent / now, rate: (a, b) => frames.filter(([t]) => t >= a && t < b).length / ((b - a) / 1000) };
}

// The pacing this replaced, kept to show the scenario below reproduces the latch it had: the build
// time of regular frames only, and any frame 400 ms after the last slow one is slow.
function oldPacer() {
  let lastFrameAt = 0, lastBuildMs = 0, lastSlowAt = 0;
  return {
    due: (now) => frameDue(now, lastFrameAt, lastBuildMs, 1 / 16),   // the share it had
    slowDue: (now) => now - lastSlowAt > 400,
    done(now, ms, slow) { if (slow) lastSlowAt = now; else lastBuildMs = ms; lastFrameAt = now; },
  };
}

test('frames stay within their share of the worker time', () => {
  for (const buildMs of [0.2, 2, 15]) {
    // Regular frames only (the slow views cost nothing extra): the share holds, frames come.
    const r = simulate(createPacer(), () => buildMs, 60000);
    assert.ok(r.share <= FRAME_SHARE * 1.05, `build ${buildMs} ms: share ${r.share}`);
    assert.ok(r.share >= Math.min(FRAME_SHARE, buildMs / 20) * 0.5, `build ${buildMs} ms: frames starved`);
    for (const extraMs of [5, 40, 300]) {
      // Expensive slow views: together within a share and a half; they still come, less often.
      const s = simulate(createPacer(), (t, slow) => buildMs + (slow ? extraMs : 0), 60000);
      assert.ok(s.share <= (FRAME_SHARE + SLOW_SHARE) * 1.05, `build ${buildMs} + ${extraMs} ms: share ${s.share}`);
      const slowFrames = s.frames.filter(([, slow]) => slow).length;
      assert.ok(slowFrames >= 60000 / Math.max(SLOW_EVERY_MS * 1.5, 1.2 * extraMs * (1 / SLOW_SHARE - 1)),
        `build ${buildMs} + ${extraMs} ms: ${slowFrames} slow frames in 60 s`);
      assert.ok(s.rate(10000, 60000) >= 0.8 * r.rate(10000, 60000), `build ${buildMs} + ${extraMs} ms: regular frames kept their pace`);
    }
  }
  assert.equal(frameDue(100, 0, 0), true);              // nothing measured yet: due
  assert.equal(frameDue(100, 90, 2), false);            // 10 ms after a 2 ms frame: too soon
  assert.equal(frameDue(100, 60, 2), true);             // 40 ms after it: due
  assert.equal(frameDue(100, 90, NaN), true);           // garbage timing never blocks frames
  const p = createPacer();
  p.done(100, NaN, false);
  assert.equal(p.due(100 + MIN_FRAME_MS), true, 'garbage timing never blocks frames');
  assert.equal(p.due(100 + MIN_FRAME_MS - 1), false, 'at most one frame per display refresh');
});

test('one long frame does not latch the frame rate (issue 19)', () => {
  // Recorded in the soak: regular image frames of ~2 ms, slow ones ~6 ms, and once, after a minute,
  // a regular frame of 32.7 ms; afterwards the old pacing sent a frame every ~520 ms for good.
  const build = (t, slow) => (t > 60000 && t < 60030 ? 32.7 : slow ? 6 : 2);
  const before = (r) => r.rate(30000, 60000);
  const old = simulate(oldPacer(), build, 120000);
  assert.ok(old.rate(65000, 120000) < 0.2 * before(old), `the scenario latches the old pacing (${old.rate(65000, 120000)} frames/s)`);
  const now = simulate(createPacer(), build, 120000);
  assert.ok(before(now) >= 20, `${before(now)} frames/s before`);
  assert.ok(now.rate(61000, 120000) >= 0.95 * before(now), `recovered: ${now.rate(61000, 120000)} frames/s after, ${before(now)} before`);
  // Also when every build is slower for a while (a busy machine): the pace comes back after it.
  const busy = simulate(createPacer(), (t, slow) => (t > 60000 && t < 70000 ? 40 : 0) + (slow ? 6 : 2), 120000);
  assert.ok(busy.rate(71000, 120000) >= 0.95 * before(busy), `after a busy spell: ${busy.rate(71000, 120000)} frames/s`);
});

// An image model's loop: one chunk is one step of chunkMs; a frame costs baseMs, plus imagesMs when
// it carries the samples and reconstructions, plus slowMs with the slow views. paced: the worker asks
// the pacer whether the images are due (otherwise every frame has them, as before issue 19's fix).
function simulateImages(pacer, { chunkMs, baseMs, imagesMs, slowMs = 0, paced = true, spike = () => 0 }, untilMs) {
  let now = 0, spent = 0, askAt = 0, chunks = 0;
  const frames = [];   // [time, images]
  while (now < untilMs) {
    now += chunkMs;
    chunks++;
    if (now >= askAt && pacer.due(now)) {
      const slow = pacer.slowDue(now);
      const images = !paced || slow || pacer.imagesDue(now);
      const im = images ? imagesMs + spike(now) : 0;
      const ms = baseMs + im + (slow ? slowMs : 0);
      now += ms;
      spent += ms;
      pacer.done(now, ms, slow, paced && images ? im : undefined);
      frames.push([now, images]);
      askAt = now + 16.7;
    }
  }
  const rate = (a, b, onlyImages = false) => frames.filter(([t, im]) => t >= a && t < b && (!onlyImages || im)).length / ((b - a) / 1000);
  return { frames, share: spent / now, rate, chunks };
}

test('image views are paced by their own cost: cheap frames come between (issue 19)', () => {
  // The conv VAE in the page: one step ~45 ms, its images (64 samples and 8 reconstructions through
  // the conv decoder) 12 ms, the rest of a frame 0.3 ms, the latent scatter 3 ms more.
  const conv = { chunkMs: 45, baseMs: 0.3, imagesMs: 12, slowMs: 3 };
  const old = simulateImages(createPacer(), { ...conv, paced: false }, 60000);
  assert.ok(old.rate(10000, 60000) < 12, `every frame with images: ${old.rate(10000, 60000)} frames/s`);
  const now = simulateImages(createPacer(), conv, 60000);
  assert.ok(now.frames.length >= 0.97 * now.chunks, `${now.frames.length} frames after ${now.chunks} chunks`);
  assert.ok(now.rate(10000, 60000) >= 19, `${now.rate(10000, 60000)} frames/s`);
  assert.ok(now.rate(10000, 60000, true) >= 8, `${now.rate(10000, 60000, true)} image frames/s`);
  assert.ok(now.share <= (FRAME_SHARE + SLOW_SHARE) * 1.05, `share ${now.share}`);
  // Cheap images (an MLP decoder's, 1.5 ms) ride on every frame, as they did.
  const mlp = simulateImages(createPacer(), { chunkMs: 20, baseMs: 0.3, imagesMs: 1.5, slowMs: 2 }, 30000);
  assert.equal(mlp.frames.filter(([, im]) => !im).length, 0, 'an MLP VAE frame without its images');
  // One long image frame (a GC pause) spaces out the next images once, not for good.
  // (150 ms: long enough that its pause outlasts the slow views' 400 ms, which carry images too.)
  const spiked = simulateImages(createPacer(), { ...conv, spike: (t) => (t > 30000 && t < 30100 ? 150 : 0) }, 60000);
  assert.ok(spiked.rate(31000, 60000, true) >= 0.95 * spiked.rate(10000, 30000, true),
    `image frames after the spike: ${spiked.rate(31000, 60000, true)}/s, before ${spiked.rate(10000, 30000, true)}/s`);
  // Images are due at once when nothing is measured, and again after pay(imagesMs) of training.
  const p = createPacer();
  assert.equal(p.imagesDue(0), true);
  p.done(100, 12.3, false, 12);
  assert.equal(p.imagesDue(100 + 12 * (1 / FRAME_SHARE - 1) - 1), false);
  assert.equal(p.imagesDue(100 + 12 * (1 / FRAME_SHARE - 1)), true);
  p.done(200, 0.3, false);
  assert.equal(p.state().imagesMs, 12, 'a frame without images leaves their cost alone');
  assert.ok(Math.abs(p.state().regularMs - 0.3) < 1e-9, 'the images set no pace for the frames between');
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

test('metrics come quickly at first when cheap, then at most every second and within 2.5 % of the time', () => {
  // A small model (2 ms each): ten 0.1 s apart, the first included, then every second.
  const gaps = Array.from({ length: 12 }, (_, i) => nextEvalGap(i, 2));
  assert.deepEqual(gaps, [...Array(EARLY_EVALS).fill(100), 1000, 1000]);
  // Costly ones (an image VAE's 60 ms) never come sooner than 40× their cost, early or not.
  for (let i = 1; i < 12; i++) assert.equal(nextEvalGap(i, 60), 2400);
  assert.equal(nextEvalGap(3, 11), 1000);                  // just over the early bound
  assert.equal(nextEvalGap(5, 1000), 15000);               // at most 15 s apart
  // The first may carry one-time work: it sets the pace only when it took seconds.
  assert.equal(nextEvalGap(0, 200), 100);
  assert.equal(nextEvalGap(0, 2000), 3000);
});

test('an image VAE\'s bound alone: within 2.5 % of the time by its own cost, at most every second, never quick', () => {
  assert.equal(nextBoundGap(0), 1000);      // before its cost is known
  assert.equal(nextBoundGap(2), 1000);      // cheap: still at most every second (no quick start)
  assert.equal(nextBoundGap(25), 1000);
  assert.equal(nextBoundGap(35), 1400);     // the page's ~35 ms
  assert.equal(nextBoundGap(1000), 15000);
});

test('the IWAE bound: small VAEs after a run\'s quick first metrics, image VAEs when paused, never a GAN', () => {
  assert.equal(IWAE_K, 8);
  const k = (model, dim, playing) => Array.from({ length: EARLY_EVALS + 2 }, (_, i) => iwaeSamples(model, dim, playing, i));
  assert.deepEqual(k('vae', 2, true), [...Array(EARLY_EVALS).fill(0), 8, 8]);
  assert.deepEqual(k('vae', 100, true), [...Array(EARLY_EVALS).fill(0), 8, 8]);
  assert.deepEqual(k('vae', 101, true), Array(EARLY_EVALS + 2).fill(0));    // an image VAE while training
  assert.deepEqual(k('vae', 784, false), Array(EARLY_EVALS + 2).fill(8));   // paused: always
  assert.deepEqual(k('vae', 2, false), Array(EARLY_EVALS + 2).fill(8));
  for (const model of ['gan', 'vaegan', undefined]) {
    assert.deepEqual(k(model, 2, true), Array(EARLY_EVALS + 2).fill(0), String(model));
    assert.deepEqual(k(model, 784, false), Array(EARLY_EVALS + 2).fill(0), String(model));
  }
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

test('errors keep the key the core gave them; nothing is parsed from the text', () => {
  const e = Object.assign(new Error("lr: '-1' is not valid; expected …"), { key: 'lr', kind: 'config' });
  assert.deepEqual(errorInfo(e), { message: "lr: '-1' is not valid; expected …", key: 'lr', i18n: null });
  // A message that merely looks like "key: …" has no key unless the core attached one.
  assert.deepEqual(errorInfo(new Error('batch: 7 is not a multiple of pack = 2')), { message: 'batch: 7 is not a multiple of pack = 2', key: null, i18n: null });
  assert.deepEqual(errorInfo('something broke'), { message: 'something broke', key: null, i18n: null });
  assert.deepEqual(errorInfo(undefined), { message: 'unknown error', key: null, i18n: null });
  // Errors raised in the worker itself carry a catalog key for the page to word them.
  assert.deepEqual(errorInfo(Object.assign(new Error(), { i18n: 'points.batch_unfit' })).i18n, 'points.batch_unfit');
  assert.equal(errorMessage(new Error('x')), 'x');
  assert.equal(errorMessage(12345), 'internal error (code 12345)');
  assert.equal(errorMessage(null), 'unknown error');
});

test('divergence advice names the settings the model kind has', () => {
  const gan = ['g_lr', 'd_lr', 'loss', 'clip_norm', 'batch'];
  assert.match(divergenceAdvice({ model: 'gan', g_lr: '0.5', d_lr: '0.2', loss: 'wgan' }, gan), /g_lr = 0\.5, d_lr = 0\.2.*wgan.*clip_norm/);
  assert.doesNotMatch(divergenceAdvice({ g_lr: '0.5' }, gan), /β/);
  const vae = ['lr', 'beta', 'likelihood'];
  assert.match(divergenceAdvice({ model: 'vae', lr: '3', beta: '1', likelihood: 'auto' }, vae), /lr = 3.*β \(1\)/);
  assert.doesNotMatch(divergenceAdvice({ lr: '3' }, vae), /loss than/);
  assert.match(divergenceAdvice({ model: 'vae' }, vae), /press Reset\.$/);
  assert.match(divergenceAdvice({ model: 'vae' }, vae, 200), /back at its last good state \(step 200\)/);
});

// A stand-in for the wasm Session with the RunInfo the core would report for it.
function fakeSession({ image = false, throwOn = '', views = ['data', 'field', 'arrows', 'warp'] } = {}) {
  const calls = [];
  const dim = image ? 196 : 2;
  const arr = (name, n) => {
    calls.push(name);
    if (name === throwOn) throw new Error(`${name} failed`);
    return new Float32Array(n).fill(0.5);
  };
  const info = { image, dataDim: dim, side: image ? 14 : 0, latent: 2, probability: true, box: [-1, 1, -2, 2], views };
  return {
    calls,
    info,
    steps: () => 42,
    realSamples: (n) => arr('realSamples', n * dim),
    samples: (n) => arr('samples', n * dim),
    history: () => ({ channels: ['d_loss', 'g_loss'], data: arr('history', 6) }),
    discriminatorField: (x0, x1, y0, y1, res) => {
      calls.push(`box ${x0} ${x1} ${y0} ${y1}`);
      return arr('discriminatorField', res * res);
    },
    generatorGradients: (n) => arr('generatorGradients', 2 * n),
    noiseGridWarp: (r) => arr('noiseGridWarp', 2 * r * r),
    reconstructions: (n) => ({ inputs: arr('reconstructions', n * dim), outputs: new Float32Array(n * dim) }),
    latentCodes: (n) => { calls.push('latentCodes'); return { codes: new Float32Array(n * 2), labels: new Uint8Array(n), dim: 2 }; },
    latentGrid: (res) => arr('latentGrid', res * res * 196),
    interpolate: (i, j, s) => arr('interpolate', s * 196),
  };
}

test('a 2-D GAN frame makes one call per offered view and copies every array', () => {
  const s = fakeSession();
  const f = buildFrame(s, { have: 3, field: true, arrows: true, grid: false }, s.info, 3);
  assert.deepEqual(s.calls.filter((c) => c === 'discriminatorField'), ['discriminatorField']);
  assert.ok(s.calls.includes('box -1 1 -2 2'), 'the heatmap covers the data box the core reported');
  assert.ok(!s.calls.includes('noiseGridWarp'));
  assert.ok(!s.calls.includes('realSamples'), 'static data only when the page lacks it');
  assert.ok(f.field instanceof Float32Array && f.field.length === f.fieldRes ** 2);
  assert.ok(f.gradients && f.samples);
  assert.deepEqual(f.history.channels, ['d_loss', 'g_loss']);
  assert.ok(f.history.data instanceof Float32Array && f.history.data.length === 6);
  const g = buildFrame(s, { have: 2, grid: true }, s.info, 3);
  assert.ok(g.real && g.warp);
  assert.equal(g.field, undefined);
});

test('a view the model does not offer is never asked for, even when toggled on', () => {
  const s = fakeSession({ views: ['data', 'recon_links', 'latent'] });
  const f = buildFrame(s, { have: 0, field: true, arrows: true, grid: true, recon: true }, s.info, 0);
  for (const c of ['discriminatorField', 'generatorGradients', 'noiseGridWarp']) assert.ok(!s.calls.includes(c), c);
  assert.ok(f.recon && f.latent);
  const off = fakeSession({ views: ['data', 'recon_links'] });
  buildFrame(off, { have: 0, recon: false }, off.info, 0);
  assert.ok(!off.calls.includes('reconstructions'), 'the 2-D reconstruction links follow their toggle');
});

test('an image VAE frame holds the slow views only when asked', () => {
  const s = fakeSession({ image: true, views: ['samples', 'recon', 'latent', 'manifold', 'interp'] });
  const fast = buildFrame(s, { have: 1, interp: true }, s.info, 1, false);
  assert.ok(fast.samples && fast.recon && !fast.latent && !fast.manifold && !fast.interp);
  assert.equal(fast.samples.length, 64 * 196);
  const slow = buildFrame(s, { have: 1, interp: true }, s.info, 1, true);
  assert.ok(slow.latent && slow.manifold && slow.interp);
  const z1 = buildFrame(s, { have: 1 }, { ...s.info, latent: 1 }, 1, true);
  assert.equal(z1.manifold, undefined, 'no 2-D manifold for a 1-D latent');
});

test('an image frame without its image views asks for neither; a 2-D frame always has its samples', () => {
  const s = fakeSession({ image: true, views: ['samples', 'recon', 'latent'] });
  const cheap = buildFrame(s, { have: 1 }, s.info, 1, false, undefined, false);
  assert.ok(!s.calls.includes('samples') && !s.calls.includes('reconstructions'), s.calls.join());
  assert.ok(cheap.history && cheap.samples === undefined && cheap.recon === undefined && cheap.imagesMs === undefined);
  const full = buildFrame(s, { have: 1 }, s.info, 1, false, undefined, true);
  assert.ok(full.samples && full.recon);
  assert.ok(Number.isFinite(full.imagesMs) && full.imagesMs >= 0);
  const d2 = fakeSession({ views: ['data', 'recon_links'] });
  const f2 = buildFrame(d2, { have: 1, recon: true }, d2.info, 1, false, undefined, false);
  assert.ok(f2.samples && f2.recon, 'a 2-D model ignores images = false');
  assert.equal(f2.imagesMs, undefined);
});

test('a failing view is reported and the rest of the frame goes out', () => {
  const s = fakeSession({ throwOn: 'generatorGradients' });
  const f = buildFrame(s, { have: 0, field: true, arrows: true }, s.info, 0);
  assert.match(f.viewErrors.gradients, /generatorGradients failed/);
  assert.ok(f.samples && f.field);
  assert.deepEqual(latentDims({ latX: 5, latY: 9 }, 4), [0, 1]);
  assert.deepEqual(latentDims({ latX: 2, latY: 3 }, 4), [2, 3]);
});

test('returned buffers carry the next frames: a frame of the same sizes allocates nothing new', () => {
  const s = fakeSession({ image: true, views: ['samples', 'recon', 'latent', 'manifold', 'interp'] });
  const a = buildFrame(s, { have: 1, interp: true }, s.info, 1, true);
  const mine = viewBuffers(a);
  assert.ok(mine.size >= 5, 'samples, recon inputs and outputs, latent codes, manifold, interp');
  assert.ok(!mine.has(a.history.data.buffer), 'the history stays with the page (persist keeps it)');
  giveBack([...mine, new ArrayBuffer(6), 'junk', null]);   // odd sizes and non-buffers are ignored
  const b = buildFrame(s, { have: 1, interp: true }, s.info, 1, true);
  const reused = [...viewBuffers(b)].filter((x) => mine.has(x));
  assert.equal(reused.length, mine.size, 'every view of the second frame sits on a returned buffer');
  assert.deepEqual([...b.samples], [...a.samples], 'and holds the same values');
  assert.deepEqual(poolSizes(), {});
  giveBack(Array.from({ length: 9 }, () => new ArrayBuffer(64)));
  assert.deepEqual(poolSizes(), { 64: 4 }, 'at most four of a size are kept');
});

test('releasable: the views of replaced frames, minus those the current frame still shows', () => {
  const buf = (n) => new Float32Array(n);
  const latent = { codes: buf(4), labels: new Uint8Array(2), dim: 2 };
  const older = { samples: buf(8), latent, recon: { inputs: buf(3), outputs: buf(3) } };
  const old = { samples: buf(8), latent, history: { channels: [], data: buf(2) } };
  const now = { samples: buf(8), latent };   // latent carried over (a slow view): shared
  const out = releasable([older, old], now);
  assert.equal(out.length, 4);
  for (const b of [older.samples.buffer, old.samples.buffer, older.recon.inputs.buffer, older.recon.outputs.buffer]) assert.ok(out.includes(b));
  assert.ok(!out.includes(latent.codes.buffer) && !out.includes(now.samples.buffer) && !out.includes(old.history.data.buffer));
});
