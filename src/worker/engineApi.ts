// Everything the page can ask of the engine, as one class: the worker exposes an instance with comlink and the
// page calls its methods. A new request is one method here.
import { tf } from '../tf';
import { throttle } from '../throttle';
import { selectBackend } from './selectBackend';
import type { BackendName, BackendReport } from '../backend/types';
import type { LiveOptimizerSettings } from '../config/experimentConfig';
import type { ImportedDataset } from '../data/importedData';
import { parseFields, type Field } from '../schema/schema';
import { runParity, type ParityResult } from '../reference/parity';
import { checkVectorFile } from '../reference/vectorFile';
import { runEngineCheck, type EngineCheckResult } from '../train/engineCheck';
import { ENGINE_CHECK_STEPS } from '../train/engineCheckSteps';
import { BackendChooser, switchTo } from './backendChoice';
import { browserLoaders } from './browserLoaders';
import type { RaceCheckpoint } from '../train/race';
import type { ExperimentResults } from '../train/results';
import { RaceSession, type RaceInfo, type SessionEvent, type SetupPhase } from './raceSession';
import { LandscapeSession, type TrailInfo } from './landscapeSession';
import type { LandscapeResult } from '../landscape/raceLandscape';
import { runLandscapeCheck } from '../landscape/landscapeCheck';
import type { LandscapeCheckResult } from '../landscape/landscapeCheckResult';
import type { Snapshot } from '../train/race';

export interface ParitySummary {
  backend: string;
  passed: number;
  failed: number;
  /** Only the failures travel back: the passes are counted. */
  failures: ParityResult[];
  seconds: number;
}

/** What the engine pushes on its own: the training session's events, and the loss of its GPU device. */
export interface EngineListener {
  session(event: SessionEvent): void;
  /** The GPU device under the backend is gone (driver reset, device destroyed): this engine cannot go on. */
  deviceLost(backend: BackendName, message: string): void;
  /** The automatic choice timed the backends on a race's settings and settled on one (see backendChoice.ts). */
  backend(report: BackendReport): void;
}

export type Progress = (done: number, total: number) => void;
/** Called with a set-up's progress (raceSession.ts's SetupReport, as the arguments a proxied callback takes). */
export type SetupListener = (done: number, total: number, phase: SetupPhase) => void;

const PROGRESS_INTERVAL_MS = 100;
const TRAIN_STEPS = {
  key: 'steps',
  label: 'steps',
  kind: 'int',
  min: 1,
  max: 100_000,
  default: 50,
  help: 'Steps to train.',
} as const satisfies Field;

/** Calls `report` at most every PROGRESS_INTERVAL_MS, and always at a new phase and at the end. */
function throttled<P extends unknown[]>(report: ((done: number, total: number, ...rest: P) => void) | undefined) {
  let phase = '';
  return throttle(
    (done: number, total: number, ...rest: P) => {
      phase = JSON.stringify(rest);
      report?.(done, total, ...rest);
    },
    PROGRESS_INTERVAL_MS,
    // The next report comes with the next piece of work: one held back would only repeat it.
    { trailing: false, urgent: (done, total, ...rest) => done === total || JSON.stringify(rest) !== phase },
  );
}

export class EngineApi {
  /** Every request waits for the backend selection, so requests sent before it run in the order sent. */
  private ready: Promise<unknown> = Promise.resolve();
  private listener: EngineListener | null = null;
  private readonly session = new RaceSession((event) => this.listener?.session(event));
  private readonly landscapes = new LandscapeSession((step) => this.session.landscapeSource(step), this.session.trail);
  private report: BackendReport | null = null;
  private readonly chooser = new BackendChooser(browserLoaders);
  private readonly watched = new WeakSet<object>();

  listen(listener: EngineListener): void {
    this.listener = listener;
  }

  async init(requested?: BackendName, exclude?: { name: BackendName; reason: string }[]): Promise<BackendReport> {
    const selection = selectBackend({ loaders: browserLoaders, requested, exclude });
    this.ready = selection.catch(() => undefined);
    const report = await selection;
    this.adopt(report);
    return report;
  }

  async parity(cases: 'binary' | 'multiclass' | 'all', onProgress?: Progress): Promise<ParitySummary> {
    await this.ready;
    const { default: vectors } = await import('../reference/loss-vectors.json');
    const started = performance.now();
    const report = await runParity(checkVectorFile(vectors), { cases, onProgress: throttled(onProgress) });
    return {
      backend: report.backend,
      passed: report.passed,
      failed: report.failed,
      failures: report.results.filter((r) => !r.ok),
      seconds: (performance.now() - started) / 1000,
    };
  }

  async engineCheck(steps?: number): Promise<EngineCheckResult> {
    await this.ready;
    await this.session.pause();
    const current = tf.getBackend() as BackendName;
    const checked = parseFields([ENGINE_CHECK_STEPS], { steps }, 'engineCheck').steps;
    return runEngineCheck(
      () => switchTo('cpu', browserLoaders),
      () => switchTo(current, browserLoaders),
      checked,
    );
  }

