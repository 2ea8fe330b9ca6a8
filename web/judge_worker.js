// A helper of the training worker, on the machine's other core: trains the metrics' judge of an
// image data set (the classifier that scores generated images: 1,500–4,000 batches, seconds of
// work) and sends its weights back, so the training worker never stops training for it. The same
// module and fixed seeds: the weights are the bits the training worker would have made itself.
// Started per data set and terminated once it has answered: its memory goes with it.
// @ts-check
import { errorMessage } from './protocol.js';

self.onmessage = async (e) => {
  const { dataset, train, test } = e.data ?? {};
  try {
    const { default: create } = await import('./genlab.mjs');
    /** @type {import('./genlab').GenlabModule} */
    const M = await create();
    const session = new M.Session();
    session.provideImages(dataset, new Uint8Array(train), new Uint8Array(test));
    const weights = session.judgeWeights(dataset);
    session.delete();
    self.postMessage({ dataset, weights }, { transfer: [weights.buffer] });
  } catch (err) {
    self.postMessage({ dataset, error: errorMessage(err) });
  }
};
