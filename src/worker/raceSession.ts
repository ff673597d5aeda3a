import { tf } from '../tf';
import { throttle } from '../throttle';
import { POST_INTERVAL_MS, stepsPerPost } from '../train/clock';
import type { BackendName } from '../backend/types';
import { parseExperimentConfig, type ExperimentConfig, type LiveOptimizerSettings } from '../config/experimentConfig';
import { ConfigError } from '../schema/schema';
import { DataSourceError, dataSourceOf } from '../data/dataSource';
import type { ImportedDataset, ImportProblem } from '../data/importedData';
import { prepareDataset } from '../data/prepareDataset';
import { generateDatasetInSteps, type Dataset } from '../data/synthetic';
import { importedBytesOf, judgeRaceMemory } from '../train/memoryEstimate';
import type { LayerGradient } from '../train/lockstep';
import { Race, type RaceCheckpoint, type RaceUpdate, type RunUpdate } from '../train/race';
import { raceResults, type ExperimentResults } from '../train/results';
import { yieldToEventLoop } from './yieldToEventLoop';
import type { LandscapeSource } from '../landscape/raceLandscape';
import { WeightTrail } from '../landscape/trail';

export interface RaceInfo {
  config: ExperimentConfig;
  parameterCount: number;
  layerNames: string[];
  size: number;
  classes: number;
  /** The images' input channels (1 grey, 3 colour). */
  channels: number;
  /** The snapshot images (one grey level per pixel: colour averaged) and their labels, for the thumbnails' first two columns. */
  previewImages: Float32Array;
  previewLabels: Uint8Array;
  /** Imported pairs the race's sets left out (e.g. smaller than the image size), each named; none for synthetic images. */
  dataProblems: ImportProblem[];
  warmUpMs: number;
  /** The step-0 evaluation, so the page starts its series with it. */
  initial: RaceUpdate;
  /** Each convolution's weight gradient on this backend: the faster of the two as timed at set-up, or 'auto' (untimed). */
  convGradients: LayerGradient[];
}

/**
 * What a set-up is doing: timing the backends (the automatic choice, see backendChoice.ts), making the images, building the nets and tensors, evaluating the untrained nets on the
 * validation set, the first (warm-up) training step, run by run.
 */
export type SetupPhase = 'backend' | 'images' | 'build' | 'evaluate' | 'firstStep';
/** How far a set-up is: its phase, and how much of it is done. */
export interface SetupReport {
  phase: SetupPhase;
  done: number;
  total: number;
}

/** A set-up given up because it was cancelled or because a newer one replaced it. */
export class SetupCancelled extends Error {
  override name = 'SetupCancelled';
  constructor() {
    super('set-up cancelled');
  }
}

/** Images made between two progress reports (and chances for a cancel to get in). */
const IMAGES_PER_SLICE = 64;
/**
 * The longest the training loop keeps the worker busy without reading its messages. It is checked between runs:
 * a single run's step cannot be split, so with very heavy settings a pause waits for the run in progress.
 */
const YIELD_MS = 50;

/**
 * Step (and evaluation) records each run keeps for the results file; past it they are thinned to every 2nd,
 * 4th, … (about 1 MB per run at the default model, however long the race trains).
 */
export const HISTORY_LIMIT = 8192;

/** What the engine holds on its backend: tensors alive and their bytes (a leak shows as steady growth). */
export interface EngineMemory {
  tensors: number;
  bytes: number;
}

/** Messages the session pushes to the page on its own. */
export type SessionEvent =
  { type: 'update'; update: RaceUpdate; stepsPerSecond: number; memory: EngineMemory } | { type: 'state'; playing: boolean; step: number };

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

