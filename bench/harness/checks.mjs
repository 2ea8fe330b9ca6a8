// "No benchmark of a broken step": the losses a runner reported over every step it ran since
// setup (warm-up and timed repeats, one fresh model) must show training working.
// chunks: [[steps, a, b], …] in order; VAE: a = loss; GAN: a = D's loss, b = G's loss.
//  * VAE: the mean loss of the last fifth of the chunks is below that of the first fifth.
//  * GAN: each player's gain is the other's loss, so a player that learns shows it as its own
//    loss falling or the other's rising. Averaged over consecutive windows of at least WINDOW
//    steps, for each player one of the two must move so, from some earlier window, by at least
//    MIN_DROP nats. The windows keep batch-to-batch noise (~0.004 nats for a 128-step mean at
//    batch 256) far below MIN_DROP. A step that updates nothing fails on both players; one that
//    updates only G leaves D's loss rising and G's falling, and fails on D (and the other way
//    round). (D's loss is not compared with its very first value, as it once was: an initial D
//    may already tell G's first points from the data, so that value can be D's lowest — seen on
//    ring-gan with the ziggurat's noise stream.)
// A workload may set a shorter window (workloads.json `check_window`, an integer in [8, 128]):
// dcgan-lite runs a few steps a second, and its losses swing by tenths of a nat within a few
// dozen steps (tests/web/dcgan-chunks.json, its first 320 steps: 32-step means of D's loss
// 0.93 → 0.17 → 0.49, of G's 1.38 → 2.75 → 2.31), so windows of 32 steps show both players
// learning in 256 steps. A window a quarter as long has twice the noise in its mean, so the drop
// it must show is MIN_DROP·√(128/window): 0.1 nats for 32 steps. Recorded dcgan-lite steps with
// one player's rate at 1e-7 (tests/web/dcgan-broken-chunks.json) move the frozen player's signal
// by < 0.003 nats and fail.
// A GAN needs 8 windows of steps (a VAE 10 steps) before the check can judge (a GAN's G loss
// first rises while D learns): bench/compare trains such a system on, untimed, before it checks;
// if even that leaves too few (a very slow system under --quick), the verdict is 'inconclusive',
// not 'fail'.
// Returns { verdict: 'pass' | 'fail' | 'inconclusive', reason }.
const MIN_DROP = 0.05;
const WINDOW = 128;

// A workload's `check_window` (undefined: the default 128), checked.
function windowOf(w) {
  if (w === undefined) return WINDOW;
  if (!(Number.isInteger(w) && w >= 8 && w <= WINDOW)) throw new Error(`check_window ${w}: expected an integer in [8, ${WINDOW}]`);
  return w;
}

// Steps a workload needs before its check can judge (window: its `check_window`, if any).
export const minSteps = (kind, window) => (kind === 'gan' ? 8 * windowOf(window) : 10);

// Steps run so far (chunks as above).
export const stepsIn = (chunks) => chunks.reduce((s, c) => s + c[0], 0);

const mean = (cs, i) => cs.reduce((s, c) => s + c[0] * c[i], 0) / cs.reduce((s, c) => s + c[0], 0);

// Consecutive chunks merged into windows of at least `steps` steps (a short last one kept).
export function windows(chunks, steps) {
  const out = [];
  let group = [], n = 0;
  const close = () => out.push([n, mean(group, 1), mean(group, 2)]);
  for (const c of chunks) {
    group.push(c);
    n += c[0];
    if (n >= steps) {
      close();
      group = [];
      n = 0;
    }
  }
  if (group.length) close();
  return out;
}

// The largest fall of a series below one of its earlier values.
function fallFromPeak(values) {
  let peak = -Infinity, fall = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    fall = Math.max(fall, peak - v);
  }
  return fall;
}

export function lossCheck(kind, chunks, checkWindow) {
  const window = windowOf(checkWindow);
  const fail = (reason) => ({ verdict: 'fail', reason });
  if (chunks.some((c) => !c.slice(1).every(Number.isFinite))) return fail('a loss was NaN or infinite');
  const need = minSteps(kind, window);
  if (chunks.length < 2 || stepsIn(chunks) < need) {
    return { verdict: 'inconclusive', reason: `only ${stepsIn(chunks)} steps ran (${need} needed to judge)` };
  }
  if (kind === 'vae') {
    const k = Math.max(1, Math.floor(chunks.length / 5));
    const early = mean(chunks.slice(0, k), 1), late = mean(chunks.slice(-k), 1);
    return late < early ? { verdict: 'pass' }
      : fail(`the VAE loss did not fall (first fifth ${early.toFixed(3)}, last fifth ${late.toFixed(3)})`);
  }
  // Each player's learning shows as its own loss falling or as the other's rising (what one gains,
  // the other loses): D learns ⇔ D's loss falls or G's rises, from some earlier window.
  const w = windows(chunks, window);
  const d = w.map((c) => c[1]), g = w.map((c) => c[2]);
  const neg = (v) => v.map((x) => -x);
  const dLearns = Math.max(fallFromPeak(d), fallFromPeak(neg(g)));
  const gLearns = Math.max(fallFromPeak(g), fallFromPeak(neg(d)));
  const over = `over ${w.length} windows of ≥ ${window} steps`;
  const minDrop = Number((MIN_DROP * Math.sqrt(WINDOW / window)).toFixed(3));
  const problems = [];
  if (!(dLearns >= minDrop)) problems.push(`D is not learning: its loss never fell, nor G's rose, by ${minDrop} (largest ${dLearns.toFixed(3)} ${over})`);
  if (!(gLearns >= minDrop)) problems.push(`G is not learning: its loss never fell, nor D's rose, by ${minDrop} (largest ${gLearns.toFixed(3)} ${over})`);
  return problems.length ? fail(`the GAN is not training: ${problems.join('; ')}`) : { verdict: 'pass' };
}
