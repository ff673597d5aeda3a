import { readFile } from 'node:fs/promises';
import { readArgs } from './cliArgs';
import { selectBackend } from '../src/worker/selectBackend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { checkVectorFile } from '../src/reference/vectorFile';
import { formatParity, runParity } from '../src/reference/parity';

const USAGE = 'usage: npm run vectors -- FILE.json [--backend cpu|wasm]';

/** Checks every loss and metric key of a reference vectors file on cpu (default) or wasm. */
export async function main(args: string[]): Promise<number> {
  const parsed = readArgs(args, { backend: { type: 'string', default: 'cpu' }, help: { type: 'boolean', short: 'h' } }, true);
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const backend = parsed.values.backend;
  if (backend !== 'cpu' && backend !== 'wasm') {
    console.error(`--backend: expected cpu or wasm, got ${backend}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) {
    console.error(extra.length ? `unexpected argument '${extra[0]}'\n${USAGE}` : USAGE);
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
