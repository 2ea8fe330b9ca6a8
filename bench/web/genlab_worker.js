// genlab-wasm-chromium: the page's real path — the genlab.mjs module in a module worker, trained
// in session.train(n) chunks of ~20 ms; after each chunk, when the main thread has asked for a
// frame and the page's frame budget allows one (web/protocol.js frameDue: frames take at most
// FRAME_SHARE of the time), the stats, the loss history and samples are copied out and transferred
// (what the page's worker does per frame, see web/frames.js), then the worker yields to its queue.
// GEMM commands go to bench_runner.mjs (the C++ runner compiled to wasm).
import createGenlab from '/build/genlab.mjs';
import createBenchRunner from '/build/bench/bench_runner.mjs';
import { makeHandler } from '../common/protocol.mjs';
import { frameDue } from '/web/protocol.js';
import { genlabRunner } from '../common/genlab_runner.mjs';
import { yieldToQueue } from '../common/yield_queue.mjs';

const loadBytes = async (file) => {
  const r = await fetch(`/data/${file}`);
  if (!r.ok) throw new Error(`could not load /data/${file} (${r.status})`);
  return new Uint8Array(await r.arrayBuffer());
};

let frameWanted = false;
let frames = 0, frameMs = 0;  // frames copied out and the time that took, reported with each run
let lastFrameAt = 0, lastBuildMs = 0;

function afterChunk(session, stats) {
  const t0 = performance.now();
  if (frameWanted && frameDue(t0, lastFrameAt, lastBuildMs)) {
    frameWanted = false;
    const { image, side } = session.info();
    const frame = {
      type: 'frame', stats, image, side,
      history: session.history().data.slice(),
      samples: session.samples(image ? 64 : 512).slice(),
    };
    self.postMessage(frame, [frame.history.buffer, frame.samples.buffer]);
    frames++;
    lastFrameAt = performance.now();
    lastBuildMs = lastFrameAt - t0;
    frameMs += lastBuildMs;
  }
  return yieldToQueue();
}

try {
  const [M, R] = await Promise.all([createGenlab(), createBenchRunner()]);
  const runner = genlabRunner({ M, R, loadBytes, afterChunk });
  const handle = makeHandler({
    ...runner,
    async run(seconds) {
      frames = frameMs = 0;
      const r = await runner.run(seconds);
      return { ...r, frames, frame_ms: frameMs };
    },
  });
  self.onmessage = async (e) => {
    const m = e.data;
    if (m.type === 'frameRequest') frameWanted = true;
    if (m.type === 'call') self.postMessage({ type: 'reply', id: m.id, reply: await handle(m.line) });
  };
  self.postMessage({ type: 'ready' });
} catch (e) {
  self.postMessage({ type: 'fatal', message: `genlab worker: ${e?.message ?? e}` });
}
