import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.tgz': 'application/gzip',
};

/** The Content-Security-Policy a locked-down host sends: no inline script or style, wasm compiled, nothing evaluated. */
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Serves the production build from `dist/` with room for long addresses: `vite preview` refuses a request line
 * over 16 kB, and the point here is to see what the page does with one.
 */
export async function serveDist(
  root = 'dist',
  mount = '/',
  headers: Record<string, string> = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer({ maxHeaderSize: 1 << 20 }, async (req, res) => {
    const requested = (req.url ?? '/').split('?')[0];
    // Mounted under a sub-path (as a course site would), nothing outside it exists; like most static hosts, the
    // folder without its slash redirects to it (relative addresses need the slash).
    if (`${requested}/` === mount) return void res.writeHead(301, { location: mount + (req.url ?? '').slice(requested.length) }).end();
    if (!requested.startsWith(mount)) return void res.writeHead(404).end();
    const path = normalize(decodeURIComponent(`/${requested.slice(mount.length)}`)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
