// A mark as bounds on metrics: {test_neg_elbo: v} is met at most v, every other key at least its
// value ({modes: 8, hq: 0.9}). Shared by bench/time_to_quality.mjs (GenLab's page) and its TF.js
// worker (bench/web/tfjs_ttq_worker.js), so both sides judge a mark alike. Pure ES module.
const AT_MOST = new Set(['test_neg_elbo', 'class_max_fraction']);

export const meetsBound = (bound, m) =>
  Object.entries(bound).every(([k, v]) => (AT_MOST.has(k) ? m[k] <= v : m[k] >= v));
