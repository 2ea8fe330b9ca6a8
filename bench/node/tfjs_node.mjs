// Runner process for `tfjs-wasm-node` and `tfjs-cpu-node`: TensorFlow.js 4.22 (the bundle of
// common/tfjs_entry.mjs that bench/compare builds) with one backend, single-threaded, speaking
// the runner protocol over stdin/stdout.
//   node bench/node/tfjs_node.mjs --tfjs build/bench-wasm/tfjs/tfjs-node.mjs --backend wasm|cpu --data build/data
// The wasm backend's binaries are read from node_modules/@tensorflow/tfjs-backend-wasm/dist;
// threads are off (the backend never uses them under node, and the flag is forced off too).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeHandler } from '../common/protocol.mjs';
import { tfjsRunner } from '../common/tfjs_runner.mjs';
import { option, serveStdio } from './stdio.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const backend = option('backend', 'wasm');
const data = path.resolve(option('data', 'build/data'));
const tf = await import(pathToFileURL(path.resolve(option('tfjs', 'build/bench-wasm/tfjs/tfjs-node.mjs'))).href);
tf.setWasmPaths(`${path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')}/`);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend '${backend}' did not initialise`);
await tf.ready();
const workloads = JSON.parse(await readFile(path.join(here, '..', 'workloads.json'), 'utf8')).workloads;
const loadBytes = async (file) => new Uint8Array(await readFile(path.join(data, file)));
const runner = tfjsRunner(tf, { workloads, loadBytes });
const simd = backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : false;
const handler = makeHandler({ ...runner, info: () => ({ ...runner.info(), simd }) });
await serveStdio(handler);
