// The landscape as the worker computes it: from weights copied out of the race (see RaceSession.landscapeSource),
// with progress, and given up between chunks when cancelled or replaced by a newer request. The last slice of
// each run is kept, so that a click on one of its points can ask for the net's predictions there.
import { outputChannels } from '../domain/task';
import { parseFields } from '../schema/schema';
import { WeightSetEvaluator } from '../landscape/evaluate';
import { LANDSCAPE_FIELDS } from '../landscape/landscapeSettings';
import { raceLandscape, weightsAt, type LandscapeResult, type LandscapeSource, type SliceFrame } from '../landscape/raceLandscape';
import { TRAIL_LIMIT, trailBytes, type WeightTrail } from '../landscape/trail';
import type { Snapshot } from '../train/race';
import { yieldToEventLoop } from './yieldToEventLoop';

/** A landscape given up because it was cancelled or a newer one replaced it. */
export class LandscapeCancelled extends Error {
  override name = 'LandscapeCancelled';
  constructor() {
    super('landscape cancelled');
  }
}

/** The checkpoints a race keeps for its landscape, and what they cost. */
export interface TrailInfo {
  steps: number[];
  every: number;
  limit: number;
  bytes: number;
  /** The bytes when all TRAIL_LIMIT checkpoints are kept. */
  fullBytes: number;
}

type Source = LandscapeSource & { snapshotIndices: number[] };

export class LandscapeSession {
  private token = 0;
  private frames = new Map<number, SliceFrame>();
  private source: Source | null = null;

  constructor(
    private readonly sourceAt: (step: number | null) => Promise<Source>,
    private readonly trail: WeightTrail,
  ) {}

  trailInfo(runs: number, parameters: number): TrailInfo {
    return {
      steps: this.trail.steps,
      every: this.trail.every,
      limit: TRAIL_LIMIT,
      bytes: this.trail.bytes,
      fullBytes: trailBytes(runs, parameters),
    };
  }

  /**
   * The landscape at the settings (validated here: a ConfigError names the field). `withPath` false leaves the
   * path out: the page refines a slice whose path it has drawn already.
   */
  async compute(input: unknown, withPath: boolean, onProgress: (done: number, total: number) => void): Promise<LandscapeResult> {
    const settings = parseFields(LANDSCAPE_FIELDS, input, 'landscape');
    const token = ++this.token;
    const source = await this.sourceAt(settings.step);
    if (token !== this.token) throw new LandscapeCancelled();
    const frames = new Map<number, SliceFrame>();
    const result = await raceLandscape(
      source,
      { ...settings, path: withPath ? settings.path : 0 },
      async (done, total) => {
        onProgress(done, total);
        await yieldToEventLoop();
        if (token !== this.token) throw new LandscapeCancelled();
      },
      (frame) => frames.set(frame.index, frame),
    );
    this.frames = frames;
    this.source = source;
    return result;
  }

  /** Gives up the landscape in progress, if any (it rejects with LandscapeCancelled). */
  cancel(): void {
    this.token++;
  }

  /** What the net predicts on the race's snapshot images at point (a, b) of run `index`'s last slice. */
  async predictions(index: number, a: number, b: number): Promise<Snapshot> {
    const frame = this.frames.get(index);
    const source = this.source;
    if (!frame || !source) throw new Error(`no slice of run ${index} has been computed yet`);
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`a point of a slice has finite coordinates, not (${a}, ${b})`);
    const evaluator = new WeightSetEvaluator(source.config, source.val, frame.loss, 1);
    try {
      const probabilities = await evaluator.probabilities(weightsAt(frame, a, b), source.snapshotIndices);
      const classes = source.config.data.classes;
      return { step: source.step, channels: outputChannels(classes), probabilities };
    } finally {
      evaluator.dispose();
    }
  }
}
