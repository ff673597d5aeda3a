import { readFile } from 'node:fs/promises';
import { selectBackend } from '../src/backend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { checkVectorFile } from '../src/reference/vectorFile';
import { formatParity, runParity } from '../src/reference/parity';

const USAGE = 'usage: npm run vectors -- FILE.json [--backend cpu|wasm]';

/** Checks every loss and metric key of a reference vectors file on cpu (default) or wasm. */
export async function main(args: string[]): Promise<number> {
  let file: string | undefined;
  let backend: 'cpu' | 'wasm' = 'cpu';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--backend') {
      const b = args[++i];
      if (b !== 'cpu' && b !== 'wasm') {
        console.error(`--backend: expected cpu or wasm, got ${b ?? 'nothing'}\n${USAGE}`);
        return 2;
      }
      backend = b;
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else if (!file && !a.startsWith('--')) {
      file = a;
    } else {
      console.error(`unexpected argument '${a}'\n${USAGE}`);
      return 2;
    }
  }
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  let doc;
  try {
    doc = checkVectorFile(JSON.parse(await readFile(file, 'utf8')));
  } catch (e) {
    console.error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const report = await selectBackend({ loaders: nodeLoaders, requested: backend, order: [backend] });
  console.error(`backend: ${report.backend}`);
  const parity = await runParity(doc);
  console.log(formatParity(parity));
  return parity.failed > 0 ? 1 : 0;
}
