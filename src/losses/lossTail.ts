// What the WebGPU kernels of our own need of a loss on binary logits: its per-pixel term as WGSL (the pixel losses,
// a mean over the pixels) or its region tail (region.ts). A loss file declares it (LossDefinition.tail); the
// losses' own kernels (pixelKernels.ts, regionKernels.ts) and the fused lockstep step (train/fusedLockstep.ts,
// train/fusedStepKernels.ts) read it.
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

export type LossTail = PixelTail | RegionLossTail;

/** WGSL functions the tails' expressions may call, written so that they cannot overflow. */
export const TAIL_HELPERS = `
  fn softplus(x : f32) -> f32 { return max(x, 0.0) + log(1.0 + exp(-abs(x))); }
  fn sigmoid(x : f32) -> f32 { return select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0); }`;
