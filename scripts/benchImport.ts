import { existsSync } from 'node:fs';
import { importDataset } from '../src/data/importDataset';
import { readDataDir } from './readDataDir';
import { nodeDecoder } from './nodeDecoder';

// The import of the nuclei tiles, timed: what the page does between a drop and its summary (header checks, PNG
// decoding, mask reading, intensity scaling, the content hash), in Node on the same code. The read from disk is
// timed apart, since the page has the bytes already.
const TILES = '../shared/data/nuclei/tiles';
const RUNS = 7;
const TARGET_MS = 2000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Imports the tiles RUNS times (the first warms the decoders up and counts like the rest) and prints the medians. */
export async function main(): Promise<number> {
  if (!existsSync(TILES)) {
    console.log(`skipped: ${TILES} is absent (the nuclei tiles live in the shared data, outside the project)`);
    return 0;
  }
  const reads: number[] = [];
  const imports: number[] = [];
  let pairs = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const files = await readDataDir(TILES);
    const read = performance.now();
    const imported = await importDataset(files, { name: 'tiles', classes: 2, scaling: 'dataset', decode: nodeDecoder });
    imports.push(performance.now() - read);
    reads.push(read - started);
    pairs = imported.pairs.length;
  }
  const ms = median(imports);
  console.log(`import of ${pairs} tiles: ${ms.toFixed(0)} ms (target < ${TARGET_MS} ms) ${ms < TARGET_MS ? 'MET' : 'MISSED'}`);
  console.log(
    `read from disk: ${median(reads).toFixed(0)} ms · median of ${RUNS} runs, each ${imports.map((t) => t.toFixed(0)).join(', ')} ms`,
  );
  return 0;
}
