// The page's event bus: how the teaching modules (graph, objectives, help, lessons) hear about
// the run without main.js knowing them. main.js emits; modules subscribe.
//   'configured' { config, info, arch }   a new run (arch: the core's architecture spec, parsed)
//   'stats'      { stats, step, rate, playing }   every drawn frame with StepStats
//   'metrics'    { metrics, step }        held-out metrics, every few seconds while training
//   'language'   { lang }                 after a language switch
// and main.js registers the few commands the modules may ask for (configure, play, pause).
const handlers = new Map();

/** Subscribes fn to an event; returns the unsubscribe function. */
export function on(type, fn) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(fn);
  return () => handlers.get(type).delete(fn);
}

export function emit(type, detail) {
  for (const fn of handlers.get(type) ?? []) {
    try {
      fn(detail);
    } catch (e) {
      // A teaching module's bug must not stop training or drawing.
      queueMicrotask(() => { throw e; });
    }
  }
}

// Commands main.js provides: configure(settings) (starts a run from those settings, the rest
// default), startTrained(preset) (loads the preset's trained checkpoint; playing goes on), play(),
// pause(), state() → { config, info, stats, step, playing, metrics }.
export const commands = {
  configure: (/** @type {Record<string,string>} */ _settings) => {},
  startTrained: (/** @type {string} */ _preset) => /** @type {Promise<void> | void} */ (undefined),
  play: () => {},
  pause: () => {},
  state: () => /** @type {any} */ (null),
};
