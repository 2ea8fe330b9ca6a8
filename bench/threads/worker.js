// One module (genlab.mjs or genlab-mt.mjs; genlab-mt-1t is genlab-mt held at one thread) trained
// through the bench's own genlab runner (../common/genlab_runner.mjs: train(n) chunks sized to
// ~20 ms), copying 64 samples out and yielding to the queue after each chunk as the page's worker
// does. Reports steps/s of three timed rounds after a 2 s warm-up.
import { genlabRunner } from './common/genlab_runner.mjs';
import { timedRounds, yieldToQueue } from './rounds.js';

const q = new URL(self.location.href).searchParams;
const module = q.get('module');
const settings = JSON.parse(q.get('settings'));
const seconds = Number(q.get('seconds'));

try {
  const { default: create } = await import(`./${module.replace(/-1t$/, '')}.mjs`);
  const M = await create();
  const threads = module.endsWith('-1t') ? M.setThreads(1) : M.threads();
  const loadBytes = async (f) => new Uint8Array(await (await fetch(`./data/${f}`)).arrayBuffer());
  const afterChunk = (session) => { session.samples(64).slice(); return yieldToQueue(); };
  const runner = genlabRunner({ M, R: null, loadBytes, afterChunk });
  await runner.setup({ settings });
  const rounds = await timedRounds(runner, seconds);
  postMessage({ module, threads, rounds });
} catch (e) {
  postMessage({ module, error: String(e?.message ?? e) });
}
