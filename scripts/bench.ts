import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { readArgs } from './cliArgs';
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from './launchChromium';
import { selectBackend } from '../src/worker/selectBackend';
import { tf } from '../src/tf';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { adapterLabel, probeWebGpu } from '../src/backend/probeAdapter';
import { installNodeWebGpu, nodeWebGpuDriver, nodeWebGpuLoaders } from '../src/backend/nodeWebGpu';
import { planCases, runCase, type BenchRow } from './bench/benchCases';
import { summary, type BenchOutcome } from './bench/benchSummary';
import { formatLandscapeRow, LANDSCAPE_SOFTWARE_GRID, landscapeSummary, runLandscapeCase } from './bench/landscapeCases';

const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

const USAGE = 'usage: npm run bench -- [--out FILE.json] [--budget-ms 3000] [--node-only] [--node-webgpu]';

/**
 * Sets up Chromium as `npm test` does (scripts/bootstrap.mjs --browser: the system's, CHROMIUM_PATH, apt as root,
 * else Playwright's own); its output goes to stderr, beside the rows. The reason in words when it cannot.
 */
function setUpBrowser(): string | null {
  const r = spawnSync(process.execPath, [resolve('scripts/bootstrap.mjs'), '--browser'], { stdio: ['ignore', 2, 2] });
  if (r.error) return `scripts/bootstrap.mjs --browser could not run (${r.error.message})`;
  return r.status === 0 ? null : `scripts/bootstrap.mjs --browser found or installed no Chromium (exit ${r.status}; its output is above)`;
}

/** The rows of every backend in headless Chromium, and why a backend (or the whole browser) has none. */
async function browserRows(budgetMs: number, missing: BenchOutcome['missing']): Promise<BenchRow[]> {
  const why = setUpBrowser();
  if (why) {
    missing.browser = why;
    return [];
  }
  const rows: BenchRow[] = [];
  try {
    await browserStage(budgetMs, missing, rows);
  } catch (e) {
    const failed = `the browser stage failed: ${(e as Error).message.split('\n')[0]}`;
    console.error(`browser: ${failed}`);
    if (rows.length === 0) missing.browser = failed;
    for (const b of BROWSER_BACKENDS) if (!rows.some((r) => r.backend === b)) missing[`browser ${b}`] ??= failed;
  }
  return rows;
}

