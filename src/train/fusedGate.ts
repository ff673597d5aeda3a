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
import { LOVASZ_MAX_PIXELS } from './lovaszStage';

/**
 * Whether the fused stage writes this tail on logits of `channels` channels and images of `size` px: a Lovász
 * ranking takes one workgroup's sort per image (lovaszStage.ts), so only images of at most LOVASZ_MAX_PIXELS. The
 * landscape's loss stage (landscape/chunkTails.ts) asks too.
 */
export function stageWrites(tail: LossTail, channels: number, size: number | undefined): boolean {
  switch (tail.kind) {
    case 'pixel':
      return channels === 1;
    case 'softmax':
      return channels > 1;
    case 'region':
      return true;
    case 'lovasz':
      return size !== undefined && size * size <= LOVASZ_MAX_PIXELS && tail.softmax === channels > 1;
  }
}

/**
 * The losses' tails when a race on images of `size` px (none given: no Lovász run) can take the fused step;
 * otherwise null (the race differentiates a StackedNet instead).
 */
export function fusedTails(specs: readonly LossSpec[], model: ModelConfig, classes: number, size?: number): LossTail[] | null {
  if (!backendCapabilities().ownKernels || !fusedGraphSupported(model.depth)) return null;
  const channels = outputChannels(classes);
  const tails = specs.map((s) => definitionOf(s).tail?.(s, channels) ?? null);
  return tails.every((t) => t !== null && stageWrites(t, channels, size)) ? (tails as LossTail[]) : null;
}
