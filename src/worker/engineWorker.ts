/// <reference lib="webworker" />
// The engine's home in the browser: tfjs, backend selection and training run here, never on the page.
import { tf } from '../tf';
import { selectBackend } from '../backend/selectBackend';
import type { BackendName } from '../backend/types';
import { checkVectorFile } from '../reference/vectorFile';
import { runParity } from '../reference/parity';
import { runEngineCheck } from '../train/engineCheck';
import { browserLoaders } from './browserLoaders';
import { RaceSession, SetupCancelled } from './raceSession';
import type { EngineEvent, EngineRequest, EngineResults } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: EngineEvent) => scope.postMessage(event);

// Requests that need a backend wait for the selection.
let ready: Promise<unknown> = Promise.resolve();
const PROGRESS_INTERVAL_MS = 100;
const session = new RaceSession((event) => post({ id: 0, type: 'session', event }));

/**
 * A lost WebGPU device (a driver reset, a GPU taken away, a device destroyed) never comes back, and tfjs does not
 * notice: later kernels fail or return zeros. The page is told, and starts a new engine on another backend.
 */
function watchDeviceLoss() {
  const backend = tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } };
  void backend.device?.lost?.then((info) => {
    const message = [info.reason && info.reason !== 'unknown' ? info.reason : '', info.message ?? ''].filter(Boolean).join(': ');
    post({ id: 0, type: 'deviceLost', backend: 'webgpu', message: message || 'no reason given' });
  });
}

async function switchTo(name: BackendName) {
  await browserLoaders[name]?.();
  if (!(await tf.setBackend(name))) throw new Error(`could not switch to the ${name} backend`);
  await tf.ready();
}

async function handle(req: EngineRequest): Promise<EngineResults[EngineRequest['type']]> {
  if (req.type === 'init') {
    const selection = selectBackend({ loaders: browserLoaders, requested: req.backend, exclude: req.exclude });
    ready = selection.catch(() => undefined);
    const report = await selection;
    if (report.backend === 'webgpu') watchDeviceLoss();
    return report;
  }
  await ready;
  switch (req.type) {
    case 'parity': {
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
    case 'engineCheck': {
      await session.pause();
      const current = tf.getBackend() as BackendName;
      return runEngineCheck(() => switchTo('cpu'), () => switchTo(current));
    }
    case 'race/configure': {
      let last = { phase: '', at: 0 };
      return session.configure(req.config, ({ phase, done, total }) => {
        const now = performance.now();
        if (phase !== last.phase || now - last.at > PROGRESS_INTERVAL_MS || done === total) {
          last = { phase, at: now };
          post({ id: req.id, type: 'progress', done, total, phase });
        }
      });
    }
    case 'race/cancelSetup':
      session.cancelSetup();
      return null;
    case 'race/play':
      session.play();
      return null;
    case 'race/pause':
      await session.pause();
      return null;
    case 'race/step':
      await session.step();
      return null;
    case 'race/reset':
      await session.reset();
      return null;
    case 'race/setOptimizer':
      session.setOptimizer(req.patch);
      return null;
    case 'race/setSpeed':
      session.setSpeed(req.maxStepsPerSecond);
      return null;
  }
}

scope.onmessage = (e: MessageEvent<EngineRequest>) => {
  const req = e.data;
  handle(req).then(
    (result) => post({ id: req.id, type: 'result', request: req.type, result } as EngineEvent),
    (err: unknown) =>
      post({ id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err), cancelled: err instanceof SetupCancelled }),
  );
};
