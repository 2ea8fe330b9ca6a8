// "No benchmark of a broken step": the losses a runner reported over every step it ran since
// setup (warm-up and timed repeats, one fresh model) must show training working.
// chunks: [[steps, a, b], …] in order; VAE: a = loss; GAN: a = D's loss, b = G's loss.
//  * VAE: the mean loss of the last fifth of the chunks is below that of the first fifth.
//  * GAN: the two losses oscillate by nature (each player's gain is the other's loss), so each
//    must fall at some point: D's below where it started, G's below its own earlier peak, each
//    by at least MIN_DROP nats. A step that updates nothing, or only one player, or the wrong way
//    fails this.
// Fewer steps than MIN_STEPS cannot show either (a GAN's G loss first rises while D learns):
// bench/compare trains such a system on, untimed, before it checks; if even that leaves too few
// (a very slow system under --quick), the verdict is 'inconclusive', not 'fail'.
// Returns { verdict: 'pass' | 'fail' | 'inconclusive', reason }.
const MIN_DROP = 0.02;
export const MIN_STEPS = { vae: 10, gan: 200 };

// Steps run so far (chunks as above).
export const stepsIn = (chunks) => chunks.reduce((s, c) => s + c[0], 0);

const mean = (cs, i) => cs.reduce((s, c) => s + c[0] * c[i], 0) / cs.reduce((s, c) => s + c[0], 0);

export function lossCheck(kind, chunks) {
  const fail = (reason) => ({ verdict: 'fail', reason });
  if (chunks.some((c) => !c.slice(1).every(Number.isFinite))) return fail('a loss was NaN or infinite');
  if (chunks.length < 2 || stepsIn(chunks) < MIN_STEPS[kind]) {
    return { verdict: 'inconclusive', reason: `only ${stepsIn(chunks)} steps ran (${MIN_STEPS[kind]} needed to judge)` };
  }
  if (kind === 'vae') {
    const k = Math.max(1, Math.floor(chunks.length / 5));
    const early = mean(chunks.slice(0, k), 1), late = mean(chunks.slice(-k), 1);
    return late < early ? { verdict: 'pass' }
      : fail(`the VAE loss did not fall (first fifth ${early.toFixed(3)}, last fifth ${late.toFixed(3)})`);
  }
  const d = chunks.map((c) => c[1]), g = chunks.map((c) => c[2]);
  const dDrop = d[0] - Math.min(...d.slice(1));
  let peak = -Infinity, gDrop = 0;
  for (const v of g) {
    peak = Math.max(peak, v);
    gDrop = Math.max(gDrop, peak - v);
  }
  const problems = [];
  if (!(dDrop >= MIN_DROP)) problems.push(`D's loss never fell below its start ${d[0].toFixed(3)} by ${MIN_DROP}`);
  if (!(gDrop >= MIN_DROP)) problems.push(`G's loss never fell from a peak by ${MIN_DROP}`);
  return problems.length ? fail(`the GAN is not training: ${problems.join('; ')}`) : { verdict: 'pass' };
}
