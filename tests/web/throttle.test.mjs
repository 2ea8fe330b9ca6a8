// Unit tests of web/throttle.js: the page's throttled writes (status, readout, chart, graph,
// objectives) run at most once per interval, never drop the last request, and land on one shared
// grid of the clock so that writes due together run in one task. A fake clock and fake timers
// make the tests exact: `task` counts the timer callbacks run.
import test from 'node:test';
import assert from 'node:assert/strict';

const clock = { t: 1000.3, next: 1, task: 0, timers: new Map() };
Object.defineProperty(globalThis, 'performance', { value: { now: () => clock.t }, configurable: true });
globalThis.window = /** @type {any} */ ({
  setTimeout: (fn, ms) => { const id = clock.next++; clock.timers.set(id, { at: clock.t + Math.max(0, ms), fn }); return id; },
  clearTimeout: (id) => clock.timers.delete(id),
});
// Moves the clock forward, running each timer at its time (early by `early` ms, as real timers
// may be when measured by performance.now()).
function advance(ms, early = 0) {
  const end = clock.t + ms;
  for (;;) {
    let first = null;
    for (const [id, tm] of clock.timers) if (tm.at - early <= end && (!first || tm.at < first[1].at)) first = [id, tm];
    if (!first) break;
    clock.timers.delete(first[0]);
    clock.t = Math.max(clock.t, first[1].at - early);
    clock.task++;
    first[1].fn();
  }
  clock.t = end;
}
const { throttle } = await import('../../web/throttle.js');

test('a burst of requests is one run, at the next multiple of the interval, with the latest data', () => {
  let latest = 0;
  const seen = [];
  const w = throttle(() => seen.push({ value: latest, at: clock.t }), 50);
  for (let i = 1; i <= 20; i++) {
    latest = i;
    w.request();
    clock.t += 1;
  }
  assert.equal(seen.length, 0, 'nothing runs inside the requests');
  advance(100);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].value, 20, 'the last request is not dropped');
  assert.equal(seen[0].at % 50, 0, 'ran on the 50 ms grid');
});

for (const early of [0, 0.7]) {
  test(`requests all along: one run per interval, never two close together (timers ${early} ms early)`, () => {
    const at = [];
    const w = throttle(() => at.push(clock.t), 40);
    for (let i = 0; i < 1600; i++) {
      w.request();
      advance(0.25, early);
    }
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    assert.ok(at.length >= 9 && at.length <= 11, `${at.length} runs in 400 ms`);
    assert.ok(Math.min(...gaps) >= 39, `gaps ${gaps.map((g) => g.toFixed(1)).join(' ')}`);
  });
}

test('writes of 125 and 250 ms due at the same moment run in one task', () => {
  const tasks = {};
  const chart = throttle(() => (tasks.chart = clock.task), 125);
  const text = throttle(() => (tasks.text = clock.task), 250);
  clock.t = 10_130;   // the next 125-grid point, 10,250, is also a 250-grid point
  chart.request();
  text.request();
  advance(200);
  assert.ok(tasks.chart > 0 && tasks.chart === tasks.text, JSON.stringify(tasks));
});

test('now() runs at once and drops the pending run; the next run is half an interval later at least', () => {
  const at = [];
  const w = throttle(() => at.push(clock.t), 30);
  w.request();
  clock.t = 20_069;   // 1 ms before a grid point (20,070)
  w.now();
  assert.equal(at.length, 1, 'now() ran');
  w.request();
  advance(100);
  assert.equal(at.length, 2, 'the pending run was dropped; one run after the request');
  assert.ok(at[1] - at[0] >= 15 && at[1] % 30 === 0, `ran at +${at[1] - at[0]} ms, on the grid`);
});

test('cancel() drops a pending run; requests work again after it', () => {
  let runs = 0;
  const w = throttle(() => runs++, 30);
  w.request();
  w.cancel();
  advance(100);
  assert.equal(runs, 0, 'cancelled');
  w.request();
  advance(100);
  assert.equal(runs, 1);
});
