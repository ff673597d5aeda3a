// The training trajectory a landscape's PCA directions come from: every run's weights every `every` steps,
// a bounded number of them. When the trail is full every other checkpoint goes and the interval doubles, so a
// race that trains for hours keeps LIMIT checkpoints spread over all of it, and its memory is fixed:
// LIMIT × runs × parameters × 4 bytes.
import type { WeightSet } from './weightSet';

/** The most checkpoints a trail keeps (step 0's included). */
export const TRAIL_LIMIT = 32;
/** The interval a trail starts with, in steps. */
export const TRAIL_EVERY = 5;

export interface TrailPoint {
  step: number;
  /** Each run's weights at that step. */
  runs: WeightSet[];
}

export class WeightTrail {
  private kept: TrailPoint[] = [];
  private interval: number;

  constructor(
    readonly limit = TRAIL_LIMIT,
    private readonly startEvery = TRAIL_EVERY,
  ) {
    this.interval = startEvery;
  }

  /** The interval between checkpoints now. */
  get every(): number {
    return this.interval;
  }

  get points(): readonly TrailPoint[] {
    return this.kept;
  }

  get steps(): number[] {
    return this.kept.map((p) => p.step);
  }

  /** Whether the weights at `step` are due: a multiple of the interval past the last checkpoint kept. */
  due(step: number): boolean {
    const last = this.kept.at(-1)?.step;
    return last === undefined || step >= last + this.interval;
  }

  /** Steps from `step` until the next checkpoint is due (at least 1), so that a trainer can stop there. */
  stepsUntilDue(step: number): number {
    const last = this.kept.at(-1)?.step;
    return last === undefined ? 1 : Math.max(1, last + this.interval - step);
  }

  add(step: number, runs: WeightSet[]): void {
    const last = this.kept.at(-1);
    if (last && step <= last.step) throw new Error(`trail: step ${step} is not after the last checkpoint (${last.step})`);
    this.kept.push({ step, runs });
    while (this.kept.length > this.limit) {
      this.interval *= 2;
      // The first checkpoint (the start) stays; then every other one, and always the newest.
      this.kept = this.kept.filter((_, i) => i === 0 || i === this.kept.length - 1 || i % 2 === 0);
    }
  }

  /** The checkpoint at `step`, or the newest one before it. */
  at(step: number): TrailPoint | undefined {
    return [...this.kept].reverse().find((p) => p.step <= step);
  }

  /** The checkpoints before `step`, oldest first. */
  before(step: number): TrailPoint[] {
    return this.kept.filter((p) => p.step < step);
  }

  clear(): void {
    this.kept = [];
    this.interval = this.startEvery;
  }

  /** The bytes the trail holds now. */
  get bytes(): number {
    return this.kept.reduce((n, p) => n + p.runs.reduce((m, w) => m + w.reduce((k, t) => k + t.byteLength, 0), 0), 0);
  }
}

/** The bytes a full trail of a race holds. */
export const trailBytes = (runs: number, parameters: number, limit = TRAIL_LIMIT): number => limit * runs * parameters * 4;
