// What to expect from a preset, and when (issue 14): "typically meaningful after about N steps",
// N measured by bench/expectations and carried by the core's preset table, with a progress bar
// toward it. Hidden for custom settings. Listens to the bus; main.js only imports it.
import { on } from './bus.js';
import { currentLang, setText } from './i18n.js';
import { matchPreset } from './state.js';

/** @param {{ presets: () => any[], schema: () => any[] }} source */
export function createExpectation(source) {
  const box = document.getElementById('expect');
  const label = document.getElementById('expect-label');
  const bar = /** @type {HTMLProgressElement} */ (document.getElementById('expect-bar'));
  let target = 0;
  let what = '';
  let reached = false;

  function words(step) {
    const steps = target.toLocaleString(currentLang() === 'zh' ? 'zh-CN' : 'en');
    reached = step >= target;
    setText(label, reached ? 'expect.reached' : `expect.${what}`, { steps });
  }

  on('configured', ({ config }) => {
    const name = matchPreset(config, source.presets(), source.schema());
    const p = source.presets().find((q) => q.name === name);
    target = p?.expectSteps ?? 0;
    what = p?.expectWhat ?? '';
    box.hidden = !(target > 0 && what);
    if (box.hidden) return;
    bar.max = target;
    bar.value = 0;
    words(0);
  });
  on('stats', ({ step }) => {
    if (box.hidden) return;
    bar.value = Math.min(target, step);
    if ((step >= target) !== reached) words(step);
  });
  on('language', () => { if (!box.hidden) words(Number(bar.value)); });
}
