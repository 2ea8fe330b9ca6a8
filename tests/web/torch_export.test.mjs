// The page's PyTorch and ONNX exports and the import (issue 17): "PyTorch (zip)" downloads the
// weights (.safetensors) and the generated module; Debian's python3-torch loads them, trains a few
// steps and saves with the module; "Load model" takes that file back (the model, its settings and
// its step), and refuses a damaged copy keeping the current model. "ONNX (zip)" gives graphs that
// onnxruntime-node runs, agreeing with the PyTorch module.
import './i18n_node.mjs';
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STRICT_CSP, openBrowser } from './browser.mjs';
import { loadGenlab } from './load_module.mjs';
import { encodeHash } from '../../web/state.js';
import { crc32 } from '../../web/downloads.js';
import ort from 'onnxruntime-node';

const PYTHON = '/usr/bin/python3';   // Debian's, with python3-torch (scripts/genlab deps)
const run = { browser: null, links: new Map() };
before(async () => {
  const M = await loadGenlab();
  for (const p of M.presets()) run.links.set(p.name, encodeHash({ settings: p.settings }, M.schema()));
  const ring8 = M.presets().find((p) => p.name === 'ring8-gan');  // a setup no preset has
  run.links.set('custom', encodeHash({ settings: { ...ring8.settings, batch: 100 } }, M.schema()));
  run.browser = await openBrowser({ csp: STRICT_CSP });
});
after(async () => { await run.browser?.close(); });

