// The TF.js side of bench/time_to_quality.mjs --tfjs (bench/common/tfjs_vae_preset.mjs,
// tfjs_gan_preset.mjs): the presets re-written in TF.js have GenLab's parameter count and init
// ranges, a setting the TF.js side does not re-create is refused by name, the VAE learns (TF.js's
// cpu backend in node: seed-vae's test −ELBO falls from ~100·ln 2 to below 45 in 300 steps on the
// real 10×10 MNIST); the GAN's mode metrics follow GenLab's definition on hand-made samples, its
// batch ramp and moving average follow GenLab's schedules, and a step moves G, D and the average.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadGenlab } from './load_module.mjs';
import { dataFile as file, genlabParameters as parametersOf, tfjsCpu } from './bench_tfjs.mjs';
import { ImageBatches, parseGlds } from '../../bench/common/data.mjs';
import { makePresetVae, presetConfig } from '../../bench/common/tfjs_vae_preset.mjs';
import { MIXTURES, emaDecayAt, ganConfig, makePresetGan, mixtureBatches, modeStats, rampBatch } from '../../bench/common/tfjs_gan_preset.mjs';

const tf = await tfjsCpu();
const M = await loadGenlab();
const preset = (name) => M.presets().find((p) => p.name === name);

// GenLab's own parameter count for a preset.
const genlabParameters = (name) => parametersOf(M, preset(name).settings);

for (const name of ['pytorch-vae', 'seed-vae']) {
  test(`${name}: the TF.js model has GenLab's parameter count and init`, () => {
    const cfg = presetConfig(M.schema(), preset(name).settings);
    tf.disposeVariables();
    const D = parseGlds(file(`${cfg.dataset}-test.glds`)).dim;
    const { vars } = makePresetVae(tf, cfg, D);
    const count = vars.reduce((a, v) => a + v.size, 0);
    assert.equal(count, genlabParameters(name), 'parameters');
    // The first layer: W (D, h) then b (h).
    const [W, b] = vars;
    assert.deepEqual(W.shape, [D, Number(cfg.enc_hidden.split(',')[0])]);
    const w = W.dataSync(), bias = b.dataSync();
    const h = W.shape[1];
    const bound = cfg.init === 'torch' ? 1 / Math.sqrt(D) : Math.sqrt(6 / (D + h));
    assert.ok(w.every((v) => Math.abs(v) <= bound), `W within ±${bound}`);
    assert.ok(w.reduce((m, v) => Math.max(m, Math.abs(v)), 0) > 0.9 * bound, 'W fills its range');
    if (cfg.init === 'torch') assert.ok(bias.some((v) => v !== 0) && bias.every((v) => Math.abs(v) <= bound), 'torch: b uniform');
    else assert.ok(bias.every((v) => v === 0), `${cfg.init}: b zero`);
    tf.disposeVariables();
  });
}

test('settings the TF.js side does not re-create are refused by name', () => {
  const s = M.schema();
  const either = (sch, settings) => (settings.model === 'gan' ? ganConfig : presetConfig)(sch, settings);
  for (const [settings, word] of [
    [preset('mnist-gan').settings, /dataset=mnist28/],
    [{ ...preset('ring8-gan').settings, loss: 'hinge' }, /loss=hinge/],
    [{ ...preset('pytorch-vae').settings, beta: '4' }, /beta=4/],
    [{ ...preset('pytorch-vae').settings, binarize: 'true' }, /binarize=true/],
    [preset('mnist-conv-vae').settings, /net=conv/],
    [preset('mnist-cvae').settings, /conditional=true/],
    [{ ...preset('seed-vae').settings, momentum: '0.5' }, /momentum=0\.5/],
    [preset('ring8-vae').settings, /likelihood=gaussian/],
    [{ ...preset('pytorch-vae').settings, dataset: 'ring8' }, /dataset 'ring8'/],
  ]) {
    assert.throws(() => either(s, settings), word);
  }
  assert.throws(() => presetConfig(s, preset('ring8-gan').settings), /model=gan/);
  assert.throws(() => ganConfig(s, preset('seed-vae').settings), /model=vae/);
  assert.equal(presetConfig(s, preset('seed-vae').settings).opt, 'rmsprop');
  assert.equal(ganConfig(s, preset('ring8-gan').settings).pack, '4');
});

test('seed-vae in TF.js learns: test −ELBO from ~69 to below 45 in 300 steps', () => {
  const cfg = presetConfig(M.schema(), preset('seed-vae').settings);
  const train = parseGlds(file('mnist10-train.glds'));
  const testSet = parseGlds(file('mnist10-test.glds'));
  const xTest = Float32Array.from(testSet.pixels, (v) => v / 255);
  tf.disposeVariables();
  const model = makePresetVae(tf, cfg, train.dim);
  const before = model.negElbo(xTest, testSet.count);
  const batches = new ImageBatches(train, Number(cfg.batch), 1);
  for (let i = 0; i < 300; i++) model.step(batches.next());
  const after = model.negElbo(xTest, testSet.count);
  assert.ok(before > 55 && before < 90, `−ELBO at init ${before}`);
  assert.ok(after < 45, `−ELBO after 300 steps ${after} (from ${before})`);
  tf.disposeVariables();
});

