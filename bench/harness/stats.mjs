// Small numeric helpers of bench/compare.
import { readFileSync } from 'node:fs';

// The 1-minute load average (first field of /proc/loadavg), or null where there is none.
export function load1() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(/\s+/)[0]);
  } catch {
    return null;
  }
}

export function summary(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1] };
}

// Three significant digits (enough for noisy timings), as a number.
export const round3 = (x) => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(3)));
