// The metrics' judge as a file the site ships, one per image data set (data/<set>-judge.bin, made at
// build time by scripts/make_judges.mjs with the site's own module; the writer is
// scripts/judge_file_write.mjs, as the page only reads): the worker installs it instead of training
// the classifier, so no core spends the first seconds of a run on it. Layout, little-endian:
//   "GLJ1" · uint32 n · n bytes of UTF-8 JSON {dataset, recipe, count} · zeros to a multiple of 4 ·
//   count float32 (Session.judgeWeights' order).
// The recipe is Session.judgeRecipe's words for what makes the judge's bits; a file whose recipe or
// data set differs from the running module's is refused, and the page trains the judge instead.
// Why a file is refused is a note for the console (developers), never text of the page: readers
// return { why } rather than throw.
// @ts-check

export const MAGIC = 'GLJ1';
const MAX_HEADER = 4096;

/**
 * The weights of a judge file made for `dataset` by `recipe`, or why it is refused.
 * @param {ArrayBuffer | Uint8Array} bytes @param {string} dataset @param {string} recipe
 * @returns {{ weights: Float32Array } | { why: string }}
 */
export function readJudge(bytes, dataset, recipe) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const h = judgeHeader(b);
  if ('why' in h) return h;
  const { head, start } = h;
  if (head.dataset !== dataset) return { why: `a judge of '${String(head.dataset)}', not of '${dataset}'` };
  if (head.recipe !== recipe) return { why: `a judge made another way (${String(head.recipe)}); this module's: ${recipe}` };
  const count = head.count;
  if (!Number.isSafeInteger(count) || count < 0 || start + 4 * count !== b.length) {
    return { why: `a judge file of ${b.length} bytes for ${String(count)} weights` };
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const weights = new Float32Array(count);
  for (let i = 0; i < count; i++) weights[i] = view.getFloat32(start + 4 * i, true);
  return { weights };
}

/**
 * A judge file's header fields and where its weights start, or why it has none.
 * @param {Uint8Array} b @returns {{ head: Record<string, any>, start: number } | { why: string }}
 */
export function judgeHeader(b) {
  if (b.length < 8 || new TextDecoder().decode(b.subarray(0, 4)) !== MAGIC) return { why: 'not a judge file (no GLJ1 mark)' };
  const n = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(4, true);
  if (n > MAX_HEADER || 8 + n > b.length) return { why: `a judge file header of ${n} bytes in ${b.length}` };
  let head;
  try {
    head = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(8, 8 + n)));
  } catch {
    return { why: 'a judge file header that is not JSON' };
  }
  if (!head || typeof head !== 'object') return { why: 'a judge file header that is not a JSON object' };
  return { head, start: 8 + Math.ceil(n / 4) * 4 };
}
