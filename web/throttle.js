// Writes that run at most every `everyMs` and never drop the last request: a request schedules
// one run at the next multiple of everyMs on the page's clock (performance.now()), and
// everything due at that moment runs in one task. The page's live text and charts follow the
// worker's stats (up to 60 a second) through these.
//
// Why one shared grid: with software compositing the screen area redrawn in a frame is one
// rectangle around everything that changed in it. Text in the toolbar, a chart on the right and
// the sample grid in the middle changing in different frames meant most frames redrew most of
// the screen (a third of a core at 25 frames/s); writes that land in the same frame share it.

/** @type {Map<number, Set<() => void>>} due time → runs */
const queue = new Map();
let timer = 0;
let timerAt = Infinity;

function arm() {
  let first = Infinity;
  for (const due of queue.keys()) first = Math.min(first, due);
  if (first === timerAt) return;
  clearTimeout(timer);
  timerAt = first;
  timer = first === Infinity ? 0 : window.setTimeout(fire, Math.max(0, first - performance.now()));
}

function fire() {
  timerAt = Infinity;
  timer = 0;
  const now = performance.now();
  const runs = [];
  for (const [due, set] of queue) {
    if (due > now + 1) continue;
    runs.push(...set);
    queue.delete(due);
  }
  for (const run of runs) run();
  arm();
}

/**
 * @param {() => void} fn
 * @param {number} everyMs
 */
export function throttle(fn, everyMs) {
  /** @type {number | null} */
  let due = null;
  let lastRun = -Infinity;
  function run() {
    due = null;
    lastRun = performance.now();
    fn();
  }
  // Run now, whatever the interval says (a pause, a new run, a resize); a pending run is dropped.
  function now() {
    cancel();
    lastRun = performance.now();
    fn();
  }
  function request() {
    if (due !== null) return;
    // The next grid point at least half an interval after the last run (a timer may fire a
    // little early; a run forced by now() is not followed by another a moment later).
    const from = Math.max(performance.now(), lastRun + everyMs / 2);
    due = (Math.floor(from / everyMs) + 1) * everyMs;
    let set = queue.get(due);
    if (!set) queue.set(due, set = new Set());
    set.add(run);
    arm();
  }
  // Forget a pending run (its data belongs to a run that is gone).
  function cancel() {
    if (due === null) return;
    queue.get(due)?.delete(run);
    if (queue.get(due)?.size === 0) queue.delete(due);
    due = null;
    arm();
  }
  return { request, now, cancel };
}
