import type { EngineEvent, EngineRequest, EngineResults } from '../src/worker/protocol';
import type { SessionEvent } from '../src/worker/raceSession';
import type { BackendName } from '../src/backend/types';

/** A request the engine gave up because it was cancelled or replaced by a newer one: not an error to show. */
export class EngineCancelled extends Error {
  override name = 'EngineCancelled';
}

type RequestOf<K extends keyof EngineResults> = Omit<Extract<EngineRequest, { type: K }>, 'id'>;

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  onProgress?: (done: number, total: number, phase?: string) => void;
}

/**
 * The page's handle on one engine worker: typed requests that resolve with the worker's answer. Each explorer
 * instance owns its own client, so two explorers on one page do not share a worker.
 */
export class EngineClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private sessionListener: ((event: SessionEvent) => void) | null = null;
  private readonly onDeviceLost: (backend: BackendName, message: string) => void;

  constructor(onCrash: (message: string) => void, onDeviceLost: (backend: BackendName, message: string) => void = () => {}) {
    this.onDeviceLost = onDeviceLost;
    this.worker = new Worker(new URL('../src/worker/engineWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<EngineEvent>) => this.receive(e.data);
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const message = e.message || 'the engine worker failed to start or stopped unexpectedly';
      this.failAll(message);
      onCrash(message);
    };
  }

  request<K extends keyof EngineResults>(req: RequestOf<K>, onProgress?: Pending['onProgress']): Promise<EngineResults[K]> {
    const id = this.nextId++;
    return new Promise<EngineResults[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject, onProgress });
      this.worker.postMessage({ ...req, id } as EngineRequest);
    });
  }

  /** Receives what the training session pushes (metric updates, play state). */
  onSession(listener: ((event: SessionEvent) => void) | null): void {
    this.sessionListener = listener;
  }

  /**
   * Stops the worker. Requests still in flight never settle: whoever disposed of the engine has moved on (React
   * StrictMode mounts twice in development, a crash restarts the engine), and an answer or an error from this
   * one would only land on a page that now shows another.
   */
  dispose(): void {
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    this.pending.clear();
    this.sessionListener = null;
  }

  private receive(event: EngineEvent): void {
    if (event.type === 'session') {
      this.sessionListener?.(event.event);
      return;
    }
    if (event.type === 'deviceLost') {
      this.onDeviceLost(event.backend, event.message);
      return;
    }
    const p = this.pending.get(event.id);
    if (!p) return;
    if (event.type === 'progress') {
      p.onProgress?.(event.done, event.total, event.phase);
      return;
    }
    this.pending.delete(event.id);
    if (event.type === 'error') p.reject(event.cancelled ? new EngineCancelled(event.message) : new Error(event.message));
    else p.resolve(event.result as never);
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }
}
