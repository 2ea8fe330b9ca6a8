// Whether training should use the threaded module's second thread, measured, not guessed (worker.js).
// Pure: node's test runner imports it.
//
// Two threads pay for the conv VAE (products of 10^8 multiply-adds: 18–20 → 26–29 steps/s in the
// page) but not for the ring8 GAN, whose products take tens of microseconds: with the page drawing
// on the same two cores, a split waits for whichever thread the system descheduled, and ring8
// trained at 270–530 steps/s on two threads against 630–690 on one. Timing the training calls alone
// did not see it (their chunks looked faster on two threads), so the tuner compares what the page
// gets: steps per second of wall time, frames and messages included. A run starts on one thread;
// after WARMUP_MS (before that the browser still compiles the module's hot code on the other core,
// where two threads trained ring8 at two thirds of one thread's speed), the tuner alternates
// ARM_MS arms on 2 threads and on 1 until each has TRIAL_ARMS, then keeps the faster — 2 threads only
// when they beat one by MARGIN (one thread leaves a core to the page) — and tries again every
// RETRY_MS (a batch-size ramp, another tab). Either count gives the same bits: switching is free.
// @ts-check

export const WARMUP_MS = 3000;
export const ARM_MS = 500;
export const TRIAL_ARMS = 3;
export const RETRY_MS = 15000;
export const MARGIN = 0.05;
// A longer gap between two chunks (a pause, a hidden tab) restarts the arm under way.
export const GAP_MS = 250;

/**
 * @param {number} maxThreads the module's threads (1: nothing to tune)
 * @param {{ warmupMs?: number, armMs?: number, trialArms?: number, retryMs?: number, margin?: number }} [opt]
 */
export function createThreadTuner(maxThreads, { warmupMs = WARMUP_MS, armMs = ARM_MS, trialArms = TRIAL_ARMS,
  retryMs = RETRY_MS, margin = MARGIN } = {}) {
  const max = maxThreads >= 2 ? 2 : 1;
  /** @type {Record<number, number[]>} steps per second of the trial's arms, by thread count */
  let rates = { 1: [], 2: [] };
  let chosen = 1;
  let trying = false;
  let startedAt = NaN;       // the run's first chunk (the warm-up counts from it)
  let decidedAt = -Infinity;
  let lastAt = NaN;          // the last call
  const arm = { threads: 2, at: 0, steps: 0 };
  const median = (/** @type {number[]} */ a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const startArm = (/** @type {number} */ threads, /** @type {number} */ now, /** @type {number} */ steps) => {
    arm.threads = threads;
    arm.at = now;
    arm.steps = steps;
  };
  return {
    /** Threads for the next chunk, given the time and the run's steps so far.
     *  @param {number} now @param {number} steps */
    threadsFor(now, steps) {
      if (max < 2) return 1;
      const gap = now - lastAt > GAP_MS;
      lastAt = now;
      if (Number.isNaN(startedAt)) startedAt = now;
      if (now - startedAt < warmupMs) return chosen;
      if (!trying && now - decidedAt >= retryMs) {
        trying = true;
        rates = { 1: [], 2: [] };
        startArm(2, now, steps);
      } else if (trying && gap) {
        startArm(arm.threads, now, steps);
      } else if (trying && now - arm.at >= armMs) {
        rates[arm.threads].push(((steps - arm.steps) * 1000) / (now - arm.at));
        if (rates[1].length >= trialArms && rates[2].length >= trialArms) {
          chosen = median(rates[2]) > median(rates[1]) / (1 - margin) ? 2 : 1;
          trying = false;
          decidedAt = now;
        } else {
          startArm(arm.threads === 2 ? 1 : 2, now, steps);
        }
      }
      return trying ? arm.threads : chosen;
    },
    /** A new model: its own warm-up, then a trial. */
    reset() {
      trying = false;
      startedAt = NaN;
      lastAt = NaN;
      rates = { 1: [], 2: [] };
      chosen = 1;
      decidedAt = -Infinity;
    },
    /** For tests and the bench hooks. */
    state: () => ({ chosen, trying, rates: { 1: [...rates[1]], 2: [...rates[2]] } }),
  };
}
