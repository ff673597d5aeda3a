import { tf, withScalars, type Tensor, type Tensor3D, type Tensor4D } from '../tf';
import { raceIdentity, type ExperimentConfig, type LiveOptimizerSettings, type OptimizerConfig } from '../config/experimentConfig';
import { outputChannels } from '../domain/task';
import { generateDataset, type Dataset, type ImageSet } from '../data/synthetic';
import { buildLoss } from '../losses/buildLoss';
import type { LossSpec } from '../losses/lossDefinition';
import { confusionMatrices } from '../metrics/confusion';
import { nanMean, perClassScores } from '../metrics/hardScores';
import type { ConvTimer } from '../model/convGradientChoice';
import { initialWeights, parameterCount, type LayerInit } from '../model/tinyNet';
import { BatchSampler } from './batches';
import { RunHistory, type EvalRecord, type RunHistoryState, type StepRecord } from './history';
import type { OptimizerState } from './optimizers';
import type { LayerGradient, Lockstep, TrainingSet } from './lockstep';
import { createLockstep } from './lockstepChoice';
import { ScalarCache } from './scalarCache';
import { toTensors, type SetTensors } from './setTensors';
import { packedLength, stepLayout, unpackStep, type PixelCounts, type StepLayout } from './trainStep';

export const SNAPSHOT_IMAGES = 4;

/**
 * A loss this many times its first value counts as diverged too: with ReLU nets a blown-up step often kills
 * the units before float32 overflows, so the loss can stay finite while the run is wrecked (lr 50 on BCE).
 */
export const EXPLOSION_FACTOR = 1000;
/** Validation images evaluated together: bounds the evaluation's memory whatever the size of the set. */
export const EVAL_CHUNK = 32;

/** Probability maps of the snapshot images: [n, size, size, channels], channels 1 (binary) or C. */
export interface Snapshot {
  step: number;
  channels: number;
  probabilities: Float32Array;
}

export interface RunUpdate {
  index: number;
  steps: StepRecord[];
  evals: EvalRecord[];
  snapshot?: Snapshot;
  diverged: number | null;
  /** Why it diverged, in words (set with `diverged`). */
  divergedBecause: string | null;
}

export interface RaceUpdate {
  step: number;
  runs: RunUpdate[];
}

/**
 * Everything a race is between two steps, as plain data: a new engine (after the page let its worker go) builds
 * the same config and takes this back, and trains on exactly as the old one would have.
 */
export interface RaceCheckpoint {
  /** The config it was taken from: it goes back only into a race of the same identity (see raceIdentity). */
  config: ExperimentConfig;
  step: number;
  evaluatedAt: number;
  batchesDrawn: number;
  /** The optimiser settings at the time, live changes included. */
  settings: OptimizerConfig;
  runs: {
    weights: Float32Array[];
    optimizer: OptimizerState;
    firstLoss: number | null;
    diverged: number | null;
    divergedBecause: string | null;
    history: RunHistoryState;
  }[];
}

/** A step's packed metrics [runs, packedLength], one row for each of `runs`, waiting to be read back. */
interface Pending {
  step: number;
  packed: Tensor;
  runs: Run[];
  /** The batch's pixel counts, which the packed metrics are read with (see unpackStep). */
  counts: PixelCounts;
}
interface PendingEval {
  step: number;
  confusion: Tensor;
  maps: Tensor;
}

interface Run {
  spec: LossSpec;
  history: RunHistory;
  /** The first step's loss, the yardstick of an explosion (kept apart: the history may be thinned). */
  firstLoss: number | undefined;
  diverged: number | null;
  divergedBecause: string | null;
  pendingEvals: PendingEval[];
}

/**
 * The training images' object and background masks as [2, images, pixels], so that a batch's masks [2, pixels] are
 * one gather; and each image's object pixel count, so that a batch's counts are a sum in JS.
 */
