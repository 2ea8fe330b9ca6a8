// tfjs-wasm-chromium: TensorFlow.js 4.22 (core + gradients + wasm backend, the esbuild bundle of
// common/tfjs_entry.mjs) in a module worker, single-threaded (the page is not cross-origin
// isolated, and the threads flag is forced off), its .wasm files served from node_modules.
// Training yields to the message queue every ~20 ms, like the genlab worker.
import * as tf from '/build/tfjs/tfjs-browser.mjs';
import { makeHandler } from '../common/protocol.mjs';
import { tfjsRunner } from '../common/tfjs_runner.mjs';
import { yieldToQueue } from '../common/yield_queue.mjs';

const loadBytes = async (file) => {
  const r = await fetch(`/data/${file}`);
  if (!r.ok) throw new Error(`could not load /data/${file} (${r.status})`);
  return new Uint8Array(await r.arrayBuffer());
};


try {
  tf.setWasmPaths('/tfjs-wasm/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const workloads = (await (await fetch('/bench/workloads.json')).json()).workloads;
  const runner = tfjsRunner(tf, { workloads, loadBytes, between: yieldToQueue });
  const handle = makeHandler({ ...runner, info: () => ({ ...runner.info(), simd, threads: tf.getThreadsCount() }) });
  self.onmessage = async (e) => {
    const m = e.data;
    if (m.type === 'call') self.postMessage({ type: 'reply', id: m.id, reply: await handle(m.line) });
  };
  self.postMessage({ type: 'ready' });
} catch (e) {
  self.postMessage({ type: 'fatal', message: `tfjs worker: ${e?.message ?? e}` });
}
