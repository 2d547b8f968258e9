// A tiny static file server on 127.0.0.1 for the ui surface: serves the built webview bundle and
// its assets from fixed roots, plus generated pages. Nothing is served from outside those roots.
import { createReadStream, existsSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.wasm': 'application/wasm', '.map': 'application/json',
};

export interface StaticServer {
  origin: string;
  /** Registers a generated response for an exact path. */
  page(urlPath: string, body: () => string, type?: string): void;
  close(): Promise<void>;
}

/** Serves `mounts` (URL prefix → folder) and generated pages. */
export async function startStaticServer(mounts: Record<string, string>): Promise<StaticServer> {
  const pages = new Map<string, { body: () => string; type: string }>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // Browsers ask for a favicon on their own; a webview never does. Answer without a 404 in the console.
    if (url.pathname === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    const gen = pages.get(url.pathname);
    if (gen) {
      res.writeHead(200, { 'content-type': gen.type, 'cache-control': 'no-store' });
      res.end(gen.body());
      return;
    }
    for (const [prefix, root] of Object.entries(mounts)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const rel = decodeURIComponent(url.pathname.slice(prefix.length));
      const file = path.resolve(root, rel);
      if (file !== root && !file.startsWith(root + path.sep)) break;
      if (!existsSync(file) || !statSync(file).isFile()) break;
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`not found: ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(urlPath, body, type = 'text/html; charset=utf-8') { pages.set(urlPath, { body, type }); },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
