// Loads the built genlab.mjs under node: GENLAB_WWW points at the built site folder.
import './node_shim.mjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const www = process.env.GENLAB_WWW ?? path.resolve('build/wasm/www');

export async function loadGenlab() {
  const { default: create } = await import(pathToFileURL(path.join(www, 'genlab.mjs')).href);
  return create({ wasmBinary: readFileSync(path.join(www, 'genlab.wasm')) });
}
