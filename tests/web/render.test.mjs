// Unit tests of the pixel maths behind the views: heatmap colours, field → RGBA, the box ↔ pixel
// transform, image grids, latent box / picking, and the chart's min/max-per-column reduction
// (correct on small inputs, fast and bounded on a million points).
import test from 'node:test';
import assert from 'node:assert/strict';
import { fieldScale, fieldToRgba, heatColor } from '../../web/render/colors.js';
import { makeTransform } from '../../web/render/scatter.js';
import { gridLayout, imagesToRgba } from '../../web/render/images.js';
import { latentBox, nearestCode } from '../../web/render/latent.js';
import { downsampleMinMax, niceNumber, valueRange } from '../../web/render/chart.js';
import { interleave } from '../../web/views.js';

test('heat colours run purple → near white → green and clamp', () => {
  assert.deepEqual(heatColor(0), [214, 190, 236]);
  assert.deepEqual(heatColor(1), [172, 222, 190]);
  assert.deepEqual(heatColor(0.5), [247, 247, 244]);
  assert.deepEqual(heatColor(-3), heatColor(0));
  assert.deepEqual(heatColor(7), heatColor(1));
  assert.deepEqual(heatColor(NaN), [170, 170, 170]);
  const q = heatColor(0.25);
  assert.ok(q[0] > 214 && q[0] < 247, 'a quarter is between purple and white');
});

test('a field maps to RGBA row by row; critics are rescaled to their range', () => {
  const rgba = fieldToRgba(new Float32Array([0, 1, 0.5, 1]), 2, true);
  assert.equal(rgba.length, 16);
  assert.deepEqual([...rgba.slice(0, 4)], [214, 190, 236, 255]);
  assert.deepEqual([...rgba.slice(4, 8)], [172, 222, 190, 255]);
  assert.deepEqual([...rgba.slice(8, 12)], [247, 247, 244, 255]);
  const critic = new Float32Array([-40, 10, 60, NaN]);
  assert.deepEqual(fieldScale(critic, false), { offset: -40, scale: 1 / 100 });
  const c = fieldToRgba(critic, 2, false, 200);
  assert.deepEqual([...c.slice(0, 3)], [214, 190, 236]);
  assert.deepEqual([...c.slice(8, 11)], [172, 222, 190]);
  assert.equal(c[3], 200);
  assert.deepEqual([...c.slice(12, 15)], [170, 170, 170]);
  assert.deepEqual(fieldScale(new Float32Array([2, 2]), false), { offset: 1.5, scale: 1 });
});

test('the data transform keeps the aspect ratio, flips y and inverts', () => {
  const tf = makeTransform([-1, 1, -2, 2], 200, 400, 0);
  assert.equal(tf.x(-1), 0);
  assert.equal(tf.x(1), 200);
  assert.equal(tf.y(2), 0);
  assert.equal(tf.y(-2), 400);
  const wide = makeTransform([0, 1, 0, 1], 300, 100, 10);
  assert.equal(wide.scale, 80);
  assert.deepEqual(wide.rect, [110, 10, 80, 80]);
  assert.ok(Math.abs(wide.invX(wide.x(0.3)) - 0.3) < 1e-12);
  assert.ok(Math.abs(wide.invY(wide.y(0.7)) - 0.7) < 1e-12);
});

test('image grids lay out, clamp and flag NaN pixels', () => {
  assert.deepEqual(gridLayout(10, 4, 8, 1), { cols: 8, rows: 2, width: 41, height: 11 });
  const px = new Float32Array(2 * 4).fill(0);
  px[0] = 1; px[1] = 2; px[2] = -1; px[4] = NaN;
  const img = imagesToRgba(px, 2, 2, 2, 1);
  assert.equal(img.width, 7);
  assert.equal(img.height, 4);
  const at = (x, y) => [...img.data.slice(4 * (y * img.width + x), 4 * (y * img.width + x) + 4)];
  assert.deepEqual(at(0, 0), [255, 255, 255, 255]);   // gap
  assert.deepEqual(at(1, 1), [0, 0, 0, 255]);         // value 1: full ink
  assert.deepEqual(at(2, 1), [0, 0, 0, 255]);         // 2 clamps to 1
  assert.deepEqual(at(1, 2), [255, 255, 255, 255]);   // −1 clamps to 0
  assert.deepEqual(at(4, 1), [220, 40, 40, 255]);     // NaN shows red
});

test('recon interleave puts each row of inputs above its outputs', () => {
  const ins = Float32Array.from([1, 2, 3]);
  const outs = Float32Array.from([11, 12, 13]);
  assert.deepEqual([...interleave(ins, outs, 1, 2)], [1, 2, 11, 12, 3, 13]);
  const into = new Float32Array(6);
  assert.equal(interleave(ins, outs, 1, 2, into), into, 'a buffer of the right length is filled, not replaced');
  assert.deepEqual([...into], [1, 2, 11, 12, 3, 13]);
  assert.notEqual(interleave(ins, outs, 1, 2, new Float32Array(5)), into);
});

test('latent box holds ±3 and ignores a far outlier; picking finds the nearest', () => {
  const codes = new Float32Array(2 * 200);
  for (let i = 0; i < 200; i++) { codes[2 * i] = (i % 10) - 5; codes[2 * i + 1] = 1; }
  codes[0] = 1e6;
  const [x0, x1] = latentBox(codes, 2, 0, 1);
  assert.ok(x0 === -x1 && x1 >= 3 && x1 < 10, String(x1));
  assert.deepEqual(latentBox(new Float32Array([0.1, 0.2]), 2, 0, 1), [-3, 3, -3, 3]);
  const c = Float32Array.from([0, 0, 5, 5, -2, 1]);
  assert.equal(nearestCode(c, 2, 0, 1, 4, 4), 1);
  assert.equal(nearestCode(c, 2, 0, 1, -3, 0), 2);
  assert.equal(nearestCode(new Float32Array(0), 2, 0, 1, 0, 0), -1);
});

