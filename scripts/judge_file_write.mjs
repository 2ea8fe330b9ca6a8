// Writes a judge file (the format and its reader: web/judge_file.js). Apart from the reader so that
// the page, which only reads them, does not load it: scripts/make_judges.mjs and the tests do.
import { MAGIC } from '../web/judge_file.js';

/**
 * @param {string} dataset @param {string} recipe @param {Float32Array} weights
 * @param {Record<string, string>} [extra] more header fields (make_judges: the module's hash)
 * @returns {Uint8Array}
 */
export function encodeJudge(dataset, recipe, weights, extra = {}) {
  const header = new TextEncoder().encode(JSON.stringify({ ...extra, dataset, recipe, count: weights.length }));
  const start = 8 + Math.ceil(header.length / 4) * 4;
  const out = new Uint8Array(start + 4 * weights.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  weights.forEach((w, i) => view.setFloat32(start + 4 * i, w, true));
  return out;
}
