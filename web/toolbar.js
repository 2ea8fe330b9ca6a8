// The play bar: Play/Pause (one toggle whose accessible name is its text), Step, Train D,
// Train G, Reset, New seed, the speed name, and the space-bar shortcut (ignored while focus is
// in a field or on a control, where space already means something).
import { setText } from './i18n.js';
import { SPEED_NAMES } from './protocol.js';

const BUTTONS = ['play', 'step', 'reset', 'train-d', 'train-g', 'save-model'];

// on: { toggle(), step(kind), reset(), newSeed() }
export function createToolbar(on) {
  const el = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
  el('play').addEventListener('click', () => on.toggle());
  el('step').addEventListener('click', () => on.step('train'));
  el('train-d').addEventListener('click', () => on.step('d'));
  el('train-g').addEventListener('click', () => on.step('g'));
  el('reset').addEventListener('click', () => on.reset());
  el('new-seed').addEventListener('click', () => on.newSeed());
  document.addEventListener('keydown', (e) => {
    if (e.key !== ' ' || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof Element && t.closest('input, select, textarea, button, a, summary, [contenteditable]')) return;
    e.preventDefault();
    on.toggle();
  });
  return {
    setPlaying(playing) {
      const b = el('play');
      setText(b, playing ? 'toolbar.pause' : 'page.play');
      b.classList.toggle('is-playing', playing);
    },
    setEnabled(enabled) {
      for (const id of BUTTONS) el(id).disabled = !enabled;
    },
    setSpeed(level) {
      el('speed').value = String(level);
      if (SPEED_NAMES[level]) setText(el('speed-name'), `speed.${SPEED_NAMES[level]}`);
    },
  };
}
