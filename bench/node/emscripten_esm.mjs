// Loads an Emscripten 3.1.6 ES-module build (MODULARIZE + EXPORT_ES6) under node. Its glue still
// uses CommonJS `require`/`__dirname` in the node branch and fetch() on file paths, so: define
// both globals first and hand it the .wasm bytes (shared/docs/toolchain.md §1, §4).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadEmscriptenModule(mjsPath) {
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= path.dirname(mjsPath);
  const { default: create } = await import(pathToFileURL(mjsPath).href);
  return create({ wasmBinary: readFileSync(mjsPath.replace(/\.mjs$/, '.wasm')) });
}
