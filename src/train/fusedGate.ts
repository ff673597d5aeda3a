// Whether a race takes the fused WebGPU step (fusedLockstep.ts), and with which tails: webgpu, a net whose graph
// the fused step walks (fusedGraphSupported), and a tail for every loss that the stage's kernels write for logits of
// the data's channels (fusedStepKernels.ts for binary logits, fusedClassKernels.ts for several classes).
import { backendCapabilities } from '../backend/capabilities';
import type { ModelConfig } from '../config/experimentConfig';
import { outputChannels } from '../domain/task';
import type { LossSpec } from '../losses/lossDefinition';
import type { LossTail } from '../losses/lossTail';
import { definitionOf } from '../losses/registry';
import { fusedGraphSupported } from './fusedLockstep';

/** Whether the fused stage writes this tail on logits of `channels` channels. */
function fusable(tail: LossTail, channels: number): boolean {
  switch (tail.kind) {
    case 'pixel':
      return channels === 1;
    case 'softmax':
      return channels > 1;
    case 'region':
      return true;
    case 'lovasz':
      return false;
  }
}

/**
 * The losses' tails when a race can take the fused step; otherwise null (the race differentiates a StackedNet
 * instead).
 */
export function fusedTails(specs: readonly LossSpec[], model: ModelConfig, classes: number): LossTail[] | null {
  if (!backendCapabilities().ownKernels || !fusedGraphSupported(model.depth)) return null;
  const channels = outputChannels(classes);
  const tails = specs.map((s) => definitionOf(s).tail?.(s, channels) ?? null);
  return tails.every((t) => t !== null && fusable(t, channels)) ? (tails as LossTail[]) : null;
}