  /**
   * The imported data set (or none) that configs whose data.source is not 'synthetic' train on; sent once per data
   * set, as plain data. A race built on another data set is given up: configure again.
   */
  async useDataset(imported: ImportedDataset | null): Promise<void> {
    await this.ready;
    await this.session.useDataset(imported);
  }

  /** Builds a race from a config (validated here too); a newer configure or cancelSetup rejects it with SetupCancelled. */
  async configure(config: unknown, onProgress?: SetupListener): Promise<RaceInfo> {
    await this.ready;
    const report = throttled<[SetupPhase]>(onProgress);
    return this.session.configure(
      config,
      ({ phase, done, total }) => report(done, total, phase),
      async (parsed, timing) => {
        if (!this.report) return;
        const settled = await this.chooser.settle(parsed, this.report, timing);
        if (JSON.stringify(settled) === JSON.stringify(this.report)) return;
        this.adopt(settled);
        this.listener?.backend(settled);
      },
    );
  }

  async cancelSetup(): Promise<void> {
    await this.ready;
    this.session.cancelSetup();
  }

  async play(): Promise<void> {
    await this.ready;
    this.session.play();
  }

  async pause(): Promise<void> {
    await this.ready;
    await this.session.pause();
  }

  async step(): Promise<void> {
    await this.ready;
    await this.session.step();
  }

  /** Trains this many more steps, paused before and after (the landscape view's "Train 50 steps"). */
  async train(steps: number): Promise<void> {
    await this.ready;
    await this.session.train(parseFields([TRAIN_STEPS], { steps }, 'train').steps);
  }

  async reset(): Promise<void> {
    await this.ready;
    await this.session.reset();
  }

  /** The race's series so far in the experiment CLI's results format, for the page's "results JSON". */
  async results(): Promise<ExperimentResults> {
    await this.ready;
    return this.session.results();
  }

  /** The race as plain data, so that the page can let this engine go and build it again later. */
  async checkpoint(): Promise<RaceCheckpoint> {
    await this.ready;
    return this.session.checkpoint();
  }

  /** A checkpoint taken back into the race just configured (same settings, else it is refused). */
  async restore(checkpoint: RaceCheckpoint): Promise<void> {
    await this.ready;
    await this.session.restore(checkpoint);
  }

  /**
   * The race's landscape at the settings (LANDSCAPE_FIELDS; validated here). The race pauses; a newer request or
   * cancelLandscape rejects this one with LandscapeCancelled.
   */
  async landscape(settings: unknown, withPath: boolean, onProgress?: Progress): Promise<LandscapeResult> {
    await this.ready;
    const report = throttled(onProgress);
    return this.landscapes.compute(settings, withPath, (done, total) => report(done, total));
  }

  async cancelLandscape(): Promise<void> {
    await this.ready;
    this.landscapes.cancel();
  }

  /** A 5 × 5 landscape slice on this backend against the float64 forward pass (landscapeCheck.ts). */
  async landscapeCheck(): Promise<LandscapeCheckResult> {
    await this.ready;
    await this.session.pause();
    return runLandscapeCheck();
  }

  /** The checkpoints the race keeps for the landscape: their steps and their memory. */
  async landscapeTrail(): Promise<TrailInfo> {
    await this.ready;
    const info = this.session.info;
    return this.landscapes.trailInfo(info?.runs ?? 0, info?.parameters ?? 0);
  }

  /** The net's predictions on the snapshot images at point (a, b) of run `index`'s last slice. */
  async landscapePredictions(index: number, a: number, b: number): Promise<Snapshot> {
    await this.ready;
    return this.landscapes.predictions(index, a, b);
  }

  async setOptimizer(patch: Partial<LiveOptimizerSettings>): Promise<void> {
    await this.ready;
    this.session.setOptimizer(patch);
  }

  async setSpeed(maxStepsPerSecond: number | null): Promise<void> {
    await this.ready;
    this.session.setSpeed(maxStepsPerSecond);
  }

  /** The step at which Play stops by itself (a tour chapter's measured step), or null for none (raceSession.ts). */
  async setPauseAt(step: number | null): Promise<void> {
    await this.ready;
    this.session.setPauseAt(step);
  }

  /** The backend in use now: what the session does on it, and the device to watch. */
  private adopt(report: BackendReport) {
    this.report = report;
    this.session.timeConvGradients = !report.adapter?.software;
    if (report.backend === 'webgpu') this.watchDeviceLoss();
  }

  /**
   * A lost WebGPU device (a driver reset, a GPU taken away, a device destroyed) never comes back, and tfjs does
   * not notice: later kernels fail or return zeros. The page is told, and starts a new engine on another backend.
   */
  private watchDeviceLoss() {
    const backend = tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } };
    const device = backend.device;
    if (!device || this.watched.has(device)) return;
    this.watched.add(device);
    void device.lost?.then((info) => {
      const message = [info.reason && info.reason !== 'unknown' ? info.reason : '', info.message ?? ''].filter(Boolean).join(': ');
      this.listener?.deviceLost('webgpu', message || 'no reason given');
    });
  }
}
