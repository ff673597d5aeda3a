import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { sourceArchivePlugin, sourceLink } from './scripts/sourceArchive.ts';
import { bundleBudgetPlugin } from './scripts/bundleBudget.ts';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as Parameters<typeof sourceLink>[0];

// Relative: the built site works from any sub-path of any static host (a course page's /course/explorer/), and
// the worker, wasm binaries and chunks are found next to the page that loads them.
const base = './';

export default defineConfig({
  base,
  plugins: [react(), sourceArchivePlugin(root), bundleBudgetPlugin()],
  define: { __SOURCE_LINK__: JSON.stringify(sourceLink(pkg, base)) },
  // Lightning CSS turns the named breakpoints (app/theme/breakpoints.css, which says why this one) into queries.
  css: { transformer: 'lightningcss', lightningcss: { drafts: { customMedia: true } } },
  // The engine worker loads its backends with dynamic imports, which need ES-module workers.
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // The page, and embed.js at the site's root (a fixed name, so host pages can link it).
      input: { main: `${root}/index.html`, embed: `${root}/app/embed/element.ts` },
      output: { entryFileNames: (chunk) => (chunk.name === 'embed' ? 'embed.js' : 'assets/[name]-[hash].js') },
    },
  },
  optimizeDeps: { include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients'] },
});
