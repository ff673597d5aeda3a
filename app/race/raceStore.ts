import { schemeTableau10 } from 'd3-scale-chromatic';
import type { LossSpec } from '../../src/losses/types';
import type { EvalRecord, StepRecord } from '../../src/train/history';
import type { RaceUpdate, Snapshot } from '../../src/train/race';
import type { RaceInfo, SessionEvent } from '../../src/worker/raceSession';
import { StreamDecimator } from '../charts/decimate';

export const RUN_COLORS = schemeTableau10.slice(0, 6);

export interface RunSeries {
  spec: LossSpec;
  color: string;
  steps: StepRecord[];
  evals: EvalRecord[];
  snapshot: Snapshot | null;
  diverged: number | null;
  divergedBecause: string | null;
  /** The charts' decimated views of the series, each fed only the records it has not seen yet. */
  views: Map<RunMetric, { decimator: StreamDecimator; consumed: number }>;
}

type StepMetric = 'loss' | 'gradNorm' | 'logitGradFg' | 'logitGradBg';
/** What a chart can plot of a run: a per-step metric, one layer's gradient norm, or a validation metric. */
export type RunMetric = StepMetric | `layer:${number}` | `eval:${Exclude<keyof EvalRecord, 'step'>}`;

const emptyRun = () => ({ steps: [], evals: [], snapshot: null, diverged: null, divergedBecause: null, views: new Map() });

/**
 * A run's metric as at most ~2000 points that keep its extremes and its latest value. Each call costs the new
 * records since the last one, not the whole run, so a 20 000-step race draws as cheaply as a short one.
 */
export function runMetric(run: RunSeries, metric: RunMetric): { x: number[]; y: number[] } {
  let view = run.views.get(metric);
  if (!view) run.views.set(metric, (view = { decimator: new StreamDecimator(), consumed: 0 }));
  if (metric.startsWith('eval:')) {
    const key = metric.slice('eval:'.length) as Exclude<keyof EvalRecord, 'step'>;
    for (; view.consumed < run.evals.length; view.consumed++) view.decimator.push(run.evals[view.consumed].step, run.evals[view.consumed][key]);
  } else {
    const layer = metric.startsWith('layer:') ? Number(metric.slice('layer:'.length)) : -1;
    const pick = layer >= 0 ? (r: StepRecord) => r.layerNorms[layer] : (r: StepRecord) => r[metric as StepMetric];
    for (; view.consumed < run.steps.length; view.consumed++) view.decimator.push(run.steps[view.consumed].step, pick(run.steps[view.consumed]));
  }
  return view.decimator.points();
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
    this.runs = info.config.losses.map((spec, i) => ({ spec, color: RUN_COLORS[i % RUN_COLORS.length], ...emptyRun() }));
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
      for (const r of this.runs) Object.assign(r, emptyRun());
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
