// Starts the training worker as early as possible: this tiny module runs before the page's
// other modules have even loaded, so the WebAssembly module compiles in parallel with them.
// client.js adopts the worker and replays the messages and errors that arrived before it.
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const early = [];
worker.onmessage = (e) => early.push({ kind: 'message', event: e });
worker.onerror = (e) => {
  e.preventDefault();
  early.push({ kind: 'error', event: e });
};
worker.onmessageerror = (e) => early.push({ kind: 'messageerror', event: e });
window.__genlabBoot = { worker, early };
