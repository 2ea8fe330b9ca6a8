// Emscripten 3.1.6's ES-module glue still uses CommonJS `require` and `__dirname` in its node
// branch; give it both before the module is imported (values only need to be valid).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

globalThis.require ??= createRequire(import.meta.url);
globalThis.__dirname ??= path.dirname(fileURLToPath(import.meta.url));
