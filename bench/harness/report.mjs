// The closing table of bench/compare: GenLab ÷ the other system, per workload, from the medians
// of this run, with the targets marked.

// [column title, genlab system, other system]
const PAIRS = [
  ['chromium wasm', 'genlab-wasm-chromium', 'tfjs-wasm-chromium'],
  ['node wasm', 'genlab-wasm-node', 'tfjs-wasm-node'],
  ['native÷tfjs-cpu', 'genlab-native', 'tfjs-cpu-node'],
  ['native÷torch', 'genlab-native', 'torch-native'],
  ['chromium wasm÷torch', 'genlab-wasm-chromium', 'torch-native'],
];

// The targets: column → workload (or GEMM form) → minimum ratio.
function target(column, workload) {
  const gemmForm = /^gemm-.*-(NN|NT|TN)$/.exec(workload)?.[1];
  if (column === 'chromium wasm' || column === 'node wasm') {
    if (gemmForm) return gemmForm === 'NN' ? 1.2 : 8;
    if (column === 'chromium wasm') return { 'mnist-vae': 8, 'ring-gan': 10, 'seed-vae': 10 }[workload] ?? null;
    return null;
  }
  if (column === 'native÷torch') return { 'mnist-vae': 1, 'ring-gan': 2, 'seed-vae': 2, 'dcgan-lite': 2 }[workload] ?? null;
  if (column === 'chromium wasm÷torch') return { 'dcgan-lite': 1 }[workload] ?? null;
  return null;
}

// results: the measurement records ({system, workload, median, …}).
export function ratioTable(results, workloads) {
  const median = new Map(results.map((r) => [`${r.system} ${r.workload}`, r.median]));
  const cells = (w) => PAIRS.map(([title, a, b]) => {
    const x = median.get(`${a} ${w}`), y = median.get(`${b} ${w}`);
    if (!(x > 0 && y > 0)) return '—';
    const ratio = x / y, t = target(title, w);
    const shown = ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2);
    return t === null ? shown : `${shown} ${ratio >= t ? 'ok' : 'MISS'} (≥${t})`;
  });
  const head = ['workload', ...PAIRS.map(([t]) => t)];
  const rows = workloads.map((w) => [w, ...cells(w)]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd();
  return [
    'GenLab ÷ other system, median throughput of this run (steps/s or GFLOP/s; > 1: GenLab faster).',
    "'ok'/'MISS' compare with the issue's targets; '—': a side was not measured or failed its check.",
    line(head), line(width.map((n) => '-'.repeat(n))), ...rows.map(line),
  ].join('\n');
}
