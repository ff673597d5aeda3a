// The loss stage of the fused step (fusedLockstep.ts) and of the landscape's weight sets: every run's loss, its
// gradient with respect to the logits and its statistics, from the logits of all runs at once, in the kernels of
// fusedStepKernels.ts (a couple of dispatches whatever the number of runs).
import { tf, type Tensor } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { LossTail } from '../losses/lossTail';
import { registerPrograms } from '../backend/webgpuPrograms';
import { FUSED_STEP, sumsProgram, tailProgram, TAIL_STATS, type TailAttrs } from './fusedStepKernels';

export class TailStage {
  constructor(private readonly tails: readonly LossTail[]) {
    registerPrograms<TailAttrs>([
      [FUSED_STEP.sums, sumsProgram],
      [FUSED_STEP.tail, tailProgram],
    ]);
  }

  /** The statistics each run's row of the output holds after the gradients (loss first). */
  get stats(): number {
    return TAIL_STATS;
  }

  /** Where the statistics start in `run`'s output: after every run's ∂L/∂z. */
  statsAt(batch: number, pixels: number): number {
    return this.tails.length * batch * pixels;
  }

  /**
   * Logits z [K, B, H, W, C] of the training images `idx` picks from `targets` (a whole set's): a flat output,
   * ∂L/∂z of every run in z's layout, then each run's statistics [K, stats] (loss, Σ|∂L/∂z| on object and on
   * background pixels, then the confusion counts).
   */
  run(z: Tensor, targets: Tensor, idx: Tensor, batch: number, pixels: number): Tensor {
    const attrs: TailAttrs = { tails: [...this.tails], batch, pixels };
    const kernel = (name: string, inputs: Record<string, Tensor>) =>
      tf
        .engine()
        .runKernel(
          name,
          Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.reshape(t, [-1])])),
          attrs as unknown as NamedAttrMap,
        ) as Tensor;
    const region = this.tails.some((t) => t.kind === 'region');
    const inputs: Record<string, Tensor> = { z, t: targets, idx };
    if (region) inputs.sums = kernel(FUSED_STEP.sums, inputs);
    return kernel(FUSED_STEP.tail, inputs);
  }
}