for (const name of ['ring8-gan', 'grid25-gan']) {
  test(`${name}: the TF.js GAN has GenLab's parameter count; a step moves G, D and G's average`, () => {
    const cfg = ganConfig(M.schema(), preset(name).settings);
    tf.disposeVariables();
    const gan = makePresetGan(tf, cfg);
    const count = [...gan.G, ...gan.D].reduce((a, v) => a + v.size, 0);
    assert.equal(count, genlabParameters(name), 'parameters');
    assert.deepEqual(gan.D[0].shape, [2 * Number(cfg.pack), Number(cfg.d_hidden.split(',')[0])], 'D reads packed samples');
    const snap = (vs) => vs.map((v) => Array.from(v.dataSync()));
    const [g0, d0, e0] = [snap(gan.G), snap(gan.D), snap(gan.ema)];
    assert.deepEqual(e0, g0, 'the average starts at G');
    assert.equal(gan.step(), rampBatch(cfg, 0));
    const moved = (a, b) => a.some((x, i) => x.some((v, j) => v !== b[i][j]));
    assert.ok(moved(snap(gan.G), g0) && moved(snap(gan.D), d0) && moved(snap(gan.ema), e0));
    // After one step the average is G's new weights mixed with the old by emaDecayAt(cfg, 1).
    const d = emaDecayAt(cfg, 1), g1 = snap(gan.G), e1 = snap(gan.ema);
    for (let i = 0; i < g1.length; i++) {
      for (let j = 0; j < g1[i].length; j += 97) assert.ok(Math.abs(e1[i][j] - (d * e0[i][j] + (1 - d) * g1[i][j])) < 1e-6);
    }
    const m = gan.metrics();
    assert.equal(m.modes_total, MIXTURES[cfg.dataset].means.length);
    assert.ok(m.hq >= 0 && m.hq <= 1);
    tf.disposeVariables();
  });
}

test('GAN schedules: the batch ramp and the moving average\'s warm-up', () => {
  const cfg = ganConfig(M.schema(), preset('ring8-gan').settings);   // 128 → 1024, every 6,000; warm-up 10
  assert.deepEqual([0, 5999, 6000, 12000, 17999, 18000, 1e6].map((t) => rampBatch(cfg, t)), [128, 128, 256, 512, 512, 1024, 1024]);
  const grid = ganConfig(M.schema(), preset('grid25-gan').settings);   // 256 → 1024, every 15,000
  assert.deepEqual([0, 14999, 15000, 29999, 30000, 1e6].map((t) => rampBatch(grid, t)), [256, 256, 512, 512, 1024, 1024]);
  assert.equal(emaDecayAt(cfg, 1), 2 / 11);
  assert.equal(emaDecayAt(cfg, 100), 101 / 110);
  assert.equal(emaDecayAt(cfg, 1e6), 0.9995);
});

test('mode metrics: nearest mode, high quality within 3σ inclusive, NaN never high quality', () => {
  const ring = MIXTURES.ring8;
  assert.equal(ring.means.length, 8);
  const s = ring.sigma;
  // One sample on each mode: all covered, all high quality.
  assert.deepEqual(modeStats(Float32Array.from(ring.means.flat()), ring), { modes: 8, modes_total: 8, hq: 1 });
  // Mode 0 at (1, 0): 2.9σ away is high quality, 3.1σ is not; a NaN sample counts in n only.
  const near = [1 + 2.9 * s, 0, 1 - 3.1 * s, 0, NaN, 0, 1, 0];
  assert.deepEqual(modeStats(Float32Array.from(near), ring), { modes: 1, modes_total: 8, hq: 0.5 });
  // grid25 (σ 0.05): the corners and the centre; 0.2 from the centre is beyond 3σ.
  const g = MIXTURES.grid25;
  assert.deepEqual(g.means[0], [-4, -4]);
  assert.deepEqual(g.means[24], [4, 4]);
  assert.deepEqual(modeStats(Float32Array.from([-4, -4, 4, 4, 0, 0, 0.2, 0]), g), { modes: 3, modes_total: 25, hq: 0.75 });
  // The sampler: every mode drawn, ~98.9 % within 3σ (1 − e^−4.5 for an isotropic 2-D Gaussian).
  const x = mixtureBatches('grid25', 3)(20000);
  const st = modeStats(x, g);
  assert.equal(st.modes, 25);
  assert.ok(Math.abs(st.hq - (1 - Math.exp(-4.5))) < 0.004, `hq ${st.hq}`);
});

test('the marks as bounds: −ELBO and the largest class share at most, the rest at least', async () => {
  const { MARKS } = await import('../../bench/time_to_quality.mjs');
  const met = (name, m) => MARKS[name].met(m);
  assert.ok(met('ring8-gan', { modes: 8, hq: 0.9 }) && !met('ring8-gan', { modes: 7, hq: 1 }) && !met('ring8-gan', { modes: 8, hq: 0.899 }));
  assert.ok(met('grid25-gan', { modes: 24, hq: 0.8 }) && !met('grid25-gan', { modes: 23, hq: 0.95 }));
  assert.ok(met('pytorch-vae', { test_neg_elbo: 125 }) && !met('pytorch-vae', { test_neg_elbo: 125.01 }));
  assert.ok(!met('seed-vae', { test_neg_elbo: NaN }), 'NaN never meets a mark');
  assert.ok(met('mnist-gan', { classifier_score: 6, class_max_fraction: 0.25 }));
  assert.ok(!met('mnist-gan', { classifier_score: 7, class_max_fraction: 0.26 }) && !met('mnist-gan', { classifier_score: 5.9, class_max_fraction: 0.1 }));
});
