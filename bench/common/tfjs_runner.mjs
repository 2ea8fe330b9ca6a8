// The TF.js side of the runner protocol (protocol.mjs), shared by node (tfjs-wasm-node,
// tfjs-cpu-node) and the Chromium worker (tfjs-wasm-chromium). Pure ES module; `tf` is passed in
// with its backend already set.
import { CHUNK_TARGET_MS, runFor } from './protocol.mjs';
import { makeBatches } from './data.mjs';
import { makeModel } from './tfjs_models.mjs';

// workloads: the `workloads` object of bench/workloads.json. loadBytes(file) → Promise<Uint8Array>.
// between(): optional, awaited after every ~20 ms chunk (the browser worker yields there).
export function tfjsRunner(tf, { workloads, loadBytes, between }) {
  let model = null, batches = null;
  let gemm = null;  // { a, b, ta, tb }

  function reset() {
    model = batches = null;
    if (gemm) tf.dispose([gemm.a, gemm.b]);
    gemm = null;
    tf.disposeVariables();  // the model's weights and the optimizers' moments
  }

  // Steps for ~20 ms; returns [steps, mean a, mean b] over them.
  function trainChunk() {
    let n = 0, a = 0, b = 0;
    const t0 = performance.now();
    do {
      const [, la, lb] = model.step(batches.next());
      n++, a += la, b += lb;
    } while (performance.now() - t0 < CHUNK_TARGET_MS);
    return [n, a / n, b / n];
  }

  return {
    info: () => ({ backend: tf.getBackend(), version: tf.version_core }),
    async setup({ name }) {
      const w = workloads[name];
      if (!w) throw new Error(`unknown workload '${name}'`);
      reset();
      batches = await makeBatches(w, loadBytes);
      model = makeModel(tf, w);
    },
    gemm({ M, K, N, form }) {
      reset();
      const ta = form[0] === 'T', tb = form[1] === 'T';
      gemm = {
        a: tf.randomUniform(ta ? [K, M] : [M, K], -1, 1),
        b: tf.randomUniform(tb ? [N, K] : [K, N], -1, 1),
        ta, tb, flop: 2 * M * N * K,
      };
    },
    async run(seconds) {
      if (gemm) return runGemm(seconds);
      if (!model) throw new Error('run: send setup or gemm first');
      return runFor(seconds, trainChunk, between);
    },
  };

  // tf.matMul until `seconds` have passed. The wasm and cpu backends run each kernel
  // synchronously inside the call; the last product is read back (dataSync) before the clock stops.
  function runGemm(seconds) {
    const { a, b, ta, tb, flop } = gemm;
    let calls = 0;
    const t0 = performance.now();
    for (;;) {
      const c = tf.matMul(a, b, ta, tb);
      calls++;
      const done = performance.now() - t0 >= seconds * 1000;
      if (done) c.dataSync();
      c.dispose();
      if (done) break;
    }
    return { units: calls, seconds: (performance.now() - t0) / 1000, flop_per_unit: flop, chunks: [] };
  }
}
