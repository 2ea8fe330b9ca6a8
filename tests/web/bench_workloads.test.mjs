// bench/compare's workloads (bench/workloads.json) are the same networks on every side: for each
// workload the TF.js model of bench/common/tfjs_models.mjs has as many parameters as GenLab builds
// from the workload's own settings, and the conv workload (dcgan-lite, W5) has DCGAN's init and
// the right shapes — G gives (B, 784) pixels in (0, 1), D one score per image.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadGenlab } from './load_module.mjs';
import { ROOT, genlabParameters, tfjsCpu } from './bench_tfjs.mjs';
import { makeModel } from '../../bench/common/tfjs_models.mjs';
import { minSteps } from '../../bench/harness/checks.mjs';
import { SYSTEM_NAMES } from '../../bench/harness/options.mjs';

const { workloads } = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'workloads.json'), 'utf8'));
const tf = await tfjsCpu();
const M = await loadGenlab();

for (const [name, w] of Object.entries(workloads)) {
  test(`${name}: the TF.js model has GenLab's parameter count`, () => {
    tf.disposeVariables();
    const { vars } = makeModel(tf, w);
    assert.equal(vars.reduce((a, v) => a + v.size, 0), genlabParameters(M, w.genlab));
    tf.disposeVariables();
  });
}

test('every skip names a system of bench/compare with a reason, every check window is valid', () => {
  for (const [name, w] of Object.entries(workloads)) {
    for (const [system, why] of Object.entries(w.skip ?? {})) {
      assert.ok(SYSTEM_NAMES.includes(system), `${name}: skip names '${system}'`);
      assert.ok(typeof why === 'string' && why.length > 20, `${name}: a reason for skipping ${system}`);
    }
    assert.ok(minSteps(w.kind, w.check_window) > 0, name);
  }
});

test('dcgan-lite: DCGAN init, image-shaped G and one score per image from D', () => {
  const w = workloads['dcgan-lite'];
  assert.equal(w.genlab.init, 'dcgan');
  assert.equal(Number(w.genlab.beta1), w.beta1);
  tf.disposeVariables();
  const { vars } = makeModel(tf, w);
  // Weights (rank > 1) N(0, 0.02²), biases 0.
  for (const v of vars) {
    const x = v.dataSync();
    if (v.rank === 1) {
      assert.ok(x.every((e) => e === 0), 'biases start at 0');
      continue;
    }
    const mean = x.reduce((a, e) => a + e, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, e) => a + (e - mean) ** 2, 0) / x.length);
    assert.ok(Math.abs(sd - 0.02) < 0.004 && Math.abs(mean) < 0.004, `weights ${v.shape}: mean ${mean}, sd ${sd}`);
  }
  // Forward passes only: a whole step takes minutes on TF.js's cpu backend.
  const B = 3;
  const { G, D } = makeModel(tf, w).nets;
  const x = G.apply(tf.randomNormal([B, w.net.noise]));
  assert.deepEqual(x.shape, [B, 784]);
  const px = x.dataSync();
  assert.ok(px.every((v) => v > 0 && v < 1), 'sigmoid pixels');
  assert.deepEqual(D.apply(x).shape, [B, 1]);
  tf.disposeVariables();
});
