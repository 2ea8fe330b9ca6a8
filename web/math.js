// The page's formulas as MathML, rendered at build time (scripts/make_math.mjs, KaTeX) into
// web/math/mathml.json and fetched on demand: no math library in the page, nothing for a strict
// CSP to refuse. loadMath() once, then mathNode(id) for each formula (a fresh element each call).
/** @type {Map<string, string> | null} */
let table = null;
/** @type {Promise<void> | null} */
let loading = null;

export function loadMath() {
  loading ??= (async () => {
    const r = await fetch(new URL('./math/mathml.json', import.meta.url));
    if (!r.ok) throw new Error(`${r.url} → ${r.status}`);
    table = new Map(Object.entries(await r.json()));
  })();
  return loading;
}

export const formulaIds = () => [...(table?.keys() ?? [])];

// A <math display="block"> element for `id` (parsed, never evaluated: MathML has no scripts).
export function mathNode(id) {
  if (!table) throw new Error(id);   // loadMath() first (a programming error, not a user's)
  const text = table.get(id);
  if (text === undefined) throw new Error(id);   // an unknown formula id
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${text}`, 'text/html');
  const node = doc.body.firstElementChild;
  if (!node || node.localName !== 'math') throw new Error(id);
  return /** @type {Element} */ (document.importNode(node, true));
}
