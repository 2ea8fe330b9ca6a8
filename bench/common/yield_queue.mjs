// Lets a bench worker's message queue run between ~20 ms training chunks (a frame request, a stop)
// without the 4 ms clamp of nested setTimeout: a message to itself through a MessageChannel.
const channel = new MessageChannel();
let resume = null;
channel.port1.onmessage = () => resume?.();
export const yieldToQueue = () => new Promise((ok) => { resume = ok; channel.port2.postMessage(0); });
