// The systems of bench/compare and how each is reached. Every runner answers the same text
// commands (common/protocol.mjs) with JSON objects: child processes over stdin/stdout, the two
// Chromium systems through the bench page (chromium.mjs).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';

// side: which column of the ratio table a system belongs to.
export function systemTable(p) {
  const node = process.execPath;
  const bench = path.join(p.root, 'bench');
  return {
    'genlab-native': { side: 'genlab', cmd: [path.join(p.native, 'bench', 'bench_runner'), '--data', p.data] },
    'genlab-wasm-node': {
      side: 'genlab',
      cmd: [node, '--no-experimental-fetch', path.join(bench, 'node', 'genlab_node.mjs'), '--build', p.wasm, '--data', p.data],
    },
    'genlab-wasm-chromium': { side: 'genlab', chromium: true },
    'tfjs-wasm-chromium': { side: 'tfjs', chromium: true },
    'tfjs-wasm-node': {
      side: 'tfjs',
      cmd: [node, path.join(bench, 'node', 'tfjs_node.mjs'), '--backend', 'wasm', '--tfjs',
            path.join(p.tfjs, 'tfjs-node.mjs'), '--data', p.data],
    },
    'tfjs-cpu-node': {
      side: 'tfjs',
      cmd: [node, path.join(bench, 'node', 'tfjs_node.mjs'), '--backend', 'cpu', '--tfjs',
            path.join(p.tfjs, 'tfjs-node.mjs'), '--data', p.data],
    },
    // BENCH_TORCH_BLAS=DIR: a folder holding another libblas.so.3 (e.g. OpenBLAS) for PyTorch only.
    'torch-native': {
      side: 'torch',
      cmd: ['/usr/bin/python3', path.join(bench, 'torch_runner.py'), '--data', p.data],
      env: process.env.BENCH_TORCH_BLAS
        ? { LD_LIBRARY_PATH: [process.env.BENCH_TORCH_BLAS, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') }
        : {},
    },
  };
}

// A runner in a child process: one command line in, one JSON line out, in order. Lines that are
// not replies (a library's banner) go to stderr. A dead process answers every call with an error.
export class ProcessRunner {
  // env: variables added to this process's environment for the child.
  constructor(name, [cmd, ...args], cwd, env = {}) {
    this.name = name;
    this.queue = [];
    this.dead = null;
    this.child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.on('error', (e) => this.fail(`${name}: could not start ${cmd}: ${e.message}`));
    this.child.on('exit', (code, sig) => this.fail(`${name}: the runner exited (${sig ?? `code ${code}`})`));
    this.child.stdin.on('error', () => {});  // a dead child: reported through 'exit'
    createInterface({ input: this.child.stderr }).on('line', (l) => process.stderr.write(`[${name}] ${l}\n`));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let reply = null;
      try {
        reply = JSON.parse(line);
      } catch { /* not a reply */ }
      if (reply && typeof reply === 'object' && 'ok' in reply && this.queue.length) this.queue.shift()(reply);
      else process.stderr.write(`[${name}] ${line}\n`);
    });
  }

  fail(message) {
    this.dead ??= message;
    for (const resolve of this.queue.splice(0)) resolve({ ok: false, error: message });
  }

  call(line) {
    if (this.dead) return Promise.resolve({ ok: false, error: this.dead });
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.child.stdin.write(`${line}\n`);
    });
  }

  close() {
    if (!this.dead) {
      this.dead = 'closed';
      this.child.stdin.end('quit\n');
    }
  }
}
