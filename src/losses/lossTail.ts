// What the WebGPU kernels of our own (and the closed-form gradients on cpu and wasm) need of a loss: its per-pixel
// term as WGSL (the pixel losses on binary logits, a mean over the pixels), softmax cross-entropy's options (several
// classes), its region tail (region.ts, one class or several), or the Lovász ranking (a sort per image). A loss file
// declares it (LossDefinition.tail); the losses' own kernels (pixelKernels.ts, regionKernels.ts) and the fused
// lockstep step (train/fusedLockstep.ts, train/fusedStepKernels.ts) read it.
import type { RegionTail } from './regionKernels';

export interface PixelTail {
  kind: 'pixel';
  /** Everything the expressions depend on, for the shader's cache key. */
  key: string;
  /** WGSL expressions of the logit `z` and the target `y` (0 or 1): the pixel's term ℓ and dℓ/dz. */
  value: string;
  grad: string;
}

export interface RegionLossTail {
  kind: 'region';
  region: RegionTail;
}

/** Softmax cross-entropy over integer labels (several classes): torch's weighted mean, ignored pixels left out. */
export interface SoftmaxTail {
  kind: 'softmax';
  /** One weight per class, or null: unweighted. */
  weights: number[] | null;
  ignoreIndex: number;
}

/**
 * The Lovász extension, one ranking per image (what fits a workgroup's sort): the hinge on binary logits, or
 * Lovász-Softmax on several classes (the classes present in the image's targets, or all of them).
 */
export interface LovaszTail {
  kind: 'lovasz';
  softmax: boolean;
  classes: 'present' | 'all';
  ignoreIndex: number;
}

export type LossTail = PixelTail | SoftmaxTail | RegionLossTail | LovaszTail;

/** WGSL functions the tails' expressions may call, written so that they cannot overflow. */
export const TAIL_HELPERS = `
  fn softplus(x : f32) -> f32 { return max(x, 0.0) + log(1.0 + exp(-abs(x))); }
  fn sigmoid(x : f32) -> f32 { return select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0); }`;
