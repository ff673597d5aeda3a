// The browser half of `npm run bench`: Playwright calls window.runBench(backend) once per backend.
import { adapterLabel } from '../../src/backend/probeAdapter';
import { selectBackend } from '../../src/worker/selectBackend';
import type { BackendName } from '../../src/backend/types';
import { browserLoaders } from '../../src/worker/browserLoaders';
import { planCases, runCase, type BenchRow } from './benchCases';

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
  const software = report.adapter?.software ?? false;
  const adapter = report.adapter ? `${adapterLabel(report.adapter)}${software ? ' (software)' : ''}` : undefined;
  for (const plan of planCases(backend, software))
    rows.push({ ...(await runCase(plan, 'browser', budgetMs, 3)), adapter, ...(report.adapter ? { softwareAdapter: software } : {}) });
  return rows;
};
