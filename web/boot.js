// Minimal page until the playground lands: loads the module and reports its version and SIMD.
import createGenlab from './genlab.mjs';

const status = document.getElementById('status');
try {
  const M = await createGenlab();
  status.textContent = `GenLab ${M.version()} — SIMD ${M.simdEnabled() ? 'on' : 'off'} (${M.simd()})`;
  window.__genlab = { version: M.version(), simd: M.simd(), simdEnabled: M.simdEnabled() };
} catch (e) {
  status.textContent = `Could not load the GenLab module: ${e.message}`;
  window.__genlab = { error: String(e) };
}
