import { schemeTableau10 } from 'd3-scale-chromatic';
import type { LossSpec } from '../../src/losses/types';
import type { EvalRecord, StepRecord } from '../../src/train/history';
import type { RaceUpdate, Snapshot } from '../../src/train/race';
import type { EngineMemory, RaceInfo, SessionEvent } from '../../src/worker/raceSession';
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
 * How often the page redraws while training. The worker trains as fast as it can; the page draws at this steady
 * rate (GAN Lab's habit). A redraw of charts, readouts and counter costs about 10 ms of main-thread work on a
 * 2-core machine; at the display's rate, with the worker holding one core, that load stretched single frames
 * past 50 ms. Ten redraws a second still reads as live motion.
 */
export const DRAW_INTERVAL_MS = 100;
const FRAME_MS = 1000 / 60;

/**
 * What the page knows of the race: every run's series as the worker sent them. Listeners hear about new steps at
 * most once per DRAW_INTERVAL_MS, and always once more after the last one, so a paused race shows its final step;
 * play/pause and a new race are announced at the next frame.
 */
export class RaceStore {
  info: RaceInfo | null = null;
  runs: RunSeries[] = [];
  step = 0;
  playing = false;
  stepsPerSecond = 0;
  /** The engine's tensors and bytes at its last update. */
  engineMemory: EngineMemory | null = null;
  private version = 0;
  private announced = 0;
  private listeners = new Set<() => void>();
  private frame: number | null = null;
  private drawTimer: ReturnType<typeof setTimeout> | null = null;
  private lastDraw = -Infinity;
  private urgent = false;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes only when listeners are told, so a render in between sees the state they were told about. */
  getVersion = () => this.announced;

  /** A new race (or a reconfigured one): empty series for its losses. */
  start(info: RaceInfo): void {
    this.info = info;
    this.runs = info.config.losses.map((spec, i) => ({ spec, color: RUN_COLORS[i % RUN_COLORS.length], ...emptyRun() }));
    this.step = 0;
    this.merge(info.initial);
    this.changed('now');
  }

  apply(event: SessionEvent): void {
    if (event.type === 'state') {
      this.playing = event.playing;
      this.changed('next-frame');
      return;
    }
    this.merge(event.update);
    this.stepsPerSecond = event.stepsPerSecond;
    this.engineMemory = event.memory;
    this.changed('steady');
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

  private changed(urgency: 'now' | 'next-frame' | 'steady'): void {
    this.version++;
    if (urgency === 'now' || typeof requestAnimationFrame === 'undefined') {
      this.announce(performance.now());
      return;
    }
    if (urgency === 'next-frame') this.urgent = true;
    if (this.urgent) this.frame ??= requestAnimationFrame(this.onFrame);
    else if (this.drawTimer === null && this.frame === null) this.schedule(performance.now());
  }

  /**
   * Sleeps until a frame before the next draw is due, then asks for a frame, rather than waking the page at every
   * frame. The timer also brings the last steps before a pause to the screen once the worker has gone quiet.
   */
  private schedule(now: number): void {
    const early = this.lastDraw + DRAW_INTERVAL_MS - now;
    if (early <= FRAME_MS) {
      this.frame ??= requestAnimationFrame(this.onFrame);
      return;
    }
    this.drawTimer ??= setTimeout(() => {
      this.drawTimer = null;
      this.frame ??= requestAnimationFrame(this.onFrame);
    }, early - FRAME_MS);
  }

  private onFrame = (now: number) => {
    this.frame = null;
    if (this.urgent || this.lastDraw + DRAW_INTERVAL_MS - now <= FRAME_MS / 2) this.announce(now);
    else this.schedule(now);
  };

  private announce(now: number): void {
    this.urgent = false;
    if (this.drawTimer !== null) clearTimeout(this.drawTimer);
    this.drawTimer = null;
    if (this.announced === this.version) return;
    this.announced = this.version;
    this.lastDraw = now;
    this.listeners.forEach((l) => l());
  }
}
