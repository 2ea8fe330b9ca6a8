// genlab's WebAssembly side of the runner protocol (protocol.mjs), shared by node
// (genlab-wasm-node) and the Chromium worker (genlab-wasm-chromium). Training goes through the
// real module, genlab.mjs: a Session configured with the workload's settings, trained in
// session.train(n) chunks of ~20 ms with the stats copied out of every call, as the page's worker
// does. GEMM goes through bench_runner.mjs (the C++ Runner compiled to wasm), so the product
// is timed without JavaScript in the loop. Pure ES module.
import { nextChunk, runFor } from './protocol.mjs';

// M: the genlab module; R: the bench_runner module; loadBytes(file) → Promise<Uint8Array>;
// afterChunk(session, stats): optional, awaited after every chunk (the browser worker copies a
// frame out and yields there).
export function genlabRunner({ M, R, loadBytes, afterChunk }) {
  let session = null, chunk = 1;
  let fields = [];       // the StepStats fields of the run's first two history channels
  let lastStats = null;  // of the last train() call, for afterChunk
  let gemm = null;       // a bench_runner Runner holding the operands

  // One session.train(n) call, sized like the page's worker does (on the call's own time).
  function trainChunk() {
    const t0 = performance.now();
    const s = session.train(chunk);
    chunk = nextChunk(chunk, performance.now() - t0);
    const stats = { steps: s.steps, finite: s.finite, loss: s.loss, dLoss: s.dLoss, gLoss: s.gLoss };
    if (!stats.finite) throw new Error(`the loss became NaN or infinite (step ${session.steps()})`);
    lastStats = stats;
    return [stats.steps, s[fields[0]] ?? 0, s[fields[1]] ?? 0];
  }

  const call = (line) => {
    const reply = JSON.parse(gemm.handle(line));
    if (!reply.ok) throw new Error(reply.error);
    return reply;
  };

  return {
    info: () => ({ version: M.version(), simd: M.simd() }),
    async setup({ settings }) {
      gemm?.delete();
      gemm = null;
      session?.delete();
      session = new M.Session();
      const ds = settings.dataset;
      if (M.datasets().some((d) => d.name === ds && d.kind === 'image')) {
        const [train, test] = await Promise.all([loadBytes(`${ds}-train.glds`), loadBytes(`${ds}-test.glds`)]);
        session.provideImages(ds, train, test);
      }
      session.configure(settings);
      // The core names channels d_loss, …; Embind's StepStats fields are camelCase (dLoss).
      fields = Array.from(session.info().channels).slice(0, 2).map((c) => c.replace(/_([a-z])/g, (_, x) => x.toUpperCase()));
      chunk = 1;
    },
    gemm({ M: m, K, N, form }) {
      session?.delete();
      session = null;
      gemm ??= new R.Runner();
      call(`gemm ${m} ${K} ${N} ${form}`);
    },
    async run(seconds) {
      if (gemm) return call(`run ${seconds}`);
      if (!session) throw new Error('run: send setup or gemm first');
      return runFor(seconds, trainChunk, afterChunk && (() => afterChunk(session, lastStats)));
    },
  };
}
