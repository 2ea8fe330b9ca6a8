// web/threads_tuner.js: the worker's choice between the threaded module's two threads and one, by
// the steps per second of wall time each gives.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ARM_MS, GAP_MS, MARGIN, RETRY_MS, TRIAL_ARMS, WARMUP_MS, createThreadTuner } from '../../web/threads_tuner.js';

// A worker's loop: chunks of 20 ms wall time each, doing rate(threads, now) steps per second.
// Returns the thread count of every chunk.
function run(tuner, rate, untilMs, t0 = 0) {
  const used = [];
  let steps = 0;
  for (let now = t0; now < untilMs; now += 20) {
    const n = tuner.threadsFor(now, steps);
    used.push(n);
    steps += (rate(n, now) * 20) / 1000;
  }
  return used;
}
const at = (ms) => Math.floor(ms / 20);   // the chunk at a time
const trialChunks = 2 * TRIAL_ARMS * at(ARM_MS);

test('a one-thread module is never asked for two', () => {
  const t = createThreadTuner(1);
  assert.deepEqual([...new Set(run(t, () => 100, 60000))], [1]);
  assert.equal(t.state().trying, false);
});

test('after the warm-up, arms of 2 and 1 threads alternate, then the faster is kept', () => {
  const fast2 = createThreadTuner(2);
  const used = run(fast2, (n) => (n === 2 ? 140 : 100), 10000);
  assert.ok(used.slice(0, at(WARMUP_MS)).every((n) => n === 1), 'one thread through the warm-up');
  const trial = used.slice(at(WARMUP_MS), at(WARMUP_MS) + trialChunks);
  assert.deepEqual(trial.filter((_, i) => i % at(ARM_MS) === 0), [2, 1, 2, 1, 2, 1], 'arms alternate');
  assert.ok(used.slice(at(WARMUP_MS) + trialChunks + 1).every((n) => n === 2), 'two threads kept');
  assert.deepEqual(fast2.state().rates[2].map(Math.round), [140, 140, 140]);
  const slow2 = createThreadTuner(2);
  assert.ok(run(slow2, (n) => (n === 2 ? 70 : 100), 10000).slice(at(WARMUP_MS) + trialChunks + 1).every((n) => n === 1), 'one thread kept');
  // Two threads must win by the margin: a core is left to the page otherwise.
  const close = createThreadTuner(2);
  run(close, (n) => (n === 2 ? 100 * (1 + MARGIN / 2) : 100), 10000);
  assert.equal(close.state().chosen, 1);
});

test('the warm-up\'s timings are not used: code still compiling on the other core', () => {
  const t = createThreadTuner(2);
  run(t, (n, now) => (n === 2 ? (now < 2000 ? 20 : 140) : 100), 10000, 500);
  assert.equal(t.state().chosen, 2);
});

test('the choice is measured again every RETRY_MS and after a new model', () => {
  // Two threads lose until 20 s (small batches), then win (a batch-size ramp).
  const t = createThreadTuner(2);
  const until = 20000 + 2 * RETRY_MS;
  const used = run(t, (n, now) => (n === 2 ? (now < 20000 ? 70 : 150) : 100), until);
  assert.equal(used[at(15000)], 1, 'one thread while two lose');
  const after = used.slice(at(20000 + RETRY_MS + 5000));
  // (the later trials' one-thread arms aside: TRIAL_ARMS · ARM_MS of every RETRY_MS)
  const share = 1 - (TRIAL_ARMS * ARM_MS) / RETRY_MS - 0.01;
  assert.ok(after.filter((n) => n === 2).length >= share * after.length, 'two threads within a retry period of the change');
  t.reset();
  assert.equal(t.threadsFor(until, 0), 1, 'a new model starts on one thread');
  assert.equal(t.state().trying, false, 'and waits out its warm-up');
});

test('a pause during an arm restarts it (no steps while paused is no measure of speed)', () => {
  const t = createThreadTuner(2, { warmupMs: 0 });
  let steps = 0;
  t.threadsFor(0, steps);                  // the trial starts, an arm on two threads
  t.threadsFor(100, (steps += 14));        // 140 steps/s so far
  t.threadsFor(100 + GAP_MS + 5000, steps);   // paused for 5 s, then playing again
  for (let now = 100 + GAP_MS + 5000 + 20; now <= 100 + GAP_MS + 5000 + ARM_MS + 20; now += 20) t.threadsFor(now, (steps += 2.8));
  assert.deepEqual(t.state().rates[2].map(Math.round), [140], 'the arm measured after the pause only');
});
