// Whether a race takes the fused WebGPU step (fusedLockstep.ts), and with which tails: webgpu, a net whose graph
// the fused step walks (fusedGraphSupported), and a tail for every loss on logits of the data's channels.
import { backendCapabilities } from '../backend/capabilities';
import type { ModelConfig } from '../config/experimentConfig';
import { outputChannels } from '../domain/task';
import type { LossSpec } from '../losses/lossDefinition';
import type { LossTail } from '../losses/lossTail';
import { definitionOf } from '../losses/registry';
import { fusedGraphSupported } from './fusedLockstep';

/** The losses' tails when a race can take the fused step; otherwise null (the race differentiates a StackedNet instead). */
export function fusedTails(specs: readonly LossSpec[], model: ModelConfig, classes: number): LossTail[] | null {
  if (!backendCapabilities().ownKernels || !fusedGraphSupported(model.depth) || classes !== 2) return null;
  const channels = outputChannels(classes);
  const tails = specs.map((s) => definitionOf(s).tail?.(s, channels) ?? null);
  return tails.every((t) => t !== null && (t.kind === 'pixel' || t.kind === 'region')) ? (tails as LossTail[]) : null;
}
