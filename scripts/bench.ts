import { writeFile } from 'node:fs/promises';
import { readArgs } from './cliArgs';
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from './launchChromium';
import { selectBackend } from '../src/backend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
import { runCase, type BenchCase, type BenchRow } from './bench/benchCases';

const USAGE = 'usage: npm run bench -- [--out FILE.json] [--budget-ms 3000] [--node-only]';
const CASES: BenchCase[] = ['engine-k1', 'engine-k4', 'layers-baseline'];

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
  const first = r.firstStepMs === null ? '' : `${r.firstStepMs.toFixed(0).padStart(6)} ms`;
  return `${r.where.padEnd(8)}${r.backend.padEnd(8)}${r.case.padEnd(17)}${sps} steps/s ${first}${r.error ? `  (${r.error})` : ''}`;
}

function summary(rows: BenchRow[]): string[] {
  const lines: string[] = [];
  const get = (where: string, backend: string, c: BenchCase) =>
    rows.find((r) => r.where === where && r.backend === backend && r.case === c)?.stepsPerSecond ?? null;
  for (const where of ['node', 'browser']) {
    for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
      const k1 = get(where, backend, 'engine-k1');
      const k4 = get(where, backend, 'engine-k4');
      const base = get(where, backend, 'layers-baseline');
      if (k1 === null) continue;
      const vsLayers = base ? `${(k1 / base).toFixed(2)}× layers` : 'layers baseline failed';
      const k4Ratio = k4 ? `k4 step time ${(k1 / k4).toFixed(2)}× k1` : '';
      lines.push(`${where} ${backend}: engine-k1 ${vsLayers}; ${k4Ratio}`);
    }
  }
  return lines;
}

/** Measures training speed in Node (cpu, wasm) and in headless Chromium (every backend that works there). */
export async function main(args: string[]): Promise<number> {
  const parsed = readArgs(args, {
    out: { type: 'string' },
    'budget-ms': { type: 'string', default: '3000' },
    'node-only': { type: 'boolean', default: false },
  });
  const budgetMs = typeof parsed === 'string' ? NaN : Number(parsed.values['budget-ms']);
  if (typeof parsed === 'string' || !(budgetMs > 0)) {
    console.error(`${typeof parsed === 'string' ? parsed : `--budget-ms: expected a positive number of milliseconds`}\n${USAGE}`);
    return 2;
  }
  const { out, 'node-only': nodeOnly } = parsed.values;
  const rows: BenchRow[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    await selectBackend({ loaders: nodeLoaders, requested: backend, order: [backend] });
    for (const c of CASES) {
      const row = await runCase(c, 'node', budgetMs, 3);
      console.error(formatRow(row));
      rows.push(row);
    }
  }
  if (!nodeOnly) rows.push(...(await browserRows(budgetMs)));
  console.log(['where   backend case              steps/s  first step', ...rows.map(formatRow), '', ...summary(rows)].join('\n'));
  if (out) await writeFile(out, JSON.stringify({ rows }, null, 1));
  return 0;
}
