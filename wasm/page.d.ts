// Globals the page sets on window, for the type check of web/*.js (tsconfig.json).
export {};

declare global {
  interface Window {
    // boot.js starts the worker before the page's modules load and leaves it (and any early
    // messages) here for client.js.
    __genlabBoot: { worker: Worker; early: unknown[] } | null;
    // What the page exposes for tests and the course panel: state, history, exports.
    __genlab: Record<string, any>;
  }
}
