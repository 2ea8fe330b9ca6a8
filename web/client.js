// The page's handle on the training worker: spawns it, forwards its messages, and on a crash
// (an `error` event, an unreadable message, or a fatal {type:'error'}) terminates it and spawns
// a fresh one. The caller replays its state (settings, images, points) on the next `ready`.
import { MSG, transferables } from './protocol.js';

const MAX_RESTARTS = 3;            // within RESTART_WINDOW_MS; after that, give up and say so
const RESTART_WINDOW_MS = 30000;

// handlers: { message(msg), crashed(reason, willRestart) }. Nothing runs until start(): messages
// the boot worker already received are replayed synchronously there, so the caller starts the
// client only once everything its handlers touch is defined.
export function createClient(handlers) {
  let worker = null;
  let ready = false;
  const restarts = [];

  function spawn() {
    ready = false;
    // The first worker may have been started by boot.js; later ones start here.
    const boot = window.__genlabBoot;
    window.__genlabBoot = null;
    worker = boot?.worker ?? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => {
      const m = e.data;
      if (m?.type === MSG.READY) ready = true;
      if (m?.type === MSG.ERROR && m.fatal) {
        crash(m.message, m.startup === true);
        return;
      }
      handlers.message(m);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      crash(e.message || 'the training worker failed', !ready);
    };
    worker.onmessageerror = () => crash('a message from the training worker could not be read', false);
    for (const { kind, event } of /** @type {{kind: string, event: any}[]} */ (boot?.early ?? [])) {
      if (!worker) break;
      if (kind === 'message') worker.onmessage(event);
      else if (kind === 'error') worker.onerror(event);
      else worker.onmessageerror(event);
    }
  }

  function crash(reason, startup) {
    worker?.terminate();
    worker = null;
    ready = false;
    const now = performance.now();
    while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
    const willRestart = !startup && restarts.length < MAX_RESTARTS;
    handlers.crashed(reason, willRestart);
    if (willRestart) {
      restarts.push(now);
      spawn();
    }
  }

  function post(msg, transfer = transferables(msg)) {
    if (!worker) return false;
    worker.postMessage(msg, transfer);
    return true;
  }

  return {
    start: () => { if (!worker) spawn(); },
    post,
    // Sends typed-array payloads without transferring (the page keeps its copy for replays).
    postCopy: (msg) => post(msg, []),
    isReady: () => ready,
    restart: (reason) => crash(reason, false),
    // A fresh worker in place of a healthy one (to give its memory back): no crash, no restart count.
    recycle: () => {
      worker?.terminate();
      worker = null;
      spawn();
    },
  };
}
