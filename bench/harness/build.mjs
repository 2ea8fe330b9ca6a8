// What bench/compare builds before it measures, all in its own directories:
//   build/bench-native   cmake preset "native": bench_runner, bench_phases (+ the image data sets)
//   build/bench-wasm     cmake preset "wasm":   genlab.mjs/.wasm (the real module), bench_runner.mjs,
//                        bench_phases.js
//   build/bench-wasm/tfjs  esbuild bundles of common/tfjs_entry.mjs for node and the browser
// Build output goes to stderr; stdout stays JSON lines.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function paths(root) {
  const build = path.join(root, 'build');
  return {
    root,
    native: path.join(build, 'bench-native'),
    wasm: path.join(build, 'bench-wasm'),
    tfjs: path.join(build, 'bench-wasm', 'tfjs'),
    data: path.join(build, 'data'),
    tfjsWasmFiles: path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist'),
  };
}

function run(cmd, args, cwd) {
  process.stderr.write(`$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 2, 2] });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

function cmakeBuild(p, preset, dir, targets) {
  if (!existsSync(path.join(dir, 'CMakeCache.txt'))) {
    run('cmake', ['--preset', preset, '-B', dir, '-DGENLAB_BUILD_TESTS=OFF'], p.root);
  }
  run('cmake', ['--build', dir, '--target', ...targets], p.root);
}

export async function bundleTfjs(p) {
  const { build } = await import('esbuild');
  const entry = path.join(p.root, 'bench', 'common', 'tfjs_entry.mjs');
  const common = { entryPoints: [entry], bundle: true, format: 'esm', logLevel: 'warning', absWorkingDir: p.root };
  // Under node the wasm backend's Emscripten glue wants CommonJS require/__dirname.
  const nodeBanner = "import { createRequire as __cr } from 'node:module'; import { dirname as __dn } from 'node:path';" +
    " import { fileURLToPath as __fu } from 'node:url'; const require = __cr(import.meta.url);" +
    ' const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);';
  await build({ ...common, platform: 'node', mainFields: ['module', 'main'], banner: { js: nodeBanner },
                outfile: path.join(p.tfjs, 'tfjs-node.mjs') });
  await build({ ...common, platform: 'browser', outfile: path.join(p.tfjs, 'tfjs-browser.mjs') });
}

// Builds what the selected systems need. Image data sets are built (by the native tree) when missing.
export async function buildAll(p, systems, { needImages }) {
  const has = (prefix) => systems.some((s) => s.startsWith(prefix));
  const nativeTargets = [];
  if (systems.includes('genlab-native')) nativeTargets.push('bench_runner', 'bench_phases');
  if (needImages && !existsSync(path.join(p.data, 'index.json'))) nativeTargets.push('genlab_data');
  if (nativeTargets.length) cmakeBuild(p, 'native', p.native, nativeTargets);
  if (has('genlab-wasm')) cmakeBuild(p, 'wasm', p.wasm, ['genlab_wasm', 'bench_runner', 'bench_phases']);
  if (has('tfjs')) await bundleTfjs(p);
}