/** Builds the bench page, serves it, and runs it in Chromium once per backend. */
async function browserStage(budgetMs: number, missing: BenchOutcome['missing'], rows: BenchRow[]): Promise<void> {
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
  try {
    const browser = await launchChromium().catch((e: Error) => e);
    if (browser instanceof Error) {
      missing.browser = `Chromium did not start: ${browser.message.split('\n')[0]}`;
      return;
    }
    try {
      for (const backend of BROWSER_BACKENDS) {
        // A fresh page per backend, so one backend's state cannot slow the next.
        const page = await browser.newPage();
        await page.goto('http://127.0.0.1:4179/index.html');
        await page.waitForFunction(() => typeof window.runBench === 'function');
        const result = await page.evaluate(([b, ms]) => window.runBench(b, ms), [backend, budgetMs] as const);
        if ('skipped' in result) {
          missing[`browser ${backend}`] = result.skipped;
          console.error(`browser ${backend}: skipped (${result.skipped})`);
        } else rows.push(...result);
        for (const r of rows.filter((x) => x.backend === backend)) console.error(formatRow(r));
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

function formatRow(r: BenchRow): string {
  const speed = r.stepsPerSecond === null ? null : r.stepsPerSecond.toFixed(r.stepsPerSecond < 1 ? 2 : 1);
  const sps = speed === null ? (r.skipped ? 'skipped' : r.untimed ? 'untimed' : 'failed').padStart(15) : `${speed.padStart(7)} steps/s`;
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
  const note = r.error ?? r.skipped ?? r.untimed;
  return `${r.where.padEnd(8)}${r.backend.padEnd(8)}${r.case.padEnd(17)}${sps} ${first}${dispatches}${kernelMs}${uploads}${grads}${note ? `  (${note})` : ''}`;
}

/**
 * The cases on Dawn's WebGPU in Node, each row naming its adapter (SwiftShader found by itself where the machine
 * has no GPU driver: nodeWebGpu.ts); a machine with none says why and has no rows.
 */
async function nodeWebGpuRows(budgetMs: number, missing: BenchOutcome['missing']): Promise<BenchRow[]> {
  const why = await installNodeWebGpu();
  const probe = why ? null : await probeWebGpu();
  if (why || !probe?.ok) {
    missing['node webgpu'] = why ?? (probe && !probe.ok ? probe.reason : 'no adapter');
    console.error(`node webgpu: skipped (${missing['node webgpu']})`);
    return [];
  }
  const software = probe.adapter.software;
  const adapter = `${adapterLabel(probe.adapter)}${software ? ' (software)' : ''}`;
  console.error(`node webgpu: adapter ${adapter}${nodeWebGpuDriver() ? `; ${nodeWebGpuDriver()}` : ''}`);
  try {
    await selectBackend({ loaders: nodeWebGpuLoaders, requested: 'webgpu', order: [] });
  } catch (e) {
    missing['node webgpu'] = (e as Error).message;
    console.error(`node webgpu: skipped (${missing['node webgpu']})`);
    return [];
  }
  const rows: BenchRow[] = [];
  for (const plan of planCases('webgpu', software)) {
    const row = { ...(await runCase(plan, 'node', budgetMs, 3)), adapter, softwareAdapter: software };
    console.error(formatRow(row));
    rows.push(row);
  }
  return rows;
}

/** The rows in Node: wasm and cpu, then the landscape on wasm, then (asked) WebGPU through Dawn and its landscape. */
async function nodeRows(budgetMs: number, nodeWebGpu: boolean, outcome: BenchOutcome): Promise<void> {
  for (const backend of ['wasm', 'cpu'] as const) {
    await selectBackend({ loaders: nodeLoaders, requested: backend, order: [backend] });
    for (const plan of planCases(backend, false)) {
      const row = await runCase(plan, 'node', budgetMs, 3);
      console.error(formatRow(row));
      outcome.rows.push(row);
    }
  }
  // The landscape's slices on wasm, where its targets are (cpu would take minutes and is never chosen for it).
  await selectBackend({ loaders: nodeLoaders, requested: 'wasm', order: ['wasm'] });
  for (const grid of [21, 41]) {
    const row = await runLandscapeCase(grid);
    console.error(formatLandscapeRow(row));
    outcome.landscapes.push(row);
  }
  if (!nodeWebGpu) {
    outcome.missing['node webgpu'] = 'not asked for: --node-webgpu runs it';
    return;
  }
  const gpuRows = await nodeWebGpuRows(budgetMs, outcome.missing);
  outcome.rows.push(...gpuRows);
  if (gpuRows.length && tf.getBackend() === 'webgpu') {
    // A software adapter takes minutes for the full slice: a smaller one still counts its dispatches per set.
    const row = await runLandscapeCase(gpuRows[0].softwareAdapter ? LANDSCAPE_SOFTWARE_GRID : 21);
    console.error(formatLandscapeRow(row));
    outcome.landscapes.push(row);
  }
}

/** Measures training speed in Node (cpu, wasm, WebGPU if asked) and in headless Chromium (every backend that works there). */
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
  const outcome: BenchOutcome = { rows: [], landscapes: [], missing: {} };
  await nodeRows(budgetMs, nodeWebGpu, outcome);
  if (nodeOnly) outcome.missing.browser = 'not asked for: --node-only';
  else outcome.rows.push(...(await browserRows(budgetMs, outcome.missing)));
  const head =
    'where   backend case              steps/s  first step dispatches kernel time uploads  weight gradients (n native, c forward form, b batched kernels)';
  const { rows, landscapes } = outcome;
  console.log(
    [head, ...rows.map(formatRow), ...landscapes.map(formatLandscapeRow), '', ...summary(outcome), ...landscapeSummary(landscapes)].join(
      '\n',
    ),
  );
  if (out) await writeFile(out, JSON.stringify(outcome, null, 1));
  return 0;
}
