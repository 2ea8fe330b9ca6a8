#!/usr/bin/env node
// A small static file server for the built page (no dependencies).
//   node scripts/serve.mjs --dir build/wasm/www [--port 8000] [--host 127.0.0.1]
//                          [--csp "<policy>"] [--isolate] [--quiet]
// --csp sends a Content-Security-Policy header; --isolate sends COOP/COEP (cross-origin isolation).
// Also importable: startServer({ dir, port, csp, isolate }) resolves to { server, url }.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.bin': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8', '.gz': 'application/gzip',
};

export function startServer({ dir, port = 8000, host = '127.0.0.1', csp = '', isolate = false, quiet = true }) {
  const root = path.resolve(dir);
  const server = createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = path.join(root, rel);
    if (!file.startsWith(root)) {  // no escaping the served folder with ../
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const st = statSync(file);
      const headers = {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      };
      if (csp) headers['Content-Security-Policy'] = csp;
      if (isolate) {
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
      if (!quiet) console.log(`${req.method} ${rel} 200`);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      if (!quiet) console.log(`${req.method} ${rel} 404`);
    }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ server, url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${p}/` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const dir = opt('dir', 'build/wasm/www');
  const port = Number(opt('port', process.env.PORT ?? 8000));
  try {
    const { url } = await startServer({
      dir, port, host: opt('host', '127.0.0.1'), csp: opt('csp', ''),
      isolate: args.includes('--isolate'), quiet: !args.includes('--verbose'),
    });
    console.log(`GenLab is served at ${url}  (Ctrl+C to stop)`);
  } catch (e) {
    console.error(e.code === 'EADDRINUSE' ? `port ${port} is in use: set PORT=… to pick another` : e.message);
    process.exit(1);
  }
}
