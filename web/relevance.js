// When a setting does anything: the schema's `when` conditions (declared once, in the core's
// config schema), evaluated against the running settings. The page hides what does not apply;
// links and the CLI keep accepting every key. Pure: node's tests import it.
//   when  := alt (" or " alt)*      alt := clause (" and " clause)*
//   clause := key "=" v1|v2…  |  key "!=" v      (key `data` is "image" or "2d")

/** → [[{ key, values, negate }]]: alternatives of conjunctions. Throws on a malformed condition. */
export function parseWhen(text) {
  if (!text) return [];
  return text.split(' or ').map((alt) => alt.split(' and ').map((clause) => {
    const m = /^([a-z_][a-z0-9_]*)(!?=)([A-Za-z0-9_.|-]+)$/.exec(clause.trim());
    if (!m) throw new Error(clause);   // a malformed schema condition (tests/web/relevance checks them all)
    return { key: m[1], values: m[3].split('|'), negate: m[2] === '!=' };
  }));
}

const cache = new Map();
function parsed(text) {
  if (!cache.has(text)) cache.set(text, parseWhen(text));
  return cache.get(text);
}

/** Does `field` apply with `settings` (text values) on data of `dataKind` ('image' | '2d')? */
export function applies(field, settings, dataKind) {
  const alts = parsed(field.when ?? '');
  if (alts.length === 0) return true;
  const value = (k) => (k === 'data' ? dataKind : String(settings[k] ?? ''));
  return alts.some((alt) => alt.every(({ key, values, negate }) => values.includes(value(key)) !== negate));
}
