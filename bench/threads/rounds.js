// What both bench workers (worker.js: a genlab module, tfjs_worker.js: TensorFlow.js) share: a way
// to yield to the worker's message queue between ~20 ms chunks, and the timing — a 2 s warm-up,
// then three rounds of `seconds`, each as steps per second (one decimal).
const channel = new MessageChannel();
let resume;
channel.port1.onmessage = () => resume();
export const yieldToQueue = () => new Promise((ok) => { resume = ok; channel.port2.postMessage(0); });

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