function pixelGroupsOf(set: ImageSet, size: number): { masks: Tensor3D; objects: Int32Array } {
  const n = size * size;
  const objects = new Int32Array(set.count);
  const masks = new Float32Array(2 * set.count * n);
  for (let i = 0; i < set.count; i++)
    for (let p = 0; p < n; p++) {
      const object = set.labels[i * n + p] > 0 ? 1 : 0;
      objects[i] += object;
      masks[i * n + p] = object;
      masks[(set.count + i) * n + p] = 1 - object;
    }
  return { masks: tf.tensor3d(masks, [2, set.count, n]), objects };
}

function divergence(rec: StepRecord, firstLoss: number | undefined): string | null {
  if (!Number.isFinite(rec.loss)) return `the loss became ${rec.loss}`;
  if (!Number.isFinite(rec.gradNorm)) return `the gradient became ${rec.gradNorm}`;
  if (firstLoss !== undefined && rec.loss > EXPLOSION_FACTOR * Math.max(firstLoss, 1e-6)) {
    return `the loss exploded to ${rec.loss.toPrecision(3)} from ${firstLoss.toPrecision(3)}`;
  }
  return null;
}

/** The first validation images with an object in them (then any), for the prediction thumbnails. */
function snapshotIndices(val: ImageSet, size: number): number[] {
  const n = size * size;
  const withObjects: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < val.count; i++) (val.labels.subarray(i * n, (i + 1) * n).some((l) => l > 0) ? withObjects : rest).push(i);
  return [...withObjects, ...rest].slice(0, SNAPSHOT_IMAGES);
}

/**
 * Several losses trained in lockstep: identical initial weights, identical batches, one optimiser state each,
 * so every difference is the loss's doing. Steps run on the device and their metrics are read back together
 * by `advance`, never synchronously. A run whose loss or gradient norm turns NaN/Inf stops ("diverged at s").
 */
export class Race {
  readonly dataset: Dataset;
  readonly parameterCount: number;
  readonly layerNames: string[];
  readonly snapshotIndices: number[];
  private readonly runs: Run[];
  /** How the runs are trained (lockstep.ts): the race draws the batches, reads the metrics back and judges them. */
  private readonly lockstep: Lockstep;
  private pending: Pending[] = [];
  private readonly train: TrainingSet;
  /** Each training image's object pixel count: a batch's counts are a sum in JS. */
  private readonly trainObjects: Int32Array;
  private readonly val: SetTensors;
  private readonly snapshotX: Tensor4D;
  private readonly sampler: BatchSampler;
  private readonly classes: number;
  private readonly layers: number;
  private settings: OptimizerConfig;
  private stepCount = 0;
  /** The step under way when `advance` was stopped between its shares: its batch's pixel counts, and how many runs took it. */
  private partial: { counts: PixelCounts; runs: number } | null = null;
  private evaluatedAt = -1;
  /** Each run's step-0 evaluation: the initial weights give it, so a reset reuses it instead of evaluating again. */
  private initialEvals: ({ record: EvalRecord; snapshot: Snapshot } | null)[] = [];
  private disposed = false;
  /** The scalars every step uses as operands, kept (see withScalars). */
  private readonly scalars = new ScalarCache();
  /** Which layer each parameter belongs to (the same net layout in every run). */
  private readonly layout: StepLayout;

  private readonly historyLimit: number;