test('chart downsampling keeps per-column extremes and means', () => {
  const h = Float32Array.from([0, 1, 0, 0, 1, 3, 0, 0, 2, -1, 0, 0, 3, 5, 0, 0, 4, NaN, 0, 0]);
  const { min, max, mean } = downsampleMinMax(h, 1, 0, 4, 2);
  assert.deepEqual([...min], [1, -1]);
  assert.deepEqual([...max], [3, 5]);
  assert.deepEqual([...mean], [2, 2]);
  const empty = downsampleMinMax(new Float32Array(0), 1, 0, 1, 3);
  assert.ok(empty.min.every(Number.isNaN));
  assert.deepEqual(valueRange([empty]), [0, 1]);
  assert.equal(niceNumber(12345), '1.2e+4');
  assert.equal(niceNumber(0.5), '0.500');
});

test('a million history points reduce to one value per column quickly', () => {
  const n = 1_000_000;
  const h = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) { h[4 * i] = i; h[4 * i + 1] = Math.sin(i / 1000) + (i === 777777 ? 50 : 0); }
  const t0 = performance.now();
  const { max, min } = downsampleMinMax(h, 1, 0, n - 1, 300);
  const ms = performance.now() - t0;
  assert.equal(max.length, 300);
  assert.ok(ms < 400, `took ${ms} ms`);
  assert.ok(Math.max(...max) > 48, 'a one-point spike survives');
  assert.ok(min.every((v) => v >= -1.0001));
  const [lo, hi] = valueRange([{ min, max }], 0);
  assert.ok(lo < -1 && hi > 48);
});

test('thinPoints keeps at most max points, every k-th, and small sets as they are', async () => {
  const { thinPoints, MAX_DRAWN_POINTS } = await import('../../web/render/scatter.js');
  const small = new Float32Array([1, 2, 3, 4]);
  assert.equal(thinPoints(small), small, 'small sets are not copied');
  const n = 100000;
  const xy = new Float32Array(2 * n).map((_, i) => i);
  const shown = thinPoints(xy);
  assert.ok(shown.length / 2 <= MAX_DRAWN_POINTS && shown.length / 2 > MAX_DRAWN_POINTS / 2, `${shown.length / 2} shown`);
  const k = Math.ceil(n / MAX_DRAWN_POINTS);
  for (let j = 0; j < shown.length / 2; j++) {
    assert.equal(shown[2 * j], xy[2 * j * k]);
    assert.equal(shown[2 * j + 1], xy[2 * j * k + 1]);
  }
  assert.deepEqual(Array.from(thinPoints(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 2)), [0, 1, 6, 7]);
});

// The reference imagesToRgba: one byte at a time, exactly as written in the format's words. The
// page's fast version must give the same bytes for any input.
function imagesToRgbaRef(pixels, n, side, cols, gap = 1, scale = 1) {
  const S = side * scale;
  const L = gridLayout(n, S, cols, gap);
  const data = new Uint8ClampedArray(L.width * L.height * 4).fill(255);
  for (let k = 0; k < n; k++) {
    const ox = gap + (k % L.cols) * (S + gap);
    const oy = gap + Math.floor(k / L.cols) * (S + gap);
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const v = pixels[k * side * side + Math.floor(y / scale) * side + Math.floor(x / scale)];
        const o = 4 * ((oy + y) * L.width + ox + x);
        const rgb = Number.isFinite(v) ? Array(3).fill(255 - Math.round(255 * Math.min(1, Math.max(0, v)))) : [220, 40, 40];
        data.set(rgb, o);
      }
    }
  }
  return { width: L.width, height: L.height, data };
}

test('imagesToRgba equals its byte-by-byte reference (values, NaN, ±∞, scales, gaps)', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const specials = [NaN, Infinity, -Infinity, -0, 0, 1, 1 + 1e-7, -1e-7, 0.5, 1 / 510, 3 / 510, 254.5 / 255];
  for (const [n, side, cols, gap, scale] of [[64, 28, 8, 1, 1], [7, 5, 3, 2, 1], [10, 4, 4, 0, 2], [3, 3, 8, 1, 3]]) {
    const px = Float32Array.from({ length: n * side * side }, (_, i) => (i % 17 === 0 ? specials[i % specials.length] : rnd() * 1.4 - 0.2));
    const a = imagesToRgba(px, n, side, cols, gap, scale);
    const b = imagesToRgbaRef(px, n, side, cols, gap, scale);
    assert.equal(a.width, b.width);
    assert.equal(a.height, b.height);
    assert.deepEqual(Buffer.from(a.data.buffer), Buffer.from(b.data.buffer), `${n} images of ${side}² at ×${scale}`);
    // Into a reused buffer (filled with other bytes first): the same bytes, in that buffer.
    const into = new Uint8ClampedArray(a.data.length).fill(7);
    const c = imagesToRgba(px, n, side, cols, gap, scale, into);
    assert.equal(c.data, into);
    assert.deepEqual(Buffer.from(c.data.buffer), Buffer.from(b.data.buffer));
  }
});
