import { writeFile } from 'node:fs/promises';
import { readArgs } from './cliArgs';
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from './launchChromium';
import { selectBackend } from '../src/worker/selectBackend';
import { tf } from '../src/tf';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { adapterLabel, probeWebGpu } from '../src/backend/probeAdapter';
import { installNodeWebGpu, nodeWebGpuLoaders } from '../src/backend/nodeWebGpu';
import { casesFor, runCase, type BenchCase, type BenchRow } from './bench/benchCases';
import { formatLandscapeRow, landscapeSummary, runLandscapeCase, type LandscapeRow } from './bench/landscapeCases';

const USAGE = 'usage: npm run bench -- [--out FILE.json] [--budget-ms 3000] [--node-only] [--node-webgpu]';

async function browserRows(budgetMs: number): Promise<BenchRow[]> {
  const outDir = resolve('.cache/bench');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: resolve('scripts/bench'),
    base: './',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  const server = await preview({
    configFile: false,
    root: resolve('scripts/bench'),
    build: { outDir },
    preview: { port: 4179, strictPort: true, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const browser = await launchChromium();
  const rows: BenchRow[] = [];
  try {
    for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu'] as const) {
      // A fresh page per backend, so one backend's state cannot slow the next.
      const page = await browser.newPage();
      await page.goto('http://127.0.0.1:4179/index.html');
      await page.waitForFunction(() => typeof window.runBench === 'function');
      const result = await page.evaluate(([b, ms]) => window.runBench(b, ms), [backend, budgetMs] as const);
      if ('skipped' in result) console.error(`browser ${backend}: skipped (${result.skipped})`);
      else rows.push(...result);
      for (const r of rows.filter((x) => x.backend === backend)) console.error(formatRow(r));
      await page.close();
    }
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
  return rows;
}

function formatRow(r: BenchRow): string {
  const sps = r.stepsPerSecond === null ? 'failed' : r.stepsPerSecond.toFixed(1).padStart(7);
  const first = r.firstStepMs === null ? ''.padStart(9) : `${r.firstStepMs.toFixed(0).padStart(6)} ms`;
  const dispatches = r.dispatchesPerStep === null ? '' : String(r.dispatchesPerStep).padStart(6);
  const kernelMs = r.kernelMsPerStep === null ? ''.padStart(11) : `${r.kernelMsPerStep.toFixed(1).padStart(8)} ms`;
  const uploads = r.uploadsPerStep === null ? '' : String(r.uploadsPerStep).padStart(8);
  // Each convolution's weight gradient as timed: n native, c the forward-convolution form, b the batched kernels.
  const grads = r.convGradients
    ? `  ${r.convGradients
        .replace(/native/g, 'n')
        .replace(/custom/g, 'c')
        .replace(/batched/g, 'b')
        .replace(/ /g, '')}`
    : '';
  return `${r.where.padEnd(8)}${r.backend.padEnd(8)}${r.case.padEnd(17)}${sps} steps/s ${first}${dispatches}${kernelMs}${uploads}${grads}${r.error ? `  (${r.error})` : ''}`;
}

/** The cases the fused WebGPU step runs (the shallow net, losses with a tail): ≤ 12 dispatches whatever K. */
const FUSED_CASES: readonly BenchCase[] = ['engine-k1', 'engine-k4', 'heavy-k1', 'heavy-k4'];

const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');

/**
 * Dispatches per step against the issue's targets (≤ 60 for one loss; ≤ 12 for any K on the fused WebGPU path),
 * and the speed ratios it sets for a GPU (k4 ≤ 1.5× k1; WebGPU ≥ 10× wasm at the default size, ≥ 30× at the heavy one),
 * which only mean something on a real GPU, with the layers baseline alongside.
 */
function summary(rows: BenchRow[]): string[] {
  const lines: string[] = [];
  const get = (where: string, backend: string, c: BenchCase) =>
    rows.find((r) => r.where === where && r.backend === backend && r.case === c);
  for (const where of ['node', 'browser']) {
    for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
      const k1 = get(where, backend, 'engine-k1');
      if (!k1?.stepsPerSecond) continue;
      const k4 = get(where, backend, 'engine-k4')?.stepsPerSecond;
      const base = get(where, backend, 'layers-baseline')?.stepsPerSecond;
      const vsLayers = base ? `${(k1.stepsPerSecond / base).toFixed(2)}× layers` : 'layers baseline failed';
      const k4Ratio = k4
        ? `k4 step time ${(k1.stepsPerSecond / k4).toFixed(2)}× k1${backend === 'webgpu' ? ' (GPU target ≤ 1.5)' : ''}`
        : '';
      const target =
        k1.dispatchesPerStep === null
          ? ''
          : `; ${k1.dispatchesPerStep} dispatches per k1 step (target ≤ 60: ${verdict(k1.dispatchesPerStep <= 60)})`;
      lines.push(`${where} ${backend}: engine-k1 ${vsLayers}; ${k4Ratio}${target}`);
      if (backend !== 'webgpu') continue;
      const fused = FUSED_CASES.flatMap((c) => {
        const d = get(where, backend, c)?.dispatchesPerStep;
        return typeof d === 'number' ? [{ c, d }] : [];
      });
      if (fused.length) {
        const most = Math.max(...fused.map((f) => f.d));
        const list = fused.map((f) => `${f.c} ${f.d}`).join(', ');
        lines.push(`${where} webgpu: the fused step's dispatches ${list} (target ≤ 12 whatever K: ${verdict(most <= 12)})`);
      }
      for (const [c, want] of [
        ['engine-k1', 10],
        ['heavy-k1', 30],
      ] as const) {
        const [gpu, cpu] = [get(where, 'webgpu', c)?.stepsPerSecond, get(where, 'wasm', c)?.stepsPerSecond];
        if (gpu && cpu) lines.push(`${where} webgpu: ${c} ${(gpu / cpu).toFixed(2)}× wasm (GPU target ≥ ${want}×)`);
      }
    }
  }
  return lines;
}

/** The cases on Dawn's WebGPU in Node, each row naming its adapter; a machine with none says so and skips. */
async function nodeWebGpuRows(budgetMs: number): Promise<BenchRow[]> {
  const why = await installNodeWebGpu();
  const probe = why ? null : await probeWebGpu();
  if (why || !probe?.ok) {
    console.error(`node webgpu: skipped (${why ?? (probe && !probe.ok ? probe.reason : 'no adapter')})`);
    return [];
  }
  const adapter = `${adapterLabel(probe.adapter)}${probe.adapter.software ? ' (software)' : ''}`;
  console.error(`node webgpu: adapter ${adapter}`);
  try {
    await selectBackend({ loaders: nodeWebGpuLoaders, requested: 'webgpu', order: [] });
  } catch (e) {
    console.error(`node webgpu: skipped (${(e as Error).message})`);
    return [];
  }
  const rows: BenchRow[] = [];
  for (const c of casesFor('webgpu', probe.adapter.software)) {
    const row = { ...(await runCase(c, 'node', budgetMs, 3)), adapter };
    console.error(formatRow(row));
    rows.push(row);
  }
  return rows;
}

/** Measures training speed in Node (cpu, wasm) and in headless Chromium (every backend that works there). */
export async function main(args: string[]): Promise<number> {
  const parsed = readArgs(args, {
    out: { type: 'string' },
    'budget-ms': { type: 'string', default: '3000' },
    'node-only': { type: 'boolean', default: false },
    'node-webgpu': { type: 'boolean', default: false },
  });
  const budgetMs = typeof parsed === 'string' ? NaN : Number(parsed.values['budget-ms']);
  if (typeof parsed === 'string' || !(budgetMs > 0)) {
    console.error(`${typeof parsed === 'string' ? parsed : `--budget-ms: expected a positive number of milliseconds`}\n${USAGE}`);
    return 2;
  }
  const { out, 'node-only': nodeOnly, 'node-webgpu': nodeWebGpu } = parsed.values;
  const rows: BenchRow[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    await selectBackend({ loaders: nodeLoaders, requested: backend, order: [backend] });
    for (const c of casesFor(backend, false)) {
      const row = await runCase(c, 'node', budgetMs, 3);
      console.error(formatRow(row));
      rows.push(row);
    }
  }
  // The landscape's slices on wasm, where its targets are (cpu would take minutes and is never chosen for it).
  const landscapes: LandscapeRow[] = [];
  await selectBackend({ loaders: nodeLoaders, requested: 'wasm', order: ['wasm'] });
  for (const grid of [21, 41]) {
    const row = await runLandscapeCase(grid);
    console.error(formatLandscapeRow(row));
    landscapes.push(row);
  }
  if (nodeWebGpu) rows.push(...(await nodeWebGpuRows(budgetMs)));
  if (nodeWebGpu && tf.getBackend() === 'webgpu') {
    const row = await runLandscapeCase(21);
    console.error(formatLandscapeRow(row));
    landscapes.push(row);
  }
  if (!nodeOnly) rows.push(...(await browserRows(budgetMs)));
  const head =
    'where   backend case              steps/s  first step dispatches kernel time uploads  weight gradients (n native, c forward form, b batched kernels)';
  console.log(
    [head, ...rows.map(formatRow), ...landscapes.map(formatLandscapeRow), '', ...summary(rows), ...landscapeSummary(landscapes)].join('\n'),
  );
  if (out) await writeFile(out, JSON.stringify({ rows, landscapes }, null, 1));
  return 0;
}