  /**
   * `dataset`: the config's images when the caller has made them already (the worker makes them with progress).
   * `historyLimit`: the most step (and evaluation) records each run's history keeps; past it the history is
   * thinned (see RunHistory), so a race that trains for hours in the worker does not grow with it.
   * `stacked`: whether the runs step together as one network ('auto': where the backend does that faster; see
   * lockstepChoice.ts).
   */
  constructor(
    readonly config: ExperimentConfig,
    dataset?: Dataset,
    options: { historyLimit?: number; stacked?: 'auto' | boolean } = {},
  ) {
    const historyLimit = options.historyLimit ?? Infinity;
    this.historyLimit = historyLimit;
    this.dataset = dataset ?? generateDataset(config.data, config.seed);
    this.classes = config.data.classes;
    const outChannels = outputChannels(this.classes);
    const init: LayerInit[] = initialWeights(config.model, outChannels, config.seed, this.dataset.channels);
    this.parameterCount = parameterCount(init);
    this.layers = init.length;
    this.layerNames = init.map((l) => l.name);
    this.settings = { ...config.optimizer };
    const groups = pixelGroupsOf(this.dataset.train, config.data.size);
    this.train = { ...toTensors(this.dataset.train, config.data.size, this.classes), masks: groups.masks };
    this.trainObjects = groups.objects;
    this.val = toTensors(this.dataset.val, config.data.size, this.classes);
    this.snapshotIndices = snapshotIndices(this.dataset.val, config.data.size);
    this.snapshotX = tf.tidy(() => tf.gather(this.val.x, this.snapshotIndices)) as Tensor4D;
    this.sampler = new BatchSampler(config.data.train, config.batchSize, config.seed);
    this.layout = stepLayout(init);
    this.runs = config.losses.map((spec) => ({
      spec,
      history: new RunHistory(historyLimit),
      firstLoss: undefined,
      diverged: null,
      divergedBecause: null,
      pendingEvals: [],
    }));
    const losses = config.losses.map(buildLoss);
    this.lockstep = createLockstep(config, init, losses, this.train, this.layout, options.stacked ?? 'auto');
  }

  get step(): number {
    return this.stepCount;
  }

  /** How many runs have taken the step under way (0 between steps): a race stopped between runs is mid-step. */
  get runsIntoStep(): number {
    return this.partial?.runs ?? 0;
  }

  get histories(): readonly RunHistory[] {
    return this.runs.map((r) => r.history);
  }

  get diverged(): readonly (number | null)[] {
    return this.runs.map((r) => r.diverged);
  }

  get divergedBecause(): readonly (string | null)[] {
    return this.runs.map((r) => r.divergedBecause);
  }

  get lossSpecs(): readonly LossSpec[] {
    return this.runs.map((r) => r.spec);
  }

  /** The learning rate, momentum/betas and clipping apply from the next step on; no reset needed. */
  setOptimizer(patch: Partial<LiveOptimizerSettings>): void {
    this.settings = { ...this.settings, ...patch };
  }

  get optimizerSettings(): OptimizerConfig {
    return { ...this.settings };
  }

  /**
   * Runs `steps` lockstep steps (evaluating every `evalEvery`), then reads back everything they produced.
   * `stop`, when given, is asked before each share of a step (a run of its own net, or all runs stepped together:
   * see lockstep.ts); when it says so, `advance` returns at once with the steps completed so far. The step under
   * way is kept (its batch, and the runs that already took it) and completed first by the next call, so a race
   * stopped between runs trains exactly as one that was not.
   */
  async advance(steps: number, stop?: () => boolean | Promise<boolean>): Promise<RaceUpdate> {
    this.assertLive();
    if (this.evaluatedAt < 0) this.enqueueValidation();
    for (let i = 0; i < steps; i++) {
      if (this.runs.every((r) => r.diverged !== null)) break;
      // Asked before the batch is drawn, and before each later share, so that a step under way always has a run
      // that took it (runsIntoStep > 0).
      if (!this.partial) {
        if (stop && (await stop())) return this.readBack();
        this.partial = this.beginStep();
      }
      const partial = this.partial;
      while (this.lockstep.hasShareLeft) {
        if (partial.runs > 0 && stop && (await stop())) return this.readBack();
        const { runs, packed } = withScalars(this.scalars, () => this.lockstep.stepShare(this.settings));
        this.pending.push({ step: this.stepCount + 1, packed, runs: runs.map((k) => this.runs[k]), counts: partial.counts });
        partial.runs += runs.length;
      }
      this.endStep();
      this.stepCount++;
      if (this.stepCount % this.config.evalEvery === 0) this.enqueueValidation();
    }
    return this.readBack();
  }

