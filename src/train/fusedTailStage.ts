// The loss stage of the fused step (fusedLockstep.ts) and of the landscape's weight sets: every run's loss, its
// gradient with respect to the logits and its statistics, from the logits of all runs at once, in the kernels of
// fusedStepKernels.ts (binary logits) and fusedClassKernels.ts (several classes), after lovaszStage.ts's sort where
// a run has a Lovász tail: two to three dispatches whatever the number of runs.
import { tf, type Tensor } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { LossTail } from '../losses/lossTail';
import { GUARANTEED_WORKGROUP_BYTES, registerPrograms } from '../backend/webgpuPrograms';
import { FUSED_STEP, sumsProgram, tailProgram, tailStats, tailWorkgroupBytes, type TailAttrs } from './fusedStepKernels';
import { classSumsProgram, classTailProgram, classTailWorkgroupBytes } from './fusedClassKernels';
import { lovaszStage } from './lovaszStage';

export class TailStage {
  /**
   * Whether the stage's kernels take `batch` images of `channels` channels in the workgroup memory every device
   * grants: each image's (and class's) coefficients are kept there. A race's batch always fits; a landscape's
   * validation images (up to 512) with several classes may not.
   */
  static fits(channels: number, batch: number): boolean {
    const bytes = channels === 1 ? tailWorkgroupBytes(batch) : classTailWorkgroupBytes(batch, channels);
    return bytes <= GUARANTEED_WORKGROUP_BYTES;
  }

  /** `channels`: the logits' (1: binary, sigmoid; C ≥ 2: softmax over the classes). */
  constructor(
    private readonly tails: readonly LossTail[],
    private readonly channels = 1,
  ) {
    registerPrograms<TailAttrs>([
      [FUSED_STEP.sums, (a) => (a.channels > 1 ? classSumsProgram(a) : sumsProgram(a))],
      [FUSED_STEP.tail, (a) => (a.channels > 1 ? classTailProgram(a) : tailProgram(a))],
    ]);
  }

  /** The statistics each run's row of the output holds after the gradients (loss first; see tailStats). */
  get stats(): number {
    return tailStats(this.channels);
  }

  /** Where the statistics start in `run`'s output: after every run's ∂L/∂z. */
  statsAt(batch: number, pixels: number): number {
    return this.tails.length * batch * pixels * this.channels;
  }

  /**
   * Logits z [K, B, H, W, C] of the training images `idx` picks from `targets` (a whole set's): a flat output,
   * ∂L/∂z of every run in z's layout, then each run's statistics [K, stats] (loss, Σ|∂L/∂z| on object and on
   * background pixels, then the confusion counts).
   */
  run(z: Tensor, targets: Tensor, idx: Tensor, batch: number, pixels: number): Tensor {
    const attrs: TailAttrs = { tails: [...this.tails], batch, pixels, channels: this.channels };
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
    const lovasz = lovaszStage(z, targets, idx, this.tails, batch, pixels, this.channels);
    return kernel(FUSED_STEP.tail, lovasz ? { ...inputs, lov: lovasz } : inputs);
  }
}
