// Contrast (issue 14 item 8): each point colour against the discriminator heatmap under it at
// both extremes and in the middle ≥ 3 : 1 (WCAG's non-text contrast), chart text ≥ 4.5 : 1 on
// the chart's white paper, in light and dark mode alike (the plots keep their paper).
import test from 'node:test';
import assert from 'node:assert/strict';
import { COLORS, heatColor } from '../../web/render/colors.js';

const channel = (v) => {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const rgbOf = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
export const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test('the contrast formula is WCAG\'s (it can fail)', () => {
  assert.equal(Math.round(contrast([0, 0, 0], [255, 255, 255]) * 10) / 10, 21);
  assert.ok(contrast(rgbOf('#1b9e5a'), heatColor(1)) < 3, 'the old green on the green end failed');
});

test('points stand out from the heatmap at its extremes', () => {
  for (const [name, hex] of [['real', COLORS.real], ['generated', COLORS.fake]]) {
    for (const t of [0, 0.5, 1]) {
      const c = contrast(rgbOf(hex), heatColor(t));
      assert.ok(c >= 3, `${name} points on D = ${t}: ${c.toFixed(2)} : 1`);
    }
    assert.ok(contrast(rgbOf(hex), [255, 255, 255]) >= 3, `${name} points on white`);
  }
});

test('chart text is readable', () => {
  const c = contrast(rgbOf(COLORS.axis), [255, 255, 255]);
  assert.ok(c >= 4.5, `axis text ${c.toFixed(2)} : 1`);
});