  /** Evaluates now (if this step has not been evaluated yet) and reads it back. */
  async evaluate(): Promise<RaceUpdate> {
    this.assertLive();
    if (this.evaluatedAt !== this.stepCount) this.enqueueValidation();
    return this.readBack();
  }

  /** The step-0 evaluation of every run, as `advance` first reported it (null before the first evaluation). */
  initialUpdate(): RaceUpdate | null {
    if (this.initialEvals.length !== this.runs.length || this.initialEvals.some((e) => e === null)) return null;
    return {
      step: 0,
      runs: this.initialEvals.map((e, index) => ({
        index,
        steps: [],
        evals: [e!.record],
        snapshot: e!.snapshot,
        diverged: null,
        divergedBecause: null,
      })),
    };
  }

  /**
   * Back to the initial weights, fresh optimiser state, the first batch and histories that hold only the step-0
   * evaluation (known already). Optimiser settings changed live (learning rate, clipping) are kept: the user
   * chose them.
   */
  reset(): void {
    this.assertLive();
    this.endStep();
    this.discardPending();
    this.lockstep.restore();
    this.setFrozen([]);
    for (const run of this.runs) {
      run.history = new RunHistory(this.historyLimit);
      run.firstLoss = undefined;
      run.diverged = null;
      run.divergedBecause = null;
    }
    this.sampler.reset();
    this.stepCount = 0;
    this.evaluatedAt = -1;
    if (this.initialUpdate()) {
      this.runs.forEach((run, i) => run.history.pushEval(this.initialEvals[i]!.record));
      this.evaluatedAt = 0;
    }
  }

  /**
   * Times both weight gradients of every convolution of the net at the batch's shapes on the active backend and
   * gives each the faster (see convGradientChoice.ts). The page's engine does it once per race; the CLI and the
   * tests do not, so that their figures do not depend on a timing.
   */
  async tuneConvGradients(time?: ConvTimer): Promise<LayerGradient[]> {
    this.assertLive();
    return this.lockstep.tuneConvGradients(time);
  }

  /** How each layer's gradients are computed now. */
  get layerGradients(): LayerGradient[] {
    return this.lockstep.layerGradients;
  }

  /** Each run's weights now, in checkpoint order (a step stopped between runs gives some runs' weights after it). */
  async runWeights(): Promise<Float32Array[][]> {
    this.assertLive();
    return this.lockstep.weights();
  }

  /** The race between two steps (a race stopped between runs finishes its step first: `advance(1)`). */
  async checkpoint(): Promise<RaceCheckpoint> {
    this.assertLive();
    if (this.partial) throw new Error('a checkpoint is taken between steps: this race stopped between the runs of a step');
    // Per run whichever way the runs are kept, so that a checkpoint goes back into a race on another backend.
    const { weights, optimizers } = await this.lockstep.save();
    const runs = this.runs.map((run, i) => ({
      weights: weights[i],
      optimizer: optimizers[i],
      firstLoss: run.firstLoss ?? null,
      diverged: run.diverged,
      divergedBecause: run.divergedBecause,
      history: run.history.state,
    }));
    return {
      config: this.config,
      step: this.stepCount,
      evaluatedAt: this.evaluatedAt,
      batchesDrawn: this.sampler.batchesDrawn,
      settings: { ...this.settings },
      runs,
    };
  }

  /** Takes a checkpoint of a race of the same identity back: weights, optimiser state, batches, histories. */
  restore(cp: RaceCheckpoint): void {
    this.assertLive();
    if (raceIdentity(cp.config) !== raceIdentity(this.config) || cp.runs.length !== this.runs.length) {
      throw new Error('this checkpoint was taken from a race with other settings');
    }
    this.endStep();
    this.discardPending();
    this.lockstep.load(
      cp.runs.map((r) => r.weights),
      cp.runs.map((r) => r.optimizer),
    );
    this.runs.forEach((run, i) => {
      const saved = cp.runs[i];
      run.firstLoss = saved.firstLoss ?? undefined;
      run.diverged = saved.diverged;
      run.divergedBecause = saved.divergedBecause;
      run.history = RunHistory.from(saved.history, this.historyLimit);
    });
    this.setFrozen(this.runs.filter((r) => r.diverged !== null));
    this.sampler.seek(cp.batchesDrawn);
    this.settings = { ...cp.settings };
    this.stepCount = cp.step;
    this.evaluatedAt = cp.evaluatedAt;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.endStep();
    this.discardPending();
    this.setFrozen([]);
    this.lockstep.dispose();
    tf.dispose([...Object.values(this.train), ...Object.values(this.val), this.snapshotX]);
    this.scalars.dispose();
    this.layout.segments.dispose();
  }

