// What to expect from a preset, and when (issue 14): "typically meaningful after about N steps",
// N measured by bench/expectations and carried by the core's preset table, with a progress bar
// toward it. Hidden for custom settings. While training, when the steps left would take more than
// WAIT_S at the measured speed, it says how long and offers the preset's trained checkpoint
// (issue 18: a preset that needs minutes says so). Listens to the bus; main.js only imports it.
import { on } from './bus.js';
import { currentLang, setText } from './i18n.js';
import { matchPreset } from './state.js';

const WAIT_S = 30;       // offer the trained model when the picture is further away than this
const ETA_EVERY_MS = 1000;

/** @param {{ presets: () => any[], schema: () => any[], startTrained: () => void }} source */
export function createExpectation(source) {
  const box = document.getElementById('expect');
  const label = document.getElementById('expect-label');
  const bar = /** @type {HTMLProgressElement} */ (document.getElementById('expect-bar'));
  const wait = /** @type {HTMLElement} */ (document.getElementById('expect-wait'));
  const eta = document.getElementById('expect-eta');
  document.getElementById('expect-trained')?.addEventListener('click', () => source.startTrained());
  let target = 0;
  let what = '';
  let reached = false;
  let etaAt = 0;
  let etaS = 0;

  // Seconds left at `rate` steps/s, rounded so the text does not flicker (5 s, then 30 s steps).
  function showEta(step, rate, playing) {
    const left = rate > 0 ? (target - step) / rate : Infinity;
    const show = playing && !reached && Number.isFinite(left) && left > WAIT_S;
    wait.hidden = !show;
    if (!show) return;
    const s = left < 120 ? Math.ceil(left / 5) * 5 : Math.ceil(left / 30) * 30;
    if (s !== etaS) {
      etaS = s;
      setText(eta, s < 120 ? 'expect.eta_s' : 'expect.eta_min', { s, min: (s / 60).toFixed(1) });
    }
  }

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
    wait.hidden = true;
    etaS = 0;
    if (box.hidden) return;
    bar.max = target;
    bar.value = 0;
    words(0);
  });
  on('stats', ({ step, rate, playing }) => {
    if (box.hidden) return;
    bar.value = Math.min(target, step);
    if ((step >= target) !== reached) words(step);
    const now = performance.now();
    if (now - etaAt >= ETA_EVERY_MS || reached || !playing) {
      etaAt = now;
      showEta(step, Number(rate), Boolean(playing));
    }
  });
  on('language', () => {
    if (box.hidden) return;
    words(Number(bar.value));
    etaS = 0;
  });
}
