// Settings that do nothing are not shown (issue 14 item 6): the schema's `when` conditions parse,
// name real keys and choices, and say what they should; in the page, leaky slope with ReLU, WGAN
// clip with the non-saturating loss and binarise / decoder variance on 2-D data are hidden.
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { applies, parseWhen } from '../../web/relevance.js';

let M;
let schema;
const f = (key) => schema.find((x) => x.key === key);
const defaults = () => Object.fromEntries(schema.map((x) => [x.key, x.default]));
before(async () => {
  M = await loadGenlab();
  schema = M.schema();
});

test('every condition parses and names existing keys and choices', () => {
  const keys = new Map(schema.map((x) => [x.key, x]));
  let n = 0;
  for (const field of schema) {
    for (const alt of parseWhen(field.when)) {
      for (const { key, values } of alt) {
        n++;
        if (key === 'data') {
          for (const v of values) assert.ok(['image', '2d'].includes(v), `${field.key}: data=${v}`);
          continue;
        }
        assert.ok(keys.has(key), `${field.key}: unknown key ${key}`);
        const k = keys.get(key);
        if (k.type === 'enum') for (const v of values) assert.ok(k.choices.includes(v), `${field.key}: ${key} has no choice ${v}`);
      }
    }
  }
  assert.ok(n >= 20, `${n} clauses checked`);
  assert.throws(() => parseWhen('loss=='), /loss==/);
});

test('what applies when', () => {
  const d = defaults();
  const gan = { ...d, model: 'gan' };
  assert.equal(applies(f('leaky_alpha'), { ...gan, g_act: 'relu', d_act: 'relu' }, '2d'), false);
  assert.equal(applies(f('leaky_alpha'), { ...gan, g_act: 'relu', d_act: 'leaky_relu' }, '2d'), true);
  assert.equal(applies(f('leaky_alpha'), { ...gan, g_act: 'elu', d_act: 'relu' }, '2d'), false, 'ELU has a fixed α');
  assert.equal(applies(f('leaky_alpha'), { ...d, model: 'vae', act: 'relu', d_act: 'leaky_relu' }, '2d'), false, 'D is not in a VAE');
  assert.equal(applies(f('wgan_clip'), { ...gan, loss: 'nonsaturating' }, '2d'), false);
  assert.equal(applies(f('wgan_clip'), { ...gan, loss: 'wgan' }, '2d'), true);
  assert.equal(applies(f('label_smooth'), { ...gan, loss: 'hinge' }, '2d'), false);
  const vae = { ...d, model: 'vae', likelihood: 'auto', gauss_var: 'fixed' };
  assert.equal(applies(f('binarize'), vae, '2d'), false);
  assert.equal(applies(f('binarize'), vae, 'image'), true);
  assert.equal(applies(f('gauss_var'), vae, '2d'), true);
  assert.equal(applies(f('gauss_var'), vae, 'image'), false);
  assert.equal(applies(f('gauss_logvar'), { ...vae, gauss_var: 'learned' }, '2d'), false);
  assert.equal(applies(f('gauss_logvar'), vae, '2d'), true);
  assert.equal(applies(f('beta1'), { ...vae, opt: 'rmsprop' }, '2d'), false);
  assert.equal(applies(f('rho'), { ...vae, opt: 'rmsprop' }, '2d'), true);
  assert.equal(applies(f('batch'), vae, '2d'), true, 'no condition: always');
});

let b;
after(async () => { await b?.close(); });
test('the page hides what does nothing and shows it once it applies', async () => {
  b = await openBrowser({ csp: STRICT_CSP });
  const page = b.page;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b.url}index.html#model=gan&g_act=relu&d_act=relu&loss=nonsaturating&lang=en`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 30000 });
  assert.equal(await page.locator('#set-leaky_alpha').isVisible(), false, 'leaky slope with ReLU');
  assert.equal(await page.locator('#set-wgan_clip').isVisible(), false, 'WGAN clip with the non-saturating loss');
  assert.equal(await page.locator('#set-g_lr').isVisible(), true);
  await page.selectOption('#set-loss', 'wgan');
  await page.locator('#set-wgan_clip').waitFor({ state: 'visible' });
  await page.goto(`${b.url}index.html#model=vae&dataset=ring8&lang=en`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.config?.model === 'vae', null, { timeout: 30000 });
  assert.equal(await page.locator('#set-binarize').isVisible(), false, 'binarise on 2-D data');
  assert.equal(await page.locator('#set-gauss_var').isVisible(), true, 'a Gaussian decoder on 2-D data');
  assert.deepEqual(b.errors, []);
});
