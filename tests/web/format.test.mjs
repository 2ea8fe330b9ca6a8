// Unit tests of web/format.js (numbers, metrics table, status line, CSV) and of the pure parts
// of web/embed.js (embed URL and iframe snippet, which must escape what it quotes).
import './i18n_node.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fmt, fmtRate, historyCsv, metricRows, metricsCsv, statusLine, toCsv } from '../../web/format.js';
import { buildEmbedUrl, iframeSnippet } from '../../web/embed.js';
import { fileStem } from '../../web/files.js';

test('numbers are short and honest', () => {
  assert.equal(fmt(NaN), '–');
  assert.equal(fmt(Infinity), '∞');
  assert.equal(fmt(3), '3');
  assert.equal(fmt(0.12345), '0.123');
  assert.equal(fmt(123.456), '123.5');
  assert.equal(fmt(1e-5), '1.00e-5');
  assert.equal(fmtRate(0), '0');
  assert.equal(fmtRate(1530), '1.5k');
  assert.equal(fmtRate(4.25), '4.3');
});

test('metric rows follow the table, then unknown numbers', () => {
  const rows = metricRows({ steps: 10, hq: 0.5, modes: 7, modes_total: 8, grid_js: 0.25, new_thing: 2, label: 'x' });
  assert.deepEqual(rows.map((r) => r.key), ['modes', 'hq', 'grid_js', 'new_thing']);
  assert.equal(rows[0].text, '7 / 8');
  assert.equal(rows[1].text, '50 %');
  assert.equal(metricRows({ hq: 0.987 })[0].text, '98.7 %');
});

test('status lines name the step, speed and losses', () => {
  assert.equal(statusLine(null, 0, ['loss']), 'Ready.');
  assert.equal(statusLine({ totalSteps: 12, dLoss: 1.25, gLoss: 0.5, loss: 9 }, 300, ['d_loss', 'g_loss']), 'Step 12, 300 steps/s, D loss 1.250, G loss 0.500.');
  assert.match(statusLine({ totalSteps: 3, loss: 2, recon: 1.5, kl: 0.5 }, 0, ['loss', 'recon', 'kl']), /^Step 3, −ELBO \(loss\) 2, Reconstruction 1\.500, KL 0\.500\.$/);
  // A channel the page has no label for shows under its own name, read from its camelCase field.
  assert.equal(statusLine({ totalSteps: 1, newThing: 0.25 }, 0, ['new_thing']), 'Step 1, new_thing 0.250.');
});

test('CSV quotes what needs quoting and names the history columns', () => {
  assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1, NaN]]), 'a,b\n"x,y","say ""hi"""\n1,\n');
  assert.equal(historyCsv({ channels: ['d_loss', 'g_loss', 'd_real'], data: Float32Array.from([1, 2, 3, 4, 2, 5, 6, 7]) }), 'step,d_loss,g_loss,d_real\n1,2,3,4\n2,5,6,7\n');
  assert.equal(historyCsv({ channels: ['loss'], data: Float32Array.from([1, 2, 2, 5, 3]) }), 'step,loss\n1,2\n2,5\n');
  assert.equal(metricsCsv([{ step: 5, metrics: { a: 1 } }, { step: 9, metrics: { a: 2, b: 3 } }]), 'step,a,b\n5,1,\n9,2,3\n');
});

test('embed URLs replace old flags; the snippet escapes its attribute', () => {
  const url = buildEmbedUrl('https://h/x/index.html#old=1', '#model=gan&lr_hide=1&embed=1', new Set(['play']), true);
  assert.equal(url, 'https://h/x/index.html#model=gan&play_hide=1&embed=1');
  assert.equal(buildEmbedUrl('https://h/', '', new Set(), false), 'https://h/');
  const s = iframeSnippet('https://h/#a="><script>', { title: 'T<' });
  assert.ok(s.startsWith('<iframe src="https://h/#a=&quot;&gt;&lt;script&gt;"'), s);
  assert.ok(s.includes('title="T&lt;"'));
  assert.ok(!s.includes('style='), 'no inline style: course pages may run a strict CSP too');
  assert.equal(fileStem({ model: 'gan', dataset: '../../etc' }, 12.7), 'genlab-gan-etc-step12');
});
