// Runs a TypeScript CLI of this project (scripts/<name>.ts) in Node: Vite bundles it with tfjs-core's ES
// modules (Node cannot load tfjs-core's gradient registrations directly), then its main(args) runs.
import { build } from 'vite';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.error('usage: node scripts/cli.mjs <script> [args...]');
  process.exit(2);
}
const outDir = resolve('.cache/cli');
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: `scripts/${name}.ts`,
    outDir,
    emptyOutDir: false,
    rollupOptions: { output: { format: 'es', entryFileNames: `${name}.mjs` } },
  },
  ssr: {
    noExternal: [/^@tensorflow\/tfjs-(core|backend-cpu|layers)/, 'seedrandom'],
    external: ['@tensorflow/tfjs-backend-wasm', 'vite', '@playwright/test'],
  },
});
const mod = await import(pathToFileURL(resolve(outDir, `${name}.mjs`)).href);
process.exitCode = await mod.main(args);
