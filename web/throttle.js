// A write that may run at most every `everyMs` and never drops the last request: a request
// inside the interval schedules one trailing run at its end. The page's live text and charts
// follow the worker's stats (up to 60 a second) through these, so each is redrawn a few times a
// second and still shows the latest numbers once training pauses.
//
// sync: a request that is due runs at once (else it always waits for a timer, so a burst of
// messages in one task costs one run after it).

/**
 * @param {() => void} fn
 * @param {number} everyMs
 * @param {{ sync?: boolean }} [options]
 */
export function throttle(fn, everyMs, { sync = true } = {}) {
  let at = -Infinity;
  let timer = 0;
  // Run now, whatever the interval says (a pause, a new run, a resize).
  function now() {
    clearTimeout(timer);
    timer = 0;
    at = performance.now();
    fn();
  }
  function request() {
    if (timer) return;
    const wait = everyMs - (performance.now() - at);
    if (sync && wait <= 0) now();
    else timer = window.setTimeout(now, Math.max(0, wait));
  }
  // Forget a pending trailing run (its data belongs to a run that is gone).
  function cancel() {
    clearTimeout(timer);
    timer = 0;
  }
  return { request, now, cancel };
}
