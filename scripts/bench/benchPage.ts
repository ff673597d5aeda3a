// The browser half of `npm run bench`: Playwright calls window.runBench(backend) once per backend.
import { selectBackend } from '../../src/backend/selectBackend';
import type { BackendName } from '../../src/backend/types';
import { browserLoaders } from '../../src/worker/browserLoaders';
import { runCase, type BenchCase, type BenchRow } from './benchCases';

declare global {
  interface Window {
    runBench: (backend: BackendName, budgetMs: number) => Promise<BenchRow[] | { skipped: string }>;
  }
}

window.runBench = async (backend, budgetMs) => {
  const report = await selectBackend({ loaders: browserLoaders, requested: backend, order: [] }).catch((e: Error) => e);
  if (report instanceof Error || report.backend !== backend) {
    return { skipped: report instanceof Error ? report.message : (report.requestNotice ?? 'not available') };
  }
  const rows: BenchRow[] = [];
  for (const c of ['engine-k1', 'engine-k4', 'layers-baseline'] as BenchCase[]) rows.push(await runCase(c, 'browser', budgetMs, 3));
  return rows;
};
