// One module (genlab.mjs or genlab-mt.mjs), one session, trained like the page's worker does:
// train(n) chunks sized to ~20 ms, 64 samples copied out after each chunk, a yield to the queue.
// Reports steps/s of three timed rounds after a warm-up.
const q = new URL(self.location.href).searchParams;
const module = q.get('module');
const settings = JSON.parse(q.get('settings'));
const seconds = Number(q.get('seconds'));
try {
  const { default: create } = await import(`./${module}.mjs`);
  const M = await create();
  const s = new M.Session();
  const bytes = async (f) => new Uint8Array(await (await fetch(`./data/${f}`)).arrayBuffer());
  if (settings.dataset.startsWith('mnist')) {
    s.provideImages(settings.dataset, await bytes(`${settings.dataset}-train.glds`), await bytes(`${settings.dataset}-test.glds`));
  }
  s.configure(settings);
  const channel = new MessageChannel();
  let resume;
  channel.port1.onmessage = () => resume();
  const yieldToQueue = () => new Promise((ok) => { resume = ok; channel.port2.postMessage(0); });
  let n = 1;
  const runFor = async (ms) => {
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      const a = performance.now();
      s.train(n);
      steps += n;
      const dt = Math.max(performance.now() - a, 0.1);
      n = Math.max(1, Math.min(2 * n, Math.round((n * 20) / dt)));
      s.samples(64).slice();
      await yieldToQueue();
    }
    return steps / ((performance.now() - t0) / 1000);
  };
  await runFor(2000);
  const rounds = [];
  for (let i = 0; i < 3; i++) rounds.push(Math.round(await runFor(seconds * 1000) * 10) / 10);
  postMessage({ module, threads: M.threads(), rounds });
} catch (e) {
  postMessage({ module, error: String(e?.message ?? e) });
}
