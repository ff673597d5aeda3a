import { DRAW_INTERVAL_MS } from '../../src/train/clock';
import { taskOf } from '../../src/config/experimentConfig';
import type { LossSpec } from '../../src/losses/lossDefinition';
import type { EvalRecord, StepRecord } from '../../src/train/history';
import type { RaceUpdate, Snapshot } from '../../src/train/race';
import type { EngineMemory, RaceInfo, SessionEvent } from '../../src/worker/raceSession';
import { StreamDecimator } from '../charts/decimate';
import { runNames } from '../describeLoss';
import { lossColors } from '../lossColor';

export interface RunSeries {
  spec: LossSpec;
  /** Its loss family's colour, or a shade of it where the race has several runs of the family (app/lossColor.ts). */
  color: string;
  /** Its legend name, different from every other run's: "−log mIoU (background included)" (app/describeLoss.ts). */
  name: string;
  /** The run's first and latest step records (the loss chart divides by the first, the live ratio reads the latest). */
  first: StepRecord | null;
  last: StepRecord | null;
  snapshot: Snapshot | null;
  diverged: number | null;
  divergedBecause: string | null;
  /**
   * Every chartable metric as a decimated view, fed as records arrive. The records themselves are not kept: a
   * run of any length holds at most ~2000 points per metric, so the page's memory stays flat however long it trains.
   */
  views: Map<RunMetric, StreamDecimator>;
}

type StepMetric = 'loss' | 'gradNorm' | 'logitGradFg' | 'logitGradBg';
type EvalMetric = Exclude<keyof EvalRecord, 'step'>;
/** What a chart can plot of a run: a per-step metric, one layer's gradient norm, or a validation metric. */
export type RunMetric = StepMetric | `layer:${number}` | `eval:${EvalMetric}`;

const STEP_METRICS: readonly StepMetric[] = ['loss', 'gradNorm', 'logitGradFg', 'logitGradBg'];
const EVAL_METRICS: readonly EvalMetric[] = ['iou', 'miou', 'dice'];

const emptyRun = () => ({ first: null, last: null, snapshot: null, diverged: null, divergedBecause: null, views: new Map() });

function view(run: RunSeries, metric: RunMetric): StreamDecimator {
  let v = run.views.get(metric);
  if (!v) run.views.set(metric, (v = new StreamDecimator()));
  return v;
}

function pushStep(run: RunSeries, r: StepRecord): void {
  run.first ??= r;
  run.last = r;
  for (const m of STEP_METRICS) view(run, m).push(r.step, r[m]);
  r.layerNorms.forEach((n, l) => view(run, `layer:${l}`).push(r.step, n));
}

function pushEval(run: RunSeries, r: EvalRecord): void {
  for (const m of EVAL_METRICS) view(run, `eval:${m}`).push(r.step, r[m]);
}

/** A run's metric as at most ~2000 points that keep its extremes and its latest value. */
export function runMetric(run: RunSeries, metric: RunMetric): { x: number[]; y: number[] } {
  return run.views.get(metric)?.points() ?? { x: [], y: [] };
}

/** A display frame, for waking a little before a draw is due (not a training clock). */
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
    const { losses } = info.config;
    const colors = lossColors(losses);
    const names = runNames(losses, taskOf(info.config.data.classes));
    this.runs = losses.map((spec, i) => ({ spec, color: colors[i], name: names[i], ...emptyRun() }));
    this.step = 0;
    this.merge(info.initial);
    this.changed('now');
  }

  /** The same race built again by a new engine and given its checkpoint back: the series go on where they were. */
  resumed(info: RaceInfo): void {
    this.info = info;
    this.playing = false;
    this.changed('now');
  }

  /**
   * Shows the race paused at once, before the worker confirms: with heavy settings the worker takes the pause
   * only after the run it is training (seconds), and the page must not look as if it ignored the click. Steps
   * that run completes still arrive and are drawn.
   */
  pausedByUser(): void {
    if (!this.playing) return;
    this.playing = false;
    this.changed('next-frame');
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
      for (const r of u.steps) pushStep(run, r);
      for (const r of u.evals) pushEval(run, r);
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
