// TensorFlow.js (the wasm backend, the bundle bench/compare builds) training one workload of
// bench/workloads.json on `threads` threads (1: the single-threaded SIMD build, the multithreading
// flag forced off; 2: the threaded SIMD build with setThreadsCount(2), which needs the page to be
// cross-origin isolated). Reports steps/s of three timed rounds after a 2 s warm-up, as worker.js.
//
// Why hardwareConcurrency is raised before TF.js starts: its threaded build sizes its thread pool as
// min(asked, navigator.hardwareConcurrency / 2) (tfjs-backend-wasm's backend.cc assumes two logical
// cores per physical core), so on a 2-core machine setThreadsCount(2) still gave one thread. Here
// the worker's navigator claims at least twice as many logical cores as threads asked for, so that
// TF.js takes them; the worker reports the threads TF.js then used (getThreadsCount), and the
// bench prints any shortfall beside the figures.
import * as tf from './tfjs/tfjs-browser.mjs';
import { tfjsRunner } from './common/tfjs_runner.mjs';
import { timedRounds, yieldToQueue } from './rounds.js';

const q = new URL(self.location.href).searchParams;
const name = q.get('workload');
const threads = Number(q.get('threads'));
const seconds = Number(q.get('seconds'));
const module = `tfjs-wasm-${threads}t`;

try {
  tf.setWasmPaths(new URL('./tfjs-wasm/', self.location.href).href);
  if (threads > 1) {
    const cores = Math.max(navigator.hardwareConcurrency, 2 * threads);
    Object.defineProperty(Object.getPrototypeOf(navigator), 'hardwareConcurrency', { get: () => cores, configurable: true });
    tf.setThreadsCount(threads);
  }
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tf.ready();
  const workloads = (await (await fetch('./workloads.json')).json()).workloads;
  const loadBytes = async (f) => new Uint8Array(await (await fetch(`./data/${f}`)).arrayBuffer());
  const runner = tfjsRunner(tf, { workloads, loadBytes, between: yieldToQueue });
  await runner.setup({ name });
  const rounds = await timedRounds(runner, seconds);
  const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  postMessage({ module, threads: tf.getThreadsCount(), threaded, isolated: self.crossOriginIsolated, rounds });
} catch (e) {
  postMessage({ module, error: String(e?.message ?? e) });
}
