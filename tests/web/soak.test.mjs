// Memory discipline of the wasm module under node (short versions of the soak runs in
// bench/soak.mjs): no growth of the malloc heap after warm-up while training or reconfiguring,
// and every Session the caller creates is gone after delete().
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadGenlab } from './load_module.mjs';

const M = await loadGenlab();
const ring = { model: 'gan', dataset: 'ring8', g_hidden: '32,32', d_hidden: '32,32', batch: 64, pack: 1 };
const SLACK = 64 * 1024;  // allocator bookkeeping may move a little; a leak per step would not fit

test('sessions are counted and released by delete()', () => {
  const before = M.liveSessions();
  const made = [new M.Session(), new M.Session(), new M.Session()];
  assert.equal(M.liveSessions(), before + 3);
  for (const s of made) s.delete();
  assert.equal(M.liveSessions(), before);
});

test('training does not grow the heap after warm-up', () => {
  const s = new M.Session();
  try {
    s.configure(ring);
    // One "frame" of the page: a chunk of training, then the views. Layer buffers keep the size
    // of the last batch they saw, so heap use is compared after identical call sequences.
    const frame = () => {
      s.train(2000);
      s.samples(256); s.discriminatorField(-1.5, 1.5, -1.5, 1.5, 64); s.history(); s.evaluate(0);
    };
    frame(); frame();                   // warm-up: buffers, history, checkpoints reach full size
    const warm = M.heapStats().used;
    for (let i = 0; i < 10; ++i) frame();
    const after = M.heapStats().used;
    assert.ok(after - warm < SLACK, `heap grew by ${after - warm} bytes over 20,000 steps`);
  } finally {
    s.delete();
  }
});

test('reconfiguring 1,000 times leaks nothing', () => {
  const s = new M.Session();
  try {
    const configs = [ring, { model: 'vae', dataset: 'moons', enc_hidden: '16', dec_hidden: '16', batch: 32 }];
    for (let i = 0; i < 50; ++i) { s.configure(configs[i % 2]); s.train(3); }
    const warm = M.heapStats().used;
    for (let i = 0; i < 1000; ++i) { s.configure(configs[i % 2]); s.train(3); }
    const after = M.heapStats().used;
    assert.ok(after - warm < SLACK, `heap grew by ${after - warm} bytes over 1,000 reconfigurations`);
  } finally {
    s.delete();
  }
});

test('a bad configuration or model file leaves no garbage behind', () => {
  const s = new M.Session();
  try {
    s.configure(ring);
    s.train(10);
    const file = s.saveModel();
    for (let i = 0; i < 20; ++i) {
      assert.throws(() => s.configure({ ...ring, batch: 'abc' }), /batch/);
      assert.throws(() => s.loadModel(file.subarray(0, file.length - 1)), /model file/);
    }
    const warm = M.heapStats().used;
    for (let i = 0; i < 200; ++i) {
      assert.throws(() => s.configure({ ...ring, lr: -1 }), /lr/);
      assert.throws(() => s.loadModel(file.subarray(0, 50)), /model file/);
    }
    assert.ok(M.heapStats().used - warm < SLACK);
    assert.equal(s.steps(), 10);
  } finally {
    s.delete();
  }
});
