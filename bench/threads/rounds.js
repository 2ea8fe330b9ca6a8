// What both bench workers (worker.js: a genlab module, tfjs_worker.js: TensorFlow.js) share: the
// yield between chunks (bench/common) and the timing — a 2 s warm-up, then three rounds of
// `seconds`, each as steps per second (one decimal).
export { yieldToQueue } from './common/yield_queue.mjs';

/** @param {{ run(seconds: number): Promise<{ units: number, seconds: number }> }} runner */
export async function timedRounds(runner, seconds) {
  await runner.run(2);
  const rounds = [];
  for (let i = 0; i < 3; i++) {
    const r = await runner.run(seconds);
    rounds.push(Math.round((r.units / r.seconds) * 10) / 10);
  }
  return rounds;
}