  private assertLive() {
    if (this.disposed) throw new Error('this race has been disposed');
  }

  /** Draws the next batch and starts the runs' step on it. */
  private beginStep(): { counts: PixelCounts; runs: number } {
    const { indices, counts } = this.sample();
    this.lockstep.beginStep(indices);
    return { counts, runs: 0 };
  }

  /** Ends the step under way, taken by every run or given up part-way. */
  private endStep() {
    this.lockstep.endStep();
    this.partial = null;
  }

  /** Frees the pending evaluations and the step records up to `upTo` (all of them by default). */
  private discardPending(upTo = Infinity) {
    tf.dispose([
      ...this.pending.filter((p) => p.step <= upTo).map((p) => p.packed),
      ...this.runs.flatMap((r) => r.pendingEvals.flatMap((e) => [e.confusion, e.maps])),
    ]);
    this.pending = this.pending.filter((p) => p.step > upTo);
    for (const run of this.runs) run.pendingEvals = [];
  }

  /** Stops these runs (they diverged): their weights no longer change, whichever way the runs are trained. */
  private setFrozen(runs: Run[]) {
    this.lockstep.setFrozen(this.runs.map((r) => runs.includes(r)));
  }

  /** The next batch's training images and its pixel counts. */
  private sample(): { indices: Int32Array; counts: PixelCounts } {
    const indices = this.sampler.next();
    const pixels = indices.length * this.config.data.size ** 2;
    const object = indices.reduce((n, i) => n + this.trainObjects[i], 0);
    return { indices, counts: { object, background: pixels - object } };
  }

  /**
   * Evaluates every live run on the validation set and the snapshot images, on the device; `readBack` reads it.
   * In slices of EVAL_CHUNK images: a forward pass over the whole set at once would hold every image's activations
   * together (gigabytes at 512 images of 64 px with a wide U-Net).
   */
  private enqueueValidation() {
    withScalars(this.scalars, () => {
      this.evaluatedAt = this.stepCount;
      const live = this.runs.flatMap((r, k) => (r.diverged === null ? [k] : []));
      const results = tf.tidy(() => {
        const count = this.val.x.shape[0];
        let sums: Tensor[] | null = null;
        for (let start = 0; start < count; start += EVAL_CHUNK) {
          const n = Math.min(EVAL_CHUNK, count - start);
          const parts = tf.tidy(() => {
            const x = tf.slice(this.val.x, [start, 0, 0, 0], [n, -1, -1, -1]);
            const targets = tf.slice(this.val.targets, start, n);
            return this.lockstep.logits(x, live).map((z) => tf.sum(confusionMatrices(z, targets), 0));
          });
          sums = sums ? sums.map((c, i) => tf.add(c, parts[i])) : parts;
        }
        const maps = this.lockstep.logits(this.snapshotX, live).map((z) => this.probabilities(z));
        return live.map((_, i) => [tf.reshape(sums![i], [-1]), maps[i]] as const);
      });
      live.forEach((k, i) => {
        const [confusion, maps] = results[i];
        this.runs[k].pendingEvals.push({ step: this.stepCount, confusion, maps });
      });
    });
  }

  private probabilities(logits: Tensor): Tensor {
    return this.classes === 2 ? tf.sigmoid(logits) : tf.softmax(logits, -1);
  }