/** The images `indices` of a set, each size × size, as grey levels (colour channels averaged), and their labels. */
function previewOf(set: Dataset['val'], indices: readonly number[], size: number) {
  const n = size * size;
  const c = set.channels;
  const grey = Float32Array.from(
    indices.flatMap((i) =>
      Array.from({ length: n }, (_, p) => {
        const at = (i * n + p) * c;
        let sum = 0;
        for (let k = 0; k < c; k++) sum += set.images[at + k];
        return sum / c;
      }),
    ),
  );
  const labels = Uint8Array.from(indices.flatMap((i) => Array.from(set.labels.subarray(i * n, (i + 1) * n))));
  return { previewImages: grey, previewLabels: labels };
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
  private rate = { steps: 0, since: 0, perSecond: 0 };
  private maxStepsPerSecond: number | null = null;
  /** Where playing stops by itself (see setPauseAt). */
  private pauseAt: number | null = null;
  private setupToken = 0;
  private lastYield = 0;
  /** The imported data set the page sent (useDataset): what a config whose data.source is not synthetic trains on. */
  private imported: ImportedDataset | null = null;
  /** Every run's weights every few steps (bounded, see trail.ts): the landscape's checkpoints and trajectory. */
  readonly trail = new WeightTrail();

  /**
   * Whether a set-up times each convolution's two weight gradients (convGradientChoice.ts). Not on a software GPU
   * (SwiftShader, llvmpipe): there a timing takes seconds and says nothing a user would want.
   */
  timeConvGradients = true;

  constructor(private readonly emit: (event: SessionEvent) => void) {}

  /**
   * Builds a race from a config (validated here too, memory included), evaluates step 0, warms the training
   * kernels up with one step and resets. It reports its progress and gives up with SetupCancelled as soon as it
   * is cancelled or a newer configure starts; the previous race is gone either way.
   */
  async configure(
    input: unknown,
    onProgress: (p: SetupReport) => void = () => {},
    /**
     * Runs once the previous race is gone, before anything is built: where the backend is settled. It calls
     * `timing` when it starts timing backends (the 'backend' phase).
     */
    prepare?: (config: ExperimentConfig, timing: () => void) => Promise<void>,
  ): Promise<RaceInfo> {
    const config = parseExperimentConfig(input);
    const imported = this.importedFor(config);
    const judge = () => {
      const verdict = judgeRaceMemory(config, tf.getBackend() as BackendName, undefined, imported ? importedBytesOf(imported) : 0);
      if (verdict.level === 'refuse') throw new ConfigError(verdict.message);
    };
    judge();
    const token = ++this.setupToken;
    const check = async () => {
      await yieldToEventLoop();
      if (token !== this.setupToken) throw new SetupCancelled();
    };
    await this.pause();
    this.race?.dispose();
    this.race = null;
    if (prepare) {
      await prepare(config, () => onProgress({ phase: 'backend', done: 0, total: 1 }));
      await check();
      judge();
    }

    const started = performance.now();
    const { dataset, problems } = await this.makeDataset(config, imported, onProgress, check);
    onProgress({ phase: 'build', done: 0, total: 1 });
    await check();
    const race = new Race(config, dataset, { historyLimit: HISTORY_LIMIT });
    let initial: RaceUpdate;
    let convGradients: LayerGradient[];
    try {
      convGradients = this.timeConvGradients ? await race.tuneConvGradients() : race.layerGradients;
      await check();
      const runs = config.losses.length;
      let warmed = 0;
      // The step-0 evaluation first (it also warms the forward kernels up), then one training step run by run.
      onProgress({ phase: 'evaluate', done: 0, total: 1 });
      await check();
      initial = await race.evaluate();
      await check();
      await race.advance(1, async () => {
        onProgress({ phase: 'firstStep', done: warmed++, total: runs });
        await check();
        return false;
      });
      onProgress({ phase: 'firstStep', done: runs, total: runs });
      race.reset();
      await check();
    } catch (e) {
      race.dispose();
      throw e;
    }
    const warmUpMs = performance.now() - started;
    this.race = race;
    this.unsent = null;
    await this.restartTrail();
    return {
      config,
      parameterCount: race.parameterCount,
      layerNames: race.layerNames,
      size: config.data.size,
      classes: config.data.classes,
      channels: race.dataset.channels,
      ...previewOf(race.dataset.val, race.snapshotIndices, config.data.size),
      dataProblems: problems,
      warmUpMs,
      initial,
      convGradients,
    };
  }

  /**
   * The imported data set that configs naming imported data train on (null: none, e.g. the page chose synthetic
   * shapes). A race built on another data set (another content hash) is stale: it is given up, and the page
   * configures again.
   */
  async useDataset(imported: ImportedDataset | null): Promise<void> {
    this.imported = imported;
    const built = this.race?.dataset.source;
    if (built && built.hash !== imported?.hash) {
      await this.pause();
      this.race?.dispose();
      this.race = null;
    }
  }

  /** The imported data set a config trains on: none for synthetic images; a ConfigError when it names data not loaded. */
  private importedFor(config: ExperimentConfig): ImportedDataset | null {
    let kind: string;
    try {
      kind = dataSourceOf(config.data.source).kind;
    } catch (e) {
      if (e instanceof DataSourceError) throw new ConfigError(`data.source: ${e.message}`);
      throw e;
    }
    if (kind === 'synthetic') return null;
    if (!this.imported)
      throw new ConfigError(
        `data.source: ${config.data.source} names imported images, but no data set is loaded in the engine: import it, or use the synthetic shapes`,
      );
    return this.imported;
  }

  /** The race's training and validation sets: synthetic images made a slice at a time, or cut from the import. */
  private async makeDataset(
    config: ExperimentConfig,
    imported: ImportedDataset | null,
    onProgress: (p: SetupReport) => void,
    check: () => Promise<void>,
  ): Promise<{ dataset: Dataset; problems: ImportProblem[] }> {
    const total = config.data.train + config.data.val;
    onProgress({ phase: 'images', done: 0, total });
    await check();
    if (imported) {
      const prepared = prepareDataset(imported, config.data, config.seed);
      onProgress({ phase: 'images', done: total, total });
      await check();
      return prepared;
    }
    const images = generateDatasetInSteps(config.data, config.seed, IMAGES_PER_SLICE);
    let made = images.next();
    for (; !made.done; made = images.next()) {
      onProgress({ phase: 'images', done: made.value, total });
      await check();
    }
    return { dataset: made.value, problems: [] };
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
    await this.keepTrail();
  }

  /** Pauses, then trains `steps` more steps (every run, checkpoints kept) and posts what they produced. */
  async train(steps: number): Promise<void> {
    await this.pause();
    const race = this.requireRace();
    const until = race.step + steps;
    while (race.step < until && race.diverged.some((d) => d === null)) {
      this.post(await race.advance(Math.min(until - race.step, MAX_CHUNK, this.trail.stepsUntilDue(race.step))), false);
      await this.keepTrail();
      await yieldToEventLoop();
    }
    this.post(null, true);
    this.emit({ type: 'state', playing: false, step: race.step });
  }

  async reset(): Promise<void> {
    await this.pause();
    const race = this.requireRace();
    race.reset();
    this.unsent = null;
    await this.restartTrail();
    this.post(race.initialUpdate() ?? (await race.evaluate()), true);
  }

  /** The race's runs and parameters per run, when there is a race. */
  get info(): { runs: number; parameters: number } | null {
    return this.race ? { runs: this.race.lossSpecs.length, parameters: this.race.parameterCount } : null;
  }

  /** How many runs have taken the step under way: above 0 when a pause came between the runs of a step. */
  get runsIntoStep(): number {
    return this.race?.runsIntoStep ?? 0;
  }

  /** Gives up the set-up in progress, if any (it rejects with SetupCancelled). */
  cancelSetup(): void {
    this.setupToken++;
  }

  /**
   * Without a race (a set-up under way replaced it) there is nothing to change: the page sends its settings again
   * once the new race is built.
   */
  setOptimizer(patch: Partial<LiveOptimizerSettings>): void {
    this.race?.setOptimizer(patch);
  }

  /** Caps the training speed in steps per second; null (or a value that is not a positive number) lifts the cap. */
  setSpeed(maxStepsPerSecond: number | null): void {
    this.maxStepsPerSecond =
      maxStepsPerSecond !== null && maxStepsPerSecond > 0 && Number.isFinite(maxStepsPerSecond) ? maxStepsPerSecond : null;
  }

  /**
   * A step at which playing stops by itself: a tour chapter's measured step, where its claims hold. Play from below it
   * trains exactly to it (no chunk goes past it) and pauses; Play from it or beyond trains on, which is how the reader
   * keeps training. It outlives a reset and a new race, like the speed cap; null removes it. Anything but null or a
   * whole number from 1 up is refused with the reason, and the previous value stays.
   */
  setPauseAt(step: number | null): void {
    if (step !== null && !(Number.isInteger(step) && step >= 1)) {
      throw new RangeError(`pause step: expected none (null) or a whole number from 1 up, got ${String(step)}`);
    }
    this.pauseAt = step;
  }

  /** Every series of the race so far, in the experiment CLI's results format (training goes on). */
  results(): ExperimentResults {
    return raceResults(this.requireRace(), tf.getBackend());
  }

  /** Pauses, finishes a step stopped between runs (its records are posted) and returns the race as plain data. */
  async checkpoint(): Promise<RaceCheckpoint> {
    await this.pause();
    const race = this.requireRace();
    if (race.runsIntoStep > 0) this.post(await race.advance(1), true);
    return race.checkpoint();
  }

  /** Takes a checkpoint of a race of the same settings back into the race just configured. */
  async restore(checkpoint: RaceCheckpoint): Promise<void> {
    await this.pause();
    this.requireRace().restore(checkpoint);
    this.unsent = null;
    // The trajectory before the checkpoint is not in it: the trail starts again from here.
    await this.restartTrail();
  }

  /**
   * The weights of every run at `step` (null: now) and their checkpoints before it, copied out of the race: the
   * race is paused (a step stopped between runs is finished first), and whatever it does next cannot change them.
   */
  async landscapeSource(step: number | null): Promise<LandscapeSource & { snapshotIndices: number[] }> {
    await this.pause();
    const race = this.requireRace();
    if (race.runsIntoStep > 0) this.post(await race.advance(1), true);
    const saved = step === null ? undefined : this.trail.at(step);
    const at = saved?.step ?? race.step;
    const weights = saved?.runs ?? (await race.runWeights());
    return {
      config: race.config,
      val: race.dataset.val,
      step: at,
      runs: weights.map((w, i) => ({ weights: w, checkpoints: this.trail.before(at).map((p) => p.runs[i]) })),
      snapshotIndices: race.snapshotIndices,
    };
  }

  private async restartTrail(): Promise<void> {
    this.trail.clear();
    await this.keepTrail();
  }

  /** Adds the weights now to the trail when they are due (never in the middle of a step). */
  private async keepTrail(): Promise<void> {
    const race = this.race;
    if (!race || race.runsIntoStep > 0 || !this.trail.due(race.step)) return;
    this.trail.add(race.step, await race.runWeights());
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
      // Read once per chunk: a pause step set while this chunk trains applies from the next one.
      const stopAt = this.pauseAt !== null && before < this.pauseAt ? this.pauseAt : Infinity;
      // A chunk ends where the trail's next checkpoint is due, so that checkpoints fall every `trail.every` steps,
      // and at the pause step, so that the race stops on it exactly.
      const steps = Math.min(
        this.chunk,
        stepsPerPost(this.maxStepsPerSecond, MAX_CHUNK),
        this.trail.stepsUntilDue(race.step),
        stopAt - race.step,
      );
      const update = await race.advance(steps, this.shouldStop);
      const took = performance.now() - started;
      this.rate.steps += race.step - before;
      this.chunk =
        took < CHUNK_TARGET_MS / 2
          ? Math.min(MAX_CHUNK, this.chunk * 2)
          : took > CHUNK_TARGET_MS * 2
            ? Math.max(1, this.chunk >> 1)
            : this.chunk;
      const elapsed = performance.now() - this.rate.since;
      if (elapsed > 500) {
        this.rate.perSecond = (this.rate.steps * 1000) / elapsed;
        this.rate = { steps: 0, since: performance.now(), perSecond: this.rate.perSecond };
      }
      this.post(update, false);
      await this.keepTrail();
      if (race.step >= stopAt) break;
      // Let pause, settings and other messages in between chunks; wait out any time ahead of the speed cap.
      const ahead =
        this.maxStepsPerSecond === null ? 0 : ((race.step - before) * 1000) / this.maxStepsPerSecond - (performance.now() - started);
      await new Promise((r) => setTimeout(r, Math.max(0, ahead)));
    }
    if (this.unsent) this.post(null, true);
    if (this.playing) {
      this.playing = false;
      this.emit({ type: 'state', playing: false, step: race.step });
    }
  }

  /** Between runs: lets the worker's messages in at most every YIELD_MS, then says whether a pause came. */
  private shouldStop = async (): Promise<boolean> => {
    if (performance.now() - this.lastYield >= YIELD_MS) {
      await yieldToEventLoop();
      this.lastYield = performance.now();
    }
    return !this.playing;
  };

  /** Adds `update` to what the page has not seen, and sends that when a post is due (`force`: at once). */
  private post(update: RaceUpdate | null, force: boolean): void {
    if (update) this.unsent = mergeUpdates(this.unsent, update);
    if (this.unsent) this.send(force);
  }

  /** At most one post per POST_INTERVAL_MS; one not due is dropped, its steps wait in `unsent` for the next. */
  private readonly send = throttle<[force: boolean]>(
    () => {
      const { numTensors, numBytes } = tf.memory();
      this.emit({
        type: 'update',
        update: this.unsent!,
        stepsPerSecond: this.rate.perSecond,
        memory: { tensors: numTensors, bytes: numBytes },
      });
      this.unsent = null;
    },
    POST_INTERVAL_MS,
    { trailing: false, urgent: (force) => force },
  );
}
