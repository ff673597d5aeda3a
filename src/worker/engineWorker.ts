/// <reference lib="webworker" />
// The engine's home in the browser: tfjs, backend selection and (later) training run here, never on the page.
import { selectBackend } from '../backend/selectBackend';
import { checkVectorFile } from '../reference/vectorFile';
import { runParity } from '../reference/parity';
import { browserLoaders } from './browserLoaders';
import type { EngineEvent, EngineRequest, EngineResults } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: EngineEvent) => scope.postMessage(event);

// The page may ask for parity before the backend is ready; requests wait for it.
let ready: Promise<unknown> = Promise.resolve();
const PROGRESS_INTERVAL_MS = 100;

async function handle(req: EngineRequest): Promise<EngineResults[EngineRequest['type']]> {
  switch (req.type) {
    case 'init': {
      const selection = selectBackend({ loaders: browserLoaders, requested: req.backend });
      ready = selection.catch(() => undefined);
      return selection;
    }
    case 'parity': {
      await ready;
      const { default: vectors } = await import('../reference/loss-vectors.json');
      const started = performance.now();
      let lastPost = 0;
      const report = await runParity(checkVectorFile(vectors), {
        cases: req.cases,
        onProgress: (done, total) => {
          const now = performance.now();
          if (now - lastPost > PROGRESS_INTERVAL_MS || done === total) {
            lastPost = now;
            post({ id: req.id, type: 'progress', done, total });
          }
        },
      });
      return {
        backend: report.backend,
        passed: report.passed,
        failed: report.failed,
        failures: report.results.filter((r) => !r.ok),
        seconds: (performance.now() - started) / 1000,
      };
    }
  }
}

scope.onmessage = (e: MessageEvent<EngineRequest>) => {
  const req = e.data;
  handle(req).then(
    (result) => post({ id: req.id, type: 'result', request: req.type, result } as EngineEvent),
    (err: unknown) => post({ id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
};
