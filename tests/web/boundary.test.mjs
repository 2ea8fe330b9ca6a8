// The typed JS boundary of the module (wasm/genlab.d.ts): errors carry {key, kind}, records are
// plain objects with the documented fields, the registries reach JavaScript, and a model file can
// be inspected without loading it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadGenlab } from './load_module.mjs';

const M = await loadGenlab();
const caught = (fn) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
};

test('a bad setting throws an Error with its key and kind; checkConfig returns the same', () => {
  const s = new M.Session();
  try {
    const e = caught(() => s.configure({ lr: '-1' }));
    assert.ok(e instanceof Error);
    assert.equal(e.key, 'lr');
    assert.equal(e.kind, 'config');
    assert.deepEqual(M.checkConfig({ lr: '-1' }), { key: 'lr', message: e.message });
    assert.equal(M.checkConfig({ lr: '0.001' }), null);
    assert.equal(M.checkConfig({ model: 'nope' }).key, 'model');
    // Out of order and bad input are told apart from settings.
    assert.equal(caught(() => s.info()).kind, 'state');
    assert.equal(caught(() => s.setPoints(new Float32Array(3))).kind, 'input');
    assert.equal(caught(() => M.modelFileInfo(new Uint8Array(10))).kind, 'file');
    assert.equal(caught(() => M.modelFileInfo(new Uint8Array(10))).key, null);
  } finally {
    s.delete();
  }
});

test('the registries: data sets and model kinds come from the core', () => {
  const ds = M.datasets();
  const byName = new Map(ds.map((d) => [d.name, d]));
  for (const name of M.schema().find((f) => f.key === 'dataset').choices) assert.ok(byName.has(name), name);
  assert.deepEqual({ ...byName.get('ring8'), classNames: [] }, { ...byName.get('ring8'), kind: 'toy2d', dim: 2, side: 0, classNames: [] });
  const mnist = byName.get('mnist28');
  assert.equal(mnist.kind, 'image');
  assert.equal(mnist.dim, 784);
  assert.equal(mnist.side, 28);
  assert.equal(mnist.classNames.length, 10);
  const fashion = [...byName.values()].find((d) => d.name.startsWith('fashion'));
  assert.equal(fashion.classNames.length, 10);
  const kinds = M.modelKinds();
  assert.deepEqual(kinds.map((k) => k.name), M.schema().find((f) => f.key === 'model').choices);
  const gan = kinds.find((k) => k.name === 'gan');
  assert.deepEqual(Array.from(gan.parts), ['d', 'g']);
  assert.ok(Array.from(gan.views2d).includes('field'));
  const vae = kinds.find((k) => k.name === 'vae');
  assert.deepEqual(Array.from(vae.channels), ['loss', 'recon', 'kl']);
  assert.deepEqual(Array.from(vae.parts), []);
});

test('info, StepStats and history are records with the documented fields', () => {
  const s = new M.Session();
  try {
    s.configure({ model: 'gan', dataset: 'ring8', batch: '64', g_hidden: '32', d_hidden: '32' });
    const info = s.info();
    assert.equal(info.model, 'gan');
    assert.equal(info.image, false);
    assert.equal(info.dataDim, 2);
    assert.equal(info.probability, true);
    assert.ok(info.box instanceof Float32Array && info.box.length === 4 && info.box[0] < info.box[1]);
    assert.deepEqual(Array.from(info.parts), ['d', 'g']);
    const arch = JSON.parse(s.architecture());
    assert.equal(info.parameters, arch.parameters);
    assert.deepEqual(arch.nets.map((n) => n.name), ['G', 'D']);
    assert.equal(arch.nets.reduce((a, n) => a + n.parameters, 0), arch.parameters);
    assert.deepEqual(JSON.parse(M.architecture({ model: 'gan', dataset: 'ring8', batch: '64', g_hidden: '32', d_hidden: '32' })), arch);
    const st = s.train(5);
    for (const k of ['steps', 'totalSteps', 'epoch', 'finite', 'dLoss', 'gLoss', 'dReal', 'dFake', 'gGrad', 'dGrad']) assert.ok(k in st, k);
    assert.equal(st.steps, 5);
    assert.equal(st.totalSteps, 5);
    assert.ok(st.dLoss > 0 && st.gGrad > 0 && st.dGrad > 0);
    const d = s.trainPart('d', 3);
    assert.equal(d.gLoss, 0, 'a D-only step reports no G loss');
    assert.ok(d.dLoss > 0);
    assert.equal(caught(() => s.trainPart('q', 1)).kind, 'input');
    const h = s.history();
    assert.deepEqual(Array.from(h.channels), ['d_loss', 'g_loss', 'd_real']);
    assert.ok(h.data instanceof Float32Array && h.data.length % 4 === 0 && h.data.length > 0);
  } finally {
    s.delete();
  }
});

test('a saved model file is described without loading it', () => {
  const s = new M.Session();
  try {
    s.configure({ model: 'vae', dataset: 'ring8', batch: '32', latent: '2' });
    s.train(7);
    const bytes = s.saveModel();
    const info = M.modelFileInfo(bytes);
    assert.equal(info.kind, 'vae');
    assert.equal(info.steps, 7);
    assert.equal(info.config.dataset, 'ring8');
    assert.equal(info.config.batch, '32');
    const bad = bytes.slice();
    bad[bad.length - 1] ^= 0xff;
    assert.equal(caught(() => M.modelFileInfo(bad)).kind, 'file');
  } finally {
    s.delete();
  }
});
