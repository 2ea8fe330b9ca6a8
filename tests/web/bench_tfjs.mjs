// Shared by the tests of bench/'s TF.js re-implementations (bench_tfjs_preset, bench_workloads):
// TF.js on its cpu backend in node, and GenLab's own parameter count for a set of settings.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { www } from './load_module.mjs';
import { bundleTfjs } from '../../bench/harness/build.mjs';
import { isImageData } from '../../bench/common/data.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A data file of the built page (www/data), as bytes.
export const dataFile = (f) => new Uint8Array(readFileSync(path.join(www, 'data', f)));

// TF.js's ES modules do not load in node as they are: the bench's own bundle of them
// (bench/common/tfjs_entry.mjs, esbuild), made in a temporary folder, on the cpu backend.
export async function tfjsCpu() {
  const out = mkdtempSync(path.join(tmpdir(), 'genlab-tfjs-'));
  await bundleTfjs({ root: ROOT, tfjs: out });
  const tf = await import(pathToFileURL(path.join(out, 'tfjs-node.mjs')).href);
  rmSync(out, { recursive: true, force: true });
  await tf.setBackend('cpu');
  return tf;
}

// GenLab's parameter count for `settings` (M: the loaded module).
export function genlabParameters(M, settings) {
  const s = new M.Session();
  try {
    if (isImageData(settings.dataset)) {
      s.provideImages(settings.dataset, dataFile(`${settings.dataset}-train.glds`), dataFile(`${settings.dataset}-test.glds`));
    }
    s.configure(settings);
    return s.info().parameters;
  } finally {
    s.delete();
  }
}
