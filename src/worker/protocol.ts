import type { BackendName, BackendReport } from '../backend/types';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { ParityResult } from '../reference/parity';
import type { EngineCheckResult } from '../train/engineCheck';
import type { RaceInfo, SessionEvent } from './raceSession';

/** Messages from the page to the engine worker. Every request carries an id that its answers repeat. */
export type EngineRequest =
  | { id: number; type: 'init'; backend?: BackendName; exclude?: { name: BackendName; reason: string }[] }
  | { id: number; type: 'parity'; cases: 'binary' | 'multiclass' | 'all' }
  | { id: number; type: 'engineCheck' }
  | { id: number; type: 'race/configure'; config: unknown }
  | { id: number; type: 'race/cancelSetup' }
  | { id: number; type: 'race/play' }
  | { id: number; type: 'race/pause' }
  | { id: number; type: 'race/step' }
  | { id: number; type: 'race/reset' }
  | { id: number; type: 'race/setOptimizer'; patch: Partial<Omit<OptimizerConfig, 'name'>> }
  | { id: number; type: 'race/setSpeed'; maxStepsPerSecond: number | null };

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
  engineCheck: EngineCheckResult;
  'race/configure': RaceInfo;
  'race/cancelSetup': null;
  'race/play': null;
  'race/pause': null;
  'race/step': null;
  'race/reset': null;
  'race/setOptimizer': null;
  'race/setSpeed': null;
}

/**
 * Messages from the worker: progress while a request runs, then exactly one result or error; and, with id 0,
 * what the training session pushes on its own (metric updates at most ~30 times a second, play state).
 */
export type EngineEvent =
  | { id: number; type: 'progress'; done: number; total: number; phase?: string }
  | { [K in keyof EngineResults]: { id: number; type: 'result'; request: K; result: EngineResults[K] } }[keyof EngineResults]
  | { id: number; type: 'error'; message: string; cancelled?: boolean }
  | { id: 0; type: 'session'; event: SessionEvent }
  /** The GPU device under the backend is gone (driver reset, device destroyed): this engine cannot go on. */
  | { id: 0; type: 'deviceLost'; backend: BackendName; message: string };
