import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { tf } from '../src/tf';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { installNodeWebGpu, nodeWebGpuLoaders } from '../src/backend/nodeWebGpu';
import { swiftShaderEnv } from '../src/backend/swiftShader';
import { parseExperimentConfig } from '../src/config/experimentConfig';
import { generateDataset } from '../src/data/synthetic';
import { Race } from '../src/train/race';
import { formatBytes } from '../src/domain/numberText';
import { estimateRaceMemory } from '../src/train/memoryEstimate';
import benchLosses from './bench/benchLosses.json';

type Backend = 'wasm' | 'webgpu';

/** Settings from the default race to the heaviest the explorer allows (wasm: they take minutes on a software GPU). */
const PAGE_CASES: Record<string, object> = {
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

/** K stacked runs (the first K losses of the heaviest race), both nets, two image sizes: what stacking costs. */
function stackingCases(): Record<string, object> {
  const cases: Record<string, object> = {};
  for (const depth of ['shallow', 'unet'])
    for (const size of [32, 64])
      for (const k of [1, 4, 6])
        cases[`k${k} ${depth} w16, b16, ${size} px`] = {
          batchSize: 16,
          data: { size, train: 64, val: 32 },
          model: { depth, width: 16 },
          losses: benchLosses.memoryHeaviest.slice(0, k),
        };
  return cases;
}

interface Measured {
  /** The engine's own count: the most bytes its tensors held at once (tf.profile's peak), less what it held before. */
  engine: number;
  /** wasm: the heap's growth (it never shrinks); webgpu: the bytes of GPU buffers tfjs allocated, its pool included. */
  held: number;
  stepMs: number;
}

/** One case in this process on `backend`: set-up, an evaluation and a step. */
async function measure(input: object, backend: Backend): Promise<Measured> {
  await (backend === 'wasm' ? nodeLoaders : nodeWebGpuLoaders)[backend]!();
  if (!(await tf.setBackend(backend))) throw new Error(`no ${backend} backend here`);
  await tf.ready();
  const heapNow = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
  const gpuNow = () => (tf.memory() as { numBytesAllocatedInGPU?: number }).numBytesAllocatedInGPU ?? 0;
  const heldNow = backend === 'wasm' ? heapNow : gpuNow;
  // What the runtime holds before any tensor of the race: not the race's.
  const [startHeld, startBytes] = [heldNow(), tf.memory().numBytes];
  const config = parseExperimentConfig({ evalEvery: 100_000, ...input });
  const dataset = generateDataset(config.data, config.seed);
  let race: Race | null = null;
  let stepMs = 0;
  const profile = await tf.profile(async () => {
    race = new Race(config, dataset);
    await race.evaluate();
    const t = performance.now();
    await race.advance(1);
    stepMs = performance.now() - t;
    return [];
  });
  const held = heldNow() - startHeld;
  (race as Race | null)?.dispose();
  return { engine: profile.peakBytes - startBytes, held, stepMs };
}

/** Runs `measure` in a fresh Node (the wasm heap never shrinks, the GPU pool keeps its buffers). */
function measureApart(input: object, backend: Backend, gpuEnv: Record<string, string>): Measured {
  const load = `const m = await import(${JSON.stringify(import.meta.url)}); process.exitCode = await m.main(JSON.parse(process.argv[1]));`;
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', load, JSON.stringify(['--one', backend, JSON.stringify(input)])],
    {
      encoding: 'utf8',
      // Where the machine has no GPU driver, Dawn's Vulkan is Chromium's SwiftShader, found when the process starts.
      env: { ...process.env, ...(backend === 'webgpu' ? gpuEnv : {}) },
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

/**
 * The memory estimate the page shows before a race, next to what the engine really holds in Node (a fresh process
 * per setting): its tensors' peak (tf.profile), and the wasm heap's growth or the GPU buffers tfjs allocated. The
 * estimate should be at or above both. `--backend wasm|webgpu` (default both, webgpu where Dawn has an adapter);
 * `--cases stacking|page|all` (default all on wasm, stacking on webgpu).
 */
export async function main(args: string[]): Promise<number> {
  if (args[0] === '--one') {
    console.log(JSON.stringify(await measure(JSON.parse(args[2]), args[1] as Backend)));
    return 0;
  }
  // Read before this process's Dawn takes SwiftShader (which sets VK_ICD_FILENAMES here, not the library path).
  const gpuEnv = swiftShaderEnv();
  const { values } = parseArgs({ args, options: { backend: { type: 'string' }, cases: { type: 'string' } } });
  const backends = values.backend ? [values.backend as Backend] : (['wasm', 'webgpu'] as Backend[]);
  if (backends.includes('webgpu') && (await installNodeWebGpu())) {
    console.log(`webgpu skipped: ${await installNodeWebGpu()}`);
    backends.splice(backends.indexOf('webgpu'), 1);
  }
  console.log('backend setting                                              estimate  engine peak  heap/GPU held  one step');
  let under = 0;
  for (const backend of backends) {
    const which = values.cases ?? (backend === 'wasm' ? 'all' : 'stacking');
    const cases = { ...(which !== 'page' ? stackingCases() : {}), ...(which !== 'stacking' ? PAGE_CASES : {}) };
    for (const [name, input] of Object.entries(cases)) {
      const estimate = estimateRaceMemory(parseExperimentConfig(input)).bytes;
      const m = measureApart(input, backend, gpuEnv);
      if (estimate < Math.max(m.engine, m.held)) under++;
      const cells = [estimate, m.engine, m.held].map((b) => formatBytes(b));
      console.log(
        `${backend.padEnd(8)}${name.padEnd(52)} ${cells[0].padStart(8)} ${cells[1].padStart(12)} ${cells[2].padStart(14)} ${(m.stepMs / 1000).toFixed(1).padStart(7)} s`,
      );
    }
  }
  console.log(`\nestimates below what was measured: ${under} (target 0)`);
  return 0;
}
