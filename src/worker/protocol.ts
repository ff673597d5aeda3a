import type { BackendName, BackendReport } from '../backend/types';
import type { ParityResult } from '../reference/parity';

/** Messages from the page to the engine worker. Every request carries an id that its answers repeat. */
export type EngineRequest =
  | { id: number; type: 'init'; backend?: BackendName }
  | { id: number; type: 'parity'; cases: 'binary' | 'multiclass' | 'all' };

export interface ParitySummary {
  backend: string;
  passed: number;
  failed: number;
  /** Only the failures travel back: the passes are counted. */
  failures: ParityResult[];
  seconds: number;
}

export interface EngineResults {
  init: BackendReport;
  parity: ParitySummary;
}

/** Messages from the worker: progress while a request runs, then exactly one result or error. */
export type EngineEvent =
  | { id: number; type: 'progress'; done: number; total: number }
  | { [K in keyof EngineResults]: { id: number; type: 'result'; request: K; result: EngineResults[K] } }[keyof EngineResults]
  | { id: number; type: 'error'; message: string };
