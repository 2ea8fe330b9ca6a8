// The bench page's main thread: starts one module worker per system, forwards runner commands
// to it (window.bench.call, used by bench/harness/chromium.mjs) and, while a training `run` is in
// flight, watches how smooth the page stays: a requestAnimationFrame counter and a
// PerformanceObserver for long tasks (> 50 ms) on this thread. Frames the genlab worker sends
// (stats, loss history, samples — copied out of the module as the real page's worker does) are
// drawn into the canvas on the next animation frame.

const WORKERS = {
  'genlab-wasm-chromium': './genlab_worker.js',
  'tfjs-wasm-chromium': './tfjs_worker.js',
};

// ?frames=0 (bench/compare --no-frames): never ask the worker for frames, to see what they cost.
const FRAMES = new URLSearchParams(location.search).get('frames') !== '0';

const systems = new Map();    // name → { worker, ready, pending: Map(id → resolve), training }
let nextId = 1;
let active = null;            // the system whose training run is in flight, or null
const watch = new Map();      // system → { ms, frames, longtasks, longestMs }
let runStart = 0;
let latestFrame = null;

function start(name) {
  const worker = new Worker(new URL(WORKERS[name], import.meta.url), { type: 'module' });
  const sys = { worker, pending: new Map(), training: false };
  sys.ready = new Promise((ok, fail) => {
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'ready') ok();
      else if (m.type === 'reply') { sys.pending.get(m.id)?.(m.reply); sys.pending.delete(m.id); }
      else if (m.type === 'frame') latestFrame = m;
      else if (m.type === 'fatal') fail(new Error(m.message));
    };
    worker.onerror = (e) => {
      const error = `${name} worker: ${e.message ?? 'failed to start'}`;
      fail(new Error(error));
      for (const resolve of sys.pending.values()) resolve({ ok: false, error });
      sys.pending.clear();
    };
  });
  systems.set(name, sys);
  return sys;
}

async function call(name, line) {
  if (!WORKERS[name]) return { ok: false, error: `no Chromium worker for system '${name}'` };
  const sys = systems.get(name) ?? start(name);
  try {
    await sys.ready;
  } catch (e) {
    return { ok: false, error: String(e.message ?? e) };
  }
  const cmd = line.trim().split(/\s+/)[0];
  if (cmd === 'setup') sys.training = true;
  if (cmd === 'gemm') sys.training = false;
  const watched = cmd === 'run' && sys.training;
  if (watched) begin(name);
  const id = nextId++;
  const reply = await new Promise((resolve) => {
    sys.pending.set(id, resolve);
    sys.worker.postMessage({ type: 'call', id, line });
  });
  if (watched) end(name);
  return reply;
}

// ---------- smoothness while a worker trains ----------

function begin(name) {
  active = name;
  runStart = performance.now();
  if (!watch.has(name)) watch.set(name, { ms: 0, frames: 0, longtasks: 0, longestMs: 0 });
  requestFrame();
}

function end(name) {
  watch.get(name).ms += performance.now() - runStart;
  active = null;
}

function requestFrame() {
  if (!FRAMES) return;
  const sys = systems.get(active);
  if (sys) sys.worker.postMessage({ type: 'frameRequest' });
}

function onAnimationFrame() {
  if (active) {
    watch.get(active).frames++;
    if (latestFrame) draw(latestFrame);
    latestFrame = null;
    requestFrame();
  }
  requestAnimationFrame(onAnimationFrame);
}
requestAnimationFrame(onAnimationFrame);

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (!active || e.duration <= 50) continue;
    const w = watch.get(active);
    w.longtasks++;
    w.longestMs = Math.max(w.longestMs, e.duration);
  }
}).observe({ type: 'longtask', buffered: false });

function smoothness(name) {
  const w = watch.get(name);
  if (!w || w.ms === 0) return null;
  return { seconds: w.ms / 1000, frames: w.frames, fps: (1000 * w.frames) / w.ms, longtasks_over_50ms: w.longtasks,
           longest_task_ms: w.longestMs };
}

// ---------- drawing what the worker sent ----------

const canvas = document.getElementById('view');
const ctx = canvas.getContext('2d');

function draw(frame) {
  const s = frame.samples;
  if (frame.image) {
    // An 8×8 grid of images (pixels in [0, 1]).
    const side = frame.side, grid = 8;
    const img = ctx.createImageData(side * grid, side * grid);
    for (let k = 0; k < Math.min(grid * grid, s.length / (side * side)); k++) {
      const ox = (k % grid) * side, oy = Math.floor(k / grid) * side;
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const v = 255 * s[k * side * side + y * side + x];
          const o = 4 * ((oy + y) * side * grid + ox + x);
          img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
          img.data[o + 3] = 255;
        }
      }
    }
    ctx.putImageData(img, 0, 0);
  } else {
    // Points (x, y) in about [−1.5, 1.5]².
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#c33';
    const k = canvas.width / 3;
    for (let i = 0; i + 1 < s.length; i += 2) ctx.fillRect(canvas.width / 2 + k * s[i], canvas.height / 2 - k * s[i + 1], 2, 2);
  }
  document.getElementById('status').textContent = `steps in last chunk: ${frame.stats?.steps ?? '-'}`;
}

window.bench = { call, smoothness };
