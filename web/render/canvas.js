// Canvas sizing: the backing store follows the element's CSS size × devicePixelRatio, and the
// context is scaled so renderers draw in CSS pixels. Touches the DOM only when called.

// Returns { ctx, w, h } in CSS pixels, or null when the canvas is not displayed.
export function fitCanvas(canvas) {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (w === 0 || h === 0) return null;
  const dpr = Math.min(3, window.devicePixelRatio || 1);
  const bw = Math.round(w * dpr);
  const bh = Math.round(h * dpr);
  if (canvas.width !== bw || canvas.height !== bh) {
    canvas.width = bw;
    canvas.height = bh;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

// Canvas pixel (CSS) coordinates of a pointer event.
/** @param {HTMLElement} canvas @param {{clientX: number, clientY: number}} ev @returns {[number, number]} */
export function pointerPos(canvas, ev) {
  const r = canvas.getBoundingClientRect();
  return [ev.clientX - r.left, ev.clientY - r.top];
}
