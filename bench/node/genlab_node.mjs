// Runner process for `genlab-wasm-node`: the real Embind module (genlab.mjs) for training and
// bench_runner.mjs for GEMM, both from a wasm build directory, speaking the runner protocol over
// stdin/stdout.
//   node --no-experimental-fetch bench/node/genlab_node.mjs --build build/bench-wasm --data build/data
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeHandler } from '../common/protocol.mjs';
import { genlabRunner } from '../common/genlab_runner.mjs';
import { loadEmscriptenModule } from './emscripten_esm.mjs';
import { option, serveStdio } from './stdio.mjs';

const build = path.resolve(option('build', 'build/bench-wasm'));
const data = path.resolve(option('data', 'build/data'));
const M = await loadEmscriptenModule(path.join(build, 'genlab.mjs'));
const R = await loadEmscriptenModule(path.join(build, 'bench', 'bench_runner.mjs'));
const loadBytes = async (file) => new Uint8Array(await readFile(path.join(data, file)));
await serveStdio(makeHandler(genlabRunner({ M, R, loadBytes })));
