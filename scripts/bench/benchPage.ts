// The browser half of `npm run bench`: Playwright calls window.runBench(backend) once per backend.
import { adapterLabel } from '../../src/backend/probeAdapter';
import { selectBackend } from '../../src/worker/selectBackend';
import type { BackendName } from '../../src/backend/types';
import { browserLoaders } from '../../src/worker/browserLoaders';
import { casesFor, runCase, type BenchRow } from './benchCases';

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
  const adapter = report.adapter ? `${adapterLabel(report.adapter)}${report.adapter.software ? ' (software)' : ''}` : undefined;
  for (const c of casesFor(backend, report.adapter?.software ?? false))
    rows.push({ ...(await runCase(c, 'browser', budgetMs, 3)), adapter });
  return rows;
};
