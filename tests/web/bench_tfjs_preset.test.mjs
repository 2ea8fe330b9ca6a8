// The TF.js side of bench/time_to_quality.mjs --tfjs (bench/common/tfjs_vae_preset.mjs): the VAE
// presets re-written in TF.js have GenLab's parameter count and init ranges, a setting the TF.js
// side does not re-create is refused by name, and the model learns (TF.js's cpu backend in node:
// seed-vae's test −ELBO falls from ~100·ln 2 to below 45 in 300 steps on the real 10×10 MNIST).
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadGenlab, www } from './load_module.mjs';
import { bundleTfjs } from '../../bench/harness/build.mjs';
import { ImageBatches, parseGlds } from '../../bench/common/data.mjs';
import { makePresetVae, presetConfig } from '../../bench/common/tfjs_vae_preset.mjs';

// TF.js's ES modules do not load in node as they are: the bench's own bundle of them
// (bench/common/tfjs_entry.mjs, esbuild), made here in a temporary folder.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = mkdtempSync(path.join(tmpdir(), 'genlab-tfjs-'));
await bundleTfjs({ root: ROOT, tfjs: out });
const tf = await import(pathToFileURL(path.join(out, 'tfjs-node.mjs')).href);
rmSync(out, { recursive: true, force: true });
await tf.setBackend('cpu');
const M = await loadGenlab();
const file = (f) => new Uint8Array(readFileSync(path.join(www, 'data', f)));
const preset = (name) => M.presets().find((p) => p.name === name);

// GenLab's own parameter count for a preset.
function genlabParameters(name) {
  const p = preset(name);
  const s = new M.Session();
  try {
    s.provideImages(p.settings.dataset, file(`${p.settings.dataset}-train.glds`), file(`${p.settings.dataset}-test.glds`));
    s.configure(p.settings);
    return s.info().parameters;
  } finally {
    s.delete();
  }
}

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
  for (const [settings, word] of [
    [preset('ring8-gan').settings, /model=gan/],
    [{ ...preset('pytorch-vae').settings, beta: '4' }, /beta=4/],
    [{ ...preset('pytorch-vae').settings, binarize: 'true' }, /binarize=true/],
    [preset('mnist-conv-vae').settings, /net=conv/],
    [preset('mnist-cvae').settings, /conditional=true/],
    [{ ...preset('seed-vae').settings, momentum: '0.5' }, /momentum=0\.5/],
    [preset('ring8-vae').settings, /likelihood=gaussian/],
    [{ ...preset('pytorch-vae').settings, dataset: 'ring8' }, /dataset 'ring8'/],
  ]) {
    assert.throws(() => presetConfig(s, settings), word);
  }
  assert.equal(presetConfig(s, preset('seed-vae').settings).opt, 'rmsprop');
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
