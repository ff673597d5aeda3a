// A landscape chunk's loss, BCE (cross-entropy with several classes) and confusion counts on webgpu, in the fused
// step's loss stage (TailStage), over the stacked net's logits of the whole chunk: one of the stage's runs per weight
// set with the loss's tail and, unless the loss is that BCE, one more per set with the BCE's. Two to five dispatches
// for the chunk (the logits doubled for the BCE's runs, the region sums and the Lovász sort where needed, the tail,
// the statistics' slice), where the losses' own kernels cost eight or so per set. The ∂L/∂z the stage writes first
// is not read.
import { tf, type Tensor } from '../tf';
import { backendCapabilities } from '../backend/capabilities';
import { outputChannels } from '../domain/task';
import { definitionOf } from '../losses/registry';
import type { LossSpec } from '../losses/lossDefinition';
import type { LossTail } from '../losses/lossTail';
import { TailStage } from '../train/fusedTailStage';
import { stageWrites } from '../train/fusedGate';

/** A weight set's values as the stage's statistics give them. */
export interface ChunkPoint {
  loss: number;
  bce: number;
  /** Binary: [TP, FP] (z > 0 as object); several classes: the C × C confusion matrix (rows: the label). */
  counts: Float32Array;
}

export class ChunkTails {
  private readonly stage: TailStage;
  /** Image indices 0..images−1: the stage picks its targets from the whole validation set. */
  private readonly idx: Tensor;
  /** The BCE has runs of its own (the loss is another). */
  private readonly withBce: boolean;

  private constructor(
    loss: LossTail,
    bce: LossTail,
    private readonly channels: number,
    private readonly sets: number,
    private readonly images: number,
    private readonly pixels: number,
  ) {
    this.withBce = JSON.stringify(loss) !== JSON.stringify(bce);
    const tails = Array.from({ length: sets }, () => loss);
    this.stage = new TailStage(this.withBce ? [...tails, ...tails.map(() => bce)] : tails, channels);
    this.idx = tf.tensor1d(
      Int32Array.from({ length: images }, (_, i) => i),
      'int32',
    );
  }

  /**
   * The stage for chunks of `sets` weight sets on `images` validation images of `size` px, or null where
   * the landscape keeps the losses' own graphs: not webgpu, or a loss without a tail the stage writes.
   */
  static create(loss: LossSpec, bceLoss: LossSpec, classes: number, sets: number, images: number, size: number): ChunkTails | null {
    const channels = outputChannels(classes);
    if (!backendCapabilities().ownKernels || !TailStage.fits(channels, images)) return null;
    const tailOf = (spec: LossSpec) => definitionOf(spec).tail?.(spec, channels) ?? null;
    const [tail, bce] = [tailOf(loss), tailOf(bceLoss)];
    const staged = (t: LossTail | null): t is LossTail => t !== null && stageWrites(t, channels, size);
    return staged(tail) && staged(bce) ? new ChunkTails(tail, bce, channels, sets, images, size * size) : null;
  }

  /** Logits [sets, images, H, W, C] and the set's targets: every run's statistics, flat [runs, stats]. */
  statistics(z: Tensor, targets: Tensor): Tensor {
    return tf.tidy(() => {
      const out = this.stage.run(this.withBce ? tf.concat([z, z], 0) : z, targets, this.idx, this.images, this.pixels);
      const runs = this.sets * (this.withBce ? 2 : 1);
      return tf.slice(out, this.stage.statsAt(this.images, this.pixels), runs * this.stage.stats);
    });
  }

  /** Set i's values from `statistics`'s numbers. */
  point(stats: Float32Array, i: number): ChunkPoint {
    const n = this.stage.stats;
    const bce = stats[((this.withBce ? this.sets : 0) + i) * n];
    const counts = this.channels === 1 ? 2 : this.channels * this.channels;
    return { loss: stats[i * n], bce, counts: stats.subarray(i * n + 3, i * n + 3 + counts) };
  }

  dispose(): void {
    this.idx.dispose();
  }
}