async function open(name) {
  const { ctx, url, watch } = run.browser;
  const page = await ctx.newPage();
  watch(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${url}index.html${run.links.get(name)}&lang=en`);
  await page.waitForFunction(() => window.__genlab?.ready === true && window.__genlab.frames > 0, null, { timeout: 60000 });
  return page;
}

async function train(page, steps) {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction((n) => window.__genlab.step >= n, steps, { timeout: 60000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => window.__genlab.playing === false);
}

// The files of a zip whose entries are stored (no compression), each checked against its CRC-32.
function unzipStored(buf) {
  const files = {};
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    assert.equal(buf.readUInt16LE(at + 8), 0, 'stored, not compressed');
    const size = buf.readUInt32LE(at + 18);
    const nameLen = buf.readUInt16LE(at + 26);
    const name = buf.toString('utf8', at + 30, at + 30 + nameLen);
    const bytes = buf.subarray(at + 30 + nameLen, at + 30 + nameLen + size);
    assert.equal(crc32(bytes), buf.readUInt32LE(at + 14), `${name}: CRC-32 as stated`);
    files[name] = bytes;
    at += 30 + nameLen + size;
  }
  assert.equal(buf.readUInt32LE(at), 0x02014b50, 'the central directory follows the entries');
  return files;
}

const PY_TRAIN = `
import sys, importlib.util, torch
spec = importlib.util.spec_from_file_location("genlab_model", sys.argv[1] + "/genlab_model.py")
gm = importlib.util.module_from_spec(spec); spec.loader.exec_module(gm)
m = gm.load(sys.argv[1] + "/model.safetensors")
assert isinstance(m, gm.GAN) and m.G_ema is not None, type(m)
x = m.sample(16); assert x.shape == (16, 2) and torch.isfinite(x).all()
torch.manual_seed(0); m.train()
opt = torch.optim.Adam(m.G.parameters(), lr=1e-2)
for _ in range(5):
    opt.zero_grad(); a = m.critic(m.generate(m.noise(64), ema=False))
    torch.nn.functional.binary_cross_entropy_with_logits(a, torch.ones_like(a)).backward(); opt.step(); m.update_ema(0.5)
gm.save(m.eval(), sys.argv[1] + "/trained.safetensors", step=777)
print("ok")
`;

test('export to PyTorch, train there, load the result back; a damaged file is refused', async () => {
  const page = await open('ring8-gan');
  await train(page, 40);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-torch').click()]);
  assert.match(dl.suggestedFilename(), /^genlab-gan-ring8-step\d+-pytorch\.zip$/);
  const files = unzipStored(readFileSync(await dl.path()));
  assert.deepEqual(Object.keys(files).sort(), ['README.txt', 'data2d.safetensors', 'genlab_model.py', 'model.safetensors', 'train.py']);
  assert.match(files['train.py'].toString('utf8'), /^CONFIG_JSON = r'''\{"model": "gan", "dataset": "ring8"/m, 'the settings written into train.py');
  const module = files['genlab_model.py'].toString('utf8');
  assert.match(module, /^SPEC_TEXT = r'''\{"model": "gan", "dataDim": 2, "pack": 4/m, 'the spec written into the module');
  assert.match(module, /^CONFIG_TEXT = r'''model=gan\n/m, 'the settings written into the module');
  assert.match(await page.locator('#files-msg').textContent(), /Exported the model at step \d+ for PyTorch/);

  const dir = mkdtempSync(path.join(tmpdir(), 'genlab-torch-'));
  writeFileSync(path.join(dir, 'genlab_model.py'), files['genlab_model.py']);
  writeFileSync(path.join(dir, 'model.safetensors'), files['model.safetensors']);
  let out;
  try {
    out = execFileSync(PYTHON, ['-c', PY_TRAIN, dir], { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`PyTorch side failed (python3-torch missing? scripts/genlab deps installs it): ${e.stderr || e.message}`);
  }
  assert.equal(out.trim(), 'ok');
  const trained = readFileSync(path.join(dir, 'trained.safetensors'));
  // The page's train.py runs on the points it came with (one process, a few iterations).
  writeFileSync(path.join(dir, 'train.py'), files['train.py']);
  writeFileSync(path.join(dir, 'data2d.safetensors'), files['data2d.safetensors']);
  const log = execFileSync(PYTHON, [path.join(dir, 'train.py'), '--steps', '4', '--log-every', '2', '--out', path.join(dir, 'run')],
    { encoding: 'utf8' });
  assert.match(log, /"event": "saved".*"step": \d+/, log);

  // A damaged copy (one weight byte flipped) is refused; the page keeps its model and step.
  const stepBefore = await page.evaluate(() => window.__genlab.step);
  const damaged = Buffer.from(trained);
  damaged[damaged.length - 5] ^= 0x10;
  await page.locator('#load-model').setInputFiles({ name: 'damaged.safetensors', mimeType: 'application/octet-stream', buffer: damaged });
  await page.waitForFunction(() => /checksum mismatch/.test(document.getElementById('files-msg').textContent), null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.__genlab.step), stepBefore, 'the model is kept');

  // The PyTorch-trained file loads: its step, and the page goes on from it.
  await page.locator('#load-model').setInputFiles({ name: 'trained.safetensors', mimeType: 'application/octet-stream', buffer: trained });
  await page.waitForFunction(() => /Loaded a model trained for 777 steps/.test(document.getElementById('files-msg').textContent), null, { timeout: 30000 });
  await page.waitForFunction(() => window.__genlab.step === 777, null, { timeout: 30000 });
  await train(page, 800);
  assert.deepEqual(await page.evaluate(() => window.__genlab.viewErrors()), {});

  // ONNX: the networks of the loaded model; onnxruntime runs them, and the generator agrees with
  // the PyTorch module's G_ema on the same noise (both from this page's exports).
  const [od] = await Promise.all([page.waitForEvent('download'), page.locator('#export-onnx').click()]);
  assert.match(od.suggestedFilename(), /^genlab-gan-ring8-step\d+-onnx\.zip$/);
  const onnx = unzipStored(readFileSync(await od.path()));
  assert.deepEqual(Object.keys(onnx).sort(), ['README.txt', 'discriminator.onnx', 'generator.onnx']);
  assert.match(await page.locator('#files-msg').textContent(), /as ONNX/);
  const [td] = await Promise.all([page.waitForEvent('download'), page.locator('#export-torch').click()]);
  const now = unzipStored(readFileSync(await td.path()));
  writeFileSync(path.join(dir, 'model.safetensors'), now['model.safetensors']);
  const z = Array.from({ length: 8 * 8 }, (_, i) => Math.sin(i * 0.7));
  const py = execFileSync(PYTHON, ['-c', `
import sys, json, importlib.util, torch
spec = importlib.util.spec_from_file_location("genlab_model", sys.argv[1] + "/genlab_model.py")
gm = importlib.util.module_from_spec(spec); spec.loader.exec_module(gm)
m = gm.load(sys.argv[1] + "/model.safetensors")
z = torch.tensor(json.loads(sys.argv[2]), dtype=torch.float32).reshape(8, 8)
print(json.dumps(m.generate(z).detach().reshape(-1).tolist()))
`, dir, JSON.stringify(z)], { encoding: 'utf8' });
  const want = JSON.parse(py);
  const gen = await ort.InferenceSession.create(onnx['generator.onnx']);
  const x = (await gen.run({ z: new ort.Tensor('float32', Float32Array.from(z), [8, 8]) })).x;
  assert.deepEqual(x.dims, [8, 2]);
  const err = Math.max(...want.map((v, i) => Math.abs(v - x.data[i])));
  assert.ok(err <= 1e-5 * Math.max(...want.map(Math.abs)), `ONNX generator vs the PyTorch module: ${err}`);
  const dis = await ort.InferenceSession.create(onnx['discriminator.onnx']);
  const score = (await dis.run({ x: new ort.Tensor('float32', Float32Array.from(z.slice(0, 16)), [8, 2]) })).score;
  assert.deepEqual(score.dims, [2, 1], 'pack 4: two judgements of eight rows');
  assert.ok(Array.from(score.data).every(Number.isFinite));
  await page.close();
});

test('"Start from a trained model" loads the preset\'s checkpoint; a preset without one says which have', async () => {
  const page = await open('ring8-gan');
  await page.locator('#trained-start').click();
  await page.waitForFunction(() => /Loaded a model trained for 31000 steps/.test(document.getElementById('files-msg').textContent),
    null, { timeout: 60000 });
  await page.waitForFunction(() => window.__genlab.step === 31000, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => document.getElementById('preset').value), 'ring8-gan', 'still the preset');
  await train(page, 31050);
  assert.deepEqual(await page.evaluate(() => window.__genlab.viewErrors()), {});
  await page.close();

  // A compact checkpoint (bytes with row scales, G from its moving average) of an image model.
  // Reached here from the expectation line: while training, the picture is minutes away, so it
  // says how long and offers the trained model.
  const gan = await open('mnist-gan');
  assert.equal(await gan.locator('#expect-wait').isVisible(), false, 'nothing to say before training');
  await gan.getByRole('button', { name: 'Play', exact: true }).click();
  await gan.locator('#expect-wait').waitFor({ state: 'visible', timeout: 30000 });
  assert.match(await gan.locator('#expect-eta').innerText(), /^About [\d.]+ (s|minutes) to go at this speed\.$/);
  await gan.locator('#expect-trained').click();
  await gan.waitForFunction(() => /Loaded a model trained for 30000 steps/.test(document.getElementById('files-msg').textContent),
    null, { timeout: 60000 });
  // Loading it often leaves the worker's heap mostly free, and the page then recycles the worker
  // (not always: it depends on the machine's load). Wait for that one to end, then recycle once
  // more ourselves and press Play in the same task: Play must be kept for the fresh worker. (It
  // was lost: the PLAY went to the old worker, and the page showed Play again once the model was
  // back.)
  await gan.waitForFunction(() => window.__genlab.step === 30000 && !window.__genlab.recycling, null, { timeout: 30000 });
  const recycles = await gan.evaluate(() => window.__genlab.recycles ?? 0);
  const began = await gan.evaluate(() => {
    const r = window.__genlab.recycleNow();
    document.getElementById('play').click();
    return r;
  });
  assert.ok(began, 'a recycle began');
  // The model comes through the recycle (before the page kept the loaded step it came back at
  // step 0), and training goes on from it.
  await gan.waitForFunction((n) => window.__genlab.recycles > n && window.__genlab.step >= 30020, recycles, { timeout: 60000 });
  assert.equal(await gan.evaluate(() => document.getElementById('preset').value), 'mnist-gan');
  assert.equal(await gan.locator('#expect-wait').isVisible(), false, 'past the steps it needs: no wait to announce');
  await gan.getByRole('button', { name: 'Pause', exact: true }).click();
  await gan.waitForFunction(() => window.__genlab.playing === false);
  assert.deepEqual(await gan.evaluate(() => window.__genlab.viewErrors()), {});
  await gan.close();

  const other = await open('custom');
  assert.equal(await other.evaluate(() => document.getElementById('preset').value), '', 'no preset matches');
  await other.locator('#trained-start').click();
  await other.waitForFunction(() => /No trained model for this setup; trained ones exist for the presets .*mnist-cgan/.test(
    document.getElementById('files-msg').textContent), null, { timeout: 30000 });
  await other.close();
});