  private stepRecord(p: Pending, v: Float32Array): StepRecord {
    const k = this.classes;
    const step = p.step;
    const { confusion, ...packed } = unpackStep(v, this.layers, k, p.counts);
    const iou = perClassScores(confusion, k, 'iou');
    let total = 0;
    let predictedFg = 0;
    for (let r = 0; r < k; r++)
      for (let c = 0; c < k; c++) {
        total += confusion[r * k + c];
        if (c > 0) predictedFg += confusion[r * k + c];
      }
    return {
      step,
      ...packed,
      trainIoU: k === 2 ? iou[1] : nanMean(iou.slice(1)),
      fgFraction: total > 0 ? predictedFg / total : 0,
    };
  }

  private evalRecord(step: number, confusion: Float32Array): EvalRecord {
    const k = this.classes;
    const iou = perClassScores(confusion, k, 'iou');
    const dice = perClassScores(confusion, k, 'dice');
    const objects = nanMean(iou.slice(1));
    return { step, iou: objects, miou: nanMean(iou), miouNoBg: objects, dice: nanMean(dice.slice(1)) };
  }

  /** Reads back every step record and evaluation the device holds for the page, in one wait, and judges divergence. */
  private async readBack(): Promise<RaceUpdate> {
    const width = packedLength(this.layers, this.classes);
    // A run's share of a step still under way stays pending, so no run reaches the page ahead of the step counter.
    const steps = this.pending.filter((p) => p.step <= this.stepCount);
    const rowsOf = new Map<Run, { p: Pending; row: number }[]>(this.runs.map((r) => [r, []]));
    let rows = 0;
    for (const p of steps) for (const run of p.runs) rowsOf.get(run)!.push({ p, row: rows++ });
    const evals = this.runs.flatMap((r) => r.pendingEvals);
    const stacked = steps.length ? tf.tidy(() => tf.concat(steps.map((p) => tf.reshape(p.packed, [-1, width])))) : null;
    const confusions = evals.length ? tf.stack(evals.map((e) => e.confusion)) : null;
    const [stepData, confData, ...mapData] = await Promise.all([
      stacked ? stacked.data() : Promise.resolve(new Float32Array()),
      confusions ? confusions.data() : Promise.resolve(new Float32Array()),
      ...evals.map((e) => e.maps.data()),
    ]);
    tf.dispose([stacked, confusions].filter((t): t is Tensor => t !== null));
    let evalRow = 0;
    const k2 = this.classes * this.classes;
    let diverging = false;
    const updates = this.runs.map((run, index): RunUpdate => {
      const update: RunUpdate = { index, steps: [], evals: [], diverged: run.diverged, divergedBecause: run.divergedBecause };
      for (const { p, row } of rowsOf.get(run)!) {
        const rec = this.stepRecord(p, (stepData as Float32Array).subarray(row * width, (row + 1) * width));
        if (run.diverged !== null) continue;
        const why = divergence(rec, run.firstLoss);
        if (why) {
          run.diverged = p.step;
          run.divergedBecause = why;
          diverging = true;
          continue;
        }
        run.firstLoss ??= rec.loss;
        run.history.push(rec);
        update.steps.push(rec);
      }
      for (const e of run.pendingEvals) {
        const confusion = (confData as Float32Array).subarray(evalRow * k2, (evalRow + 1) * k2);
        const maps = mapData[evalRow] as Float32Array;
        evalRow++;
        if (run.diverged !== null && e.step >= run.diverged) continue;
        const rec = this.evalRecord(e.step, confusion);
        run.history.pushEval(rec);
        update.evals.push(rec);
        update.snapshot = { step: e.step, channels: outputChannels(this.classes), probabilities: maps };
        if (e.step === 0) this.initialEvals[index] ??= { record: rec, snapshot: update.snapshot };
      }
      update.diverged = run.diverged;
      update.divergedBecause = run.divergedBecause;
      return update;
    });
    this.discardPending(this.stepCount);
    if (diverging) this.setFrozen(this.runs.filter((r) => r.diverged !== null));
    return { step: this.stepCount, runs: updates };
  }
}
