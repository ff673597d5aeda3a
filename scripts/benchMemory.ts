import { execFileSync } from 'node:child_process';
import { tf } from '../src/tf';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { parseExperimentConfig } from '../src/config/experimentConfig';
import { generateDataset } from '../src/data/synthetic';
import { Race } from '../src/train/race';
import { formatBytes } from '../src/domain/numberText';
import { estimateRaceMemory } from '../src/train/memoryEstimate';
import benchLosses from './bench/benchLosses.json';

/** Settings from the default race to the heaviest the explorer allows. */
const CASES: Record<string, object> = {
  default: {},
  'unet w8, b64, 64 px, 2048+512 images': { batchSize: 64, data: { size: 64, train: 2048, val: 512 }, model: { depth: 'unet', width: 8 } },
  'unet w32, b16, 64 px': { batchSize: 16, data: { size: 64 }, model: { depth: 'unet', width: 32 } },
  'shallow w32, b64, 64 px': { batchSize: 64, data: { size: 64 }, model: { width: 32 } },
  'unet w32, b1, 64 px, 512 val images': { batchSize: 1, data: { size: 64, val: 512 }, model: { depth: 'unet', width: 32 } },
  'heaviest: unet w32, b64, 64 px, 2048+512, 6 losses': {
    batchSize: 64,
    data: { size: 64, train: 2048, val: 512 },
    model: { depth: 'unet', width: 32 },
    losses: benchLosses.memoryHeaviest,
  },
};

/** One case in this process: the wasm heap's growth over set-up, an evaluation and a step (it never shrinks). */
async function measure(input: object): Promise<{ heap: number; generateMs: number; stepMs: number }> {
  await nodeLoaders.wasm!();
  await tf.setBackend('wasm');
  await tf.ready();
  const heapNow = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
  // The heap the wasm runtime starts with, before any tensor: not the race's.
  const start = heapNow();
  const config = parseExperimentConfig({ evalEvery: 100_000, ...input });
  let t = performance.now();
  const dataset = generateDataset(config.data, config.seed);
  const generateMs = performance.now() - t;
  const race = new Race(config, dataset);
  await race.evaluate();
  t = performance.now();
  await race.advance(1);
  const stepMs = performance.now() - t;
  const heap = heapNow() - start;
  race.dispose();
  return { heap, generateMs, stepMs };
}

/**
 * The memory estimate the page shows before a race, next to the wasm heap each setting really reaches in Node
 * (a fresh process per setting: the heap never shrinks). The estimate should be at or above the heap.
 */
export async function main(args: string[]): Promise<number> {
  if (args[0] === '--one') {
    console.log(JSON.stringify(await measure(JSON.parse(args[1]))));
    return 0;
  }
  // This bundled module, run again in a child Node for each setting.
  const load = `const m = await import(${JSON.stringify(import.meta.url)}); process.exitCode = await m.main(JSON.parse(process.argv[1]));`;
  console.log('setting                                              estimate  heap growth   images   one step');
  let under = 0;
  for (const [name, input] of Object.entries(CASES)) {
    const estimate = estimateRaceMemory(parseExperimentConfig(input)).bytes;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', load, JSON.stringify(['--one', JSON.stringify(input)])], {
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { heap: number; generateMs: number; stepMs: number };
    if (estimate < result.heap) under++;
    console.log(
      `${name.padEnd(52)} ${formatBytes(estimate).padStart(8)} ${formatBytes(result.heap).padStart(11)} ${result.generateMs.toFixed(0).padStart(6)} ms ${(result.stepMs / 1000).toFixed(1).padStart(7)} s`,
    );
  }
  console.log(`\nestimates below the measured heap: ${under} (target 0); image generation target: under 3000 ms for the largest set`);
  return 0;
}
