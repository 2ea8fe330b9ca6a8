// A small static file server for the Chromium bench page: GET only, 127.0.0.1, a random free
// port, URL prefixes mounted on folders. No COOP/COEP headers: the page is not cross-origin
// isolated, so TF.js's wasm backend cannot use threads (single-threaded, as genlab's module).
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm', '.glds': 'application/octet-stream',
};

// mounts: { '/prefix/': '/abs/folder', … }. Resolves with { url, close() }.
export function serve(mounts) {
  const server = createServer((req, res) => {
    const file = resolve(mounts, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let size = -1;
    try {
      if (file) size = statSync(file).isFile() ? statSync(file).size : -1;
    } catch { /* missing: 404 below */ }
    if (req.method !== 'GET' || size < 0) {
      res.writeHead(req.method !== 'GET' ? 405 : 404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
  }));
}

// The file a URL path maps to, or null when no mount holds it (never outside a mount).
function resolve(mounts, pathname) {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!pathname.startsWith(prefix)) continue;
    const file = path.resolve(dir, `.${pathname.slice(prefix.length - 1)}`);
    if (file === dir || file.startsWith(dir + path.sep)) return file;
  }
  return null;
}
