import * as Comlink from 'comlink';
import type { BackendName, BackendReport } from '../src/backend/types';
import type { EngineApi } from '../src/worker/engineApi';
import type { SessionEvent } from '../src/worker/raceSession';

export type { ParitySummary } from '../src/worker/engineApi';

/** The errors of requests given up in the worker (raceSession.ts, landscapeSession.ts); names survive comlink. */
const CANCELLED = ['SetupCancelled', 'LandscapeCancelled'];

/** A request the engine gave up because it was cancelled or replaced by a newer one: not an error to show. */
export class EngineCancelled extends Error {
  override name = 'EngineCancelled';
}

/** The engine's methods as the page calls them: every one answers with a promise. */
export type Engine = {
  [K in keyof EngineApi as EngineApi[K] extends (...args: never[]) => unknown ? K : never]: EngineApi[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * The page's handle on one engine worker, through comlink. Each explorer instance owns its own client, so two
 * explorers on one page do not share a worker. Callbacks passed to a method (progress) are proxied by the
 * client; a crash of the worker fails every call in flight.
 */
export class EngineClient {
  readonly api: Engine;
  private readonly worker: Worker;
  private readonly remote: Comlink.Remote<EngineApi>;
  private sessionListener: ((event: SessionEvent) => void) | null = null;
  private crash: ((error: Error) => void) | null = null;
  private readonly crashed: Promise<never>;

  constructor(
    onCrash: (message: string) => void,
    onDeviceLost: (backend: BackendName, message: string) => void = () => {},
    /** The engine settled on another backend by timing them on a race's settings. */
    onBackend: (report: BackendReport) => void = () => {},
  ) {
    this.worker = new Worker(new URL('../src/worker/engineWorker.ts', import.meta.url), { type: 'module' });
    this.crashed = new Promise<never>((_, reject) => (this.crash = reject));
    // Nobody may be waiting when the worker dies; the rejection is still handled here.
    this.crashed.catch(() => undefined);
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const message = e.message || 'the engine worker failed to start or stopped unexpectedly';
      this.crash?.(new Error(message));
      onCrash(message);
    };
    this.remote = Comlink.wrap<EngineApi>(this.worker);
    void this.remote.listen(
      Comlink.proxy({
        session: (event: SessionEvent) => this.sessionListener?.(event),
        deviceLost: (backend: BackendName, message: string) => onDeviceLost(backend, message),
        backend: (report: BackendReport) => onBackend(report),
      }),
    );
    // `then` is left undefined so that the handle is never mistaken for a promise.
    this.api = new Proxy({} as Engine, {
      get: (_, method: string) => (method === 'then' ? undefined : (...args: unknown[]) => this.call(method, args)),
    });
  }

  /** Receives what the training session pushes (metric updates, play state). */
  onSession(listener: ((event: SessionEvent) => void) | null): void {
    this.sessionListener = listener;
  }

  /**
   * Stops the worker. Calls still in flight never settle: whoever disposed of the engine has moved on (React
   * StrictMode mounts twice in development, a crash restarts the engine), and an answer or an error from this
   * one would only land on a page that now shows another.
   */
  dispose(): void {
    this.worker.onerror = null;
    this.crash = null;
    this.sessionListener = null;
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }

  private async call(method: string, args: unknown[]): Promise<unknown> {
    const fn = (this.remote as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    // A callback's calls travel on their own message channel, so the last progress report can arrive after the
    // answer; once the call has settled they are dropped (a late "2 of 2" would otherwise reopen a finished set-up).
    let settled = false;
    const sent = args.map((a) =>
      typeof a === 'function' ? Comlink.proxy((...x: unknown[]) => (settled ? undefined : (a as (...y: unknown[]) => unknown)(...x))) : a,
    );
    try {
      return await Promise.race([fn(...sent), this.crashed]);
    } catch (e) {
      throw e instanceof Error && CANCELLED.includes(e.name) ? new EngineCancelled(e.message) : e;
    } finally {
      settled = true;
    }
  }
}
