import { parseExperimentConfig, type ExperimentConfig, type OptimizerConfig } from '../config/experimentConfig';
import { Race, type RaceUpdate, type RunUpdate } from '../train/race';

export interface RaceInfo {
  config: ExperimentConfig;
  parameterCount: number;
  layerNames: string[];
  size: number;
  classes: number;
  /** The snapshot images and their labels, for the thumbnails' first two columns. */
  previewImages: Float32Array;
  previewLabels: Uint8Array;
  warmUpMs: number;
  /** The step-0 evaluation, so the page starts its series with it. */
  initial: RaceUpdate;
}

/** Messages the session pushes to the page on its own. */
export type SessionEvent =
  | { type: 'update'; update: RaceUpdate; stepsPerSecond: number }
  | { type: 'state'; playing: boolean; step: number };

const POST_INTERVAL_MS = 33;
const CHUNK_TARGET_MS = 25;
const MAX_CHUNK = 64;

function mergeUpdates(a: RaceUpdate | null, b: RaceUpdate): RaceUpdate {
  if (!a) return b;
  return {
    step: b.step,
    runs: b.runs.map((r, i): RunUpdate => ({
      index: r.index,
      steps: [...a.runs[i].steps, ...r.steps],
      evals: [...a.runs[i].evals, ...r.evals],
      snapshot: r.snapshot ?? a.runs[i].snapshot,
      diverged: r.diverged,
      divergedBecause: r.divergedBecause,
    })),
  };
}

/**
 * The race as the worker runs it: trains in chunks sized to ~25 ms so that pause and settings are answered
 * quickly, and posts what the chunks produced at most ~30 times a second.
 */
export class RaceSession {
  private race: Race | null = null;
  private playing = false;
  private loop: Promise<void> | null = null;
  private chunk = 1;
  private unsent: RaceUpdate | null = null;
  private lastPost = 0;
  private rate = { steps: 0, since: 0, perSecond: 0 };
  private maxStepsPerSecond = Infinity;

  constructor(private readonly emit: (event: SessionEvent) => void) {}

  /** Builds a race from a config (validated here too), warms its kernels up with one step, then resets it. */
  async configure(input: unknown): Promise<RaceInfo> {
    await this.pause();
    const config = parseExperimentConfig(input);
    this.race?.dispose();
    this.race = null;
    const race = new Race(config);
    const started = performance.now();
    await race.advance(1);
    race.reset();
    const warmUpMs = performance.now() - started;
    this.race = race;
    this.unsent = null;
    const initial = await race.evaluate();
    const n = config.data.size * config.data.size;
    const val = race.dataset.val;
    return {
      config,
      parameterCount: race.parameterCount,
      layerNames: race.layerNames,
      size: config.data.size,
      classes: config.data.classes,
      previewImages: Float32Array.from(race.snapshotIndices.flatMap((i) => Array.from(val.images.subarray(i * n, (i + 1) * n)))),
      previewLabels: Uint8Array.from(race.snapshotIndices.flatMap((i) => Array.from(val.labels.subarray(i * n, (i + 1) * n)))),
      warmUpMs,
      initial,
    };
  }

  play(): void {
    const race = this.requireRace();
    if (this.playing) return;
    this.playing = true;
    this.emit({ type: 'state', playing: true, step: race.step });
    this.rate = { steps: 0, since: performance.now(), perSecond: this.rate.perSecond };
    this.loop = this.run();
  }

  async pause(): Promise<void> {
    this.playing = false;
    await this.loop;
    this.loop = null;
    if (this.race) this.emit({ type: 'state', playing: false, step: this.race.step });
  }

  async step(): Promise<void> {
    await this.pause();
    this.post(await this.requireRace().advance(1), true);
  }

  async reset(): Promise<void> {
    await this.pause();
    const race = this.requireRace();
    race.reset();
    this.unsent = null;
    this.post(await race.evaluate(), true);
  }

  setOptimizer(patch: Partial<Omit<OptimizerConfig, 'name'>>): void {
    this.requireRace().setOptimizer(patch);
  }

  /** Caps the training speed (the page's "steps per frame" times its frame rate). */
  setSpeed(maxStepsPerSecond: number): void {
    this.maxStepsPerSecond = maxStepsPerSecond > 0 ? maxStepsPerSecond : Infinity;
  }

  async dispose(): Promise<void> {
    await this.pause();
    this.race?.dispose();
    this.race = null;
  }

  private requireRace(): Race {
    if (!this.race) throw new Error('no race configured yet');
    return this.race;
  }

  private async run(): Promise<void> {
    const race = this.requireRace();
    while (this.playing) {
      if (race.diverged.every((d) => d !== null)) break;
      const started = performance.now();
      const before = race.step;
      const cap = Number.isFinite(this.maxStepsPerSecond) ? Math.max(1, Math.floor(this.maxStepsPerSecond / 30)) : MAX_CHUNK;
      const update = await race.advance(Math.min(this.chunk, cap));
      const took = performance.now() - started;
      this.rate.steps += race.step - before;
      this.chunk = took < CHUNK_TARGET_MS / 2 ? Math.min(MAX_CHUNK, this.chunk * 2) : took > CHUNK_TARGET_MS * 2 ? Math.max(1, this.chunk >> 1) : this.chunk;
      const elapsed = performance.now() - this.rate.since;
      if (elapsed > 500) {
        this.rate.perSecond = (this.rate.steps * 1000) / elapsed;
        this.rate = { steps: 0, since: performance.now(), perSecond: this.rate.perSecond };
      }
      this.post(update, false);
      // Let pause, settings and other messages in between chunks; wait out any time ahead of the speed cap.
      const ahead = ((race.step - before) * 1000) / this.maxStepsPerSecond - (performance.now() - started);
      await new Promise((r) => setTimeout(r, Math.max(0, ahead)));
    }
    if (this.unsent) this.post(null, true);
    if (this.playing) {
      this.playing = false;
      this.emit({ type: 'state', playing: false, step: race.step });
    }
  }

  private post(update: RaceUpdate | null, force: boolean): void {
    if (update) this.unsent = mergeUpdates(this.unsent, update);
    const now = performance.now();
    if (this.unsent && (force || now - this.lastPost >= POST_INTERVAL_MS)) {
      this.emit({ type: 'update', update: this.unsent, stepsPerSecond: this.rate.perSecond });
      this.unsent = null;
      this.lastPost = now;
    }
  }
}
