import { schemeTableau10 } from 'd3-scale-chromatic';
import type { LossSpec } from '../../src/losses/types';
import type { EvalRecord, StepRecord } from '../../src/train/history';
import type { RaceUpdate, Snapshot } from '../../src/train/race';
import type { RaceInfo, SessionEvent } from '../../src/worker/raceSession';

export const RUN_COLORS = schemeTableau10.slice(0, 6);

export interface RunSeries {
  spec: LossSpec;
  color: string;
  steps: StepRecord[];
  evals: EvalRecord[];
  snapshot: Snapshot | null;
  diverged: number | null;
  divergedBecause: string | null;
}

/**
 * What the page knows of the race: every run's series as the worker sent them. Listeners hear about changes
 * at most once per animation frame, however often the worker posts (GAN Lab's "train often, draw steadily").
 */
export class RaceStore {
  info: RaceInfo | null = null;
  runs: RunSeries[] = [];
  step = 0;
  playing = false;
  stepsPerSecond = 0;
  version = 0;
  private listeners = new Set<() => void>();
  private frame: number | null = null;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = () => this.version;

  /** A new race (or a reconfigured one): empty series for its losses. */
  start(info: RaceInfo): void {
    this.info = info;
    this.runs = info.config.losses.map((spec, i) => ({
      spec, color: RUN_COLORS[i % RUN_COLORS.length], steps: [], evals: [], snapshot: null, diverged: null, divergedBecause: null,
    }));
    this.step = 0;
    this.merge(info.initial);
    this.changed(true);
  }

  apply(event: SessionEvent): void {
    if (event.type === 'state') {
      this.playing = event.playing;
      this.changed(false);
      return;
    }
    this.merge(event.update);
    this.stepsPerSecond = event.stepsPerSecond;
    this.changed(false);
  }

  private merge(update: RaceUpdate): void {
    // A step counter that went back means the worker reset the race.
    if (update.step < this.step || (update.step === 0 && this.step !== 0)) {
      for (const r of this.runs) Object.assign(r, { steps: [], evals: [], snapshot: null, diverged: null, divergedBecause: null });
    }
    this.step = update.step;
    for (const u of update.runs) {
      const run = this.runs[u.index];
      if (!run) continue;
      run.steps.push(...u.steps);
      run.evals.push(...u.evals);
      if (u.snapshot) run.snapshot = u.snapshot;
      run.diverged = u.diverged;
      run.divergedBecause = u.divergedBecause;
    }
  }

  private changed(now: boolean): void {
    this.version++;
    if (now || typeof requestAnimationFrame === 'undefined') {
      this.listeners.forEach((l) => l());
      return;
    }
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.listeners.forEach((l) => l());
    });
  }
}
