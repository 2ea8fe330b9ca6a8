// The main thread of bench/threads.mjs: repaints a canvas every animation frame (a page that draws
// while the worker trains) and starts one training worker per window.run(module, settings) call.
const ctx = document.getElementById('c').getContext('2d');
let f = 0;
(function draw() {
  f++;
  ctx.fillStyle = `hsl(${f % 360},50%,50%)`;
  ctx.fillRect(0, 0, 400, 400);
  requestAnimationFrame(draw);
})();

// tfjs: { workload, threads } runs TensorFlow.js (tfjs_worker.js) instead of a genlab module.
window.run = (module, settings, seconds, tfjs = null) => new Promise((resolve) => {
  const q = tfjs ? new URLSearchParams({ workload: tfjs.workload, threads: String(tfjs.threads), seconds: String(seconds) })
    : new URLSearchParams({ module, settings: JSON.stringify(settings), seconds: String(seconds) });
  const w = new Worker(`${tfjs ? 'tfjs_worker.js' : 'worker.js'}?${q}`, { type: 'module' });
  w.onmessage = (e) => { resolve(e.data); w.terminate(); };
  w.onerror = (e) => { resolve({ error: e.message }); w.terminate(); };
});
