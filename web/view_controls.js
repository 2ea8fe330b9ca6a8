// The view controls below and inside the figures: layer toggles (heatmap, arrows, grid, …),
// latent dimensions, interpolation ends and the speed slider. Each change reports
// (key, value) with the key of state.js's VIEW_FIELDS, so the URL can hold it.
import { VIEW_FIELDS } from './state.js';

export function wireViewControls(onChange) {
  const el = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
  for (const f of VIEW_FIELDS) {
    const box = el(f.key);
    if (box && f.type === 'bool') box.addEventListener('change', () => onChange(f.key, box.checked));
  }
  el('lat-x').addEventListener('change', () => onChange('lat_x', el('lat-x').value));
  el('lat-y').addEventListener('change', () => onChange('lat_y', el('lat-y').value));
  const ends = [['interp-a', 'ia'], ['interp-b', 'ib']];
  for (const [id, key] of ends) {
    el(id).addEventListener('change', () => {
      const v = Math.max(0, Math.min(99999, Math.floor(Number(el(id).value)) || 0));
      el(id).value = String(v);
      onChange(key, v);
    });
  }
  el('speed').addEventListener('input', () => onChange('speed', el('speed').value));
  el('sample-class').addEventListener('change', () => {
    const pick = el('sample-class');
    pick.dataset.want = pick.value;
    onChange('cls', pick.value);
  });

  return {
    // Shows `view` (VIEW_FIELDS values as text) in the controls.
    sync(view) {
      for (const f of VIEW_FIELDS) {
        const box = el(f.key);
        if (box && f.type === 'bool') box.checked = view[f.key] === 'true';
      }
      el('lat-x').value = view.lat_x;
      el('lat-y').value = view.lat_y;
      el('interp-a').value = view.ia;
      el('interp-b').value = view.ib;
      el('speed').value = view.speed;
      const cls = /** @type {HTMLSelectElement} */ (/** @type {unknown} */ (el('sample-class')));
      cls.dataset.want = view.cls;   // views.js fills the options per run and selects it
      if ([...cls.options].some((o) => o.value === view.cls)) cls.value = view.cls;
    },
    // A click in the latent scatter picked example `index` as end 0 (A) or 1 (B).
    pick(which, index) {
      const [id, key] = ends[which === 0 ? 0 : 1];
      el(id).value = String(index);
      onChange(key, index);
    },
  };
}
