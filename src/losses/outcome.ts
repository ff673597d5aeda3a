// What turns a region loss's group score into its loss (region.ts declares 1 − score and −log score, focal Tversky
// its own power): a file of its own, since the region loss, its closed form (regionClosedForm.ts) and its kernels
// on cpu and wasm (regionSyncKernels.ts) all read it.
import type { Tensor } from '../tf';
import type { LossKit } from './lossKit';

/** What turns each group's score into its loss, in tfjs and in float64 (value and dL/dscore). */
export interface Outcome {
  /** The same in WGSL, for the region kernels (regionKernels.ts): expressions of the score `s`; `f` writes a float. */
  wgsl(f: (v: number) => string): { value: string; slope: string };
  /**
   * Groups left out of the mean arrive with score 1 (in the closed form with eps > 0, with their own finite score):
   * the result must stay finite there, gradient included.
   */
  tensor(score: Tensor, kit: LossKit): Tensor;
  /**
   * dL/dscore in tfjs, for the closed form off webgpu (regionClosedForm.ts): 0 on a clamped branch, finite on
   * every finite score; a number where it is a constant (one kernel fewer).
   */
  slopeTensor(score: Tensor, kit: LossKit): Tensor | number;
  value(score: number): number;
  slope(score: number): number;
}
