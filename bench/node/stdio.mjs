// Serves a runner handler (protocol.mjs) over stdin/stdout: one command line in, one JSON line
// out, strictly in order. "quit" or the end of input ends the process.
import { createInterface } from 'node:readline';

export async function serveStdio(handler) {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === 'quit') break;
    if (!line.trim()) continue;
    const reply = await handler(line);
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  }
  process.exit(0);
}

// --name value pairs of argv.
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
