// How fast this machine's cores train, against the machine where the page's stated times (the
// lessons' `seconds`) were measured: for browser tests that bound a wait by such a time.
//
// Why CPU time, not wall time: a test file runs beside others (CI: ctest -j2), and the share of the
// cores it gets is already counted by the load scale of the tests that use this. Steps per second
// of CPU time measure the core alone, so the two scales multiply without counting the load twice.
//
// The reference: the grid25-gan preset (batch 256 for its first 15,000 steps) in the single-
// threaded module under node trained ~770 steps/s on the 2-core AMD EPYC VM (AVX-512) of
// 2026-12-07 where the lessons' times were last measured (docs/journal.md, stop 52: "771 steps/s
// over 12,000 steps"; the machine was idle, so wall and CPU time were the same). A machine whose
// cores train it at 480 steps/s gets a scale of 1.6; a faster one keeps 1.
export const REFERENCE_STEPS_PER_CPU_S = 770;
const CALIBRATION_PRESET = 'grid25-gan';

/**
 * Steps per CPU-second of the calibration preset on this machine, and the scale (≥ 1) by which a
 * time stated for the reference machine grows here.
 * @param {any} M the module (load_module.mjs)
 * @param {{ warmup?: number, steps?: number }} [opt]
 */
export function cpuSpeedScale(M, { warmup = 400, steps = 1500 } = {}) {
  const p = M.presets().find((x) => x.name === CALIBRATION_PRESET);
  if (!p) throw new Error(`machine_speed: no preset ${CALIBRATION_PRESET}`);
  const s = new M.Session();
  try {
    s.configure({ ...p.settings, seed: 1 });
    s.train(warmup);   // V8 compiles the hot wasm functions optimised during this
    const c0 = process.cpuUsage();
    const done = s.train(steps).steps;
    const c = process.cpuUsage(c0);
    const cpuS = (c.user + c.system) / 1e6;
    if (!(done > 0) || !(cpuS > 0)) throw new Error(`machine_speed: ${done} steps in ${cpuS} s of CPU time`);
    const stepsPerCpuS = done / cpuS;
    return { stepsPerCpuS, scale: Math.max(1, REFERENCE_STEPS_PER_CPU_S / stepsPerCpuS) };
  } finally {
    s.delete();
  }
}
