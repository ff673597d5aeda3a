import { backendCapabilities } from '../backend/capabilities';
import type { ExperimentConfig } from '../config/experimentConfig';
import type { LossFn } from '../losses/lossDefinition';
import type { LayerInit } from '../model/tinyNet';
import { FusedLockstep } from './fusedLockstep';
import { fusedTails } from './fusedGate';
import type { Lockstep, TrainingSet } from './lockstep';
import { PerRunLockstep } from './perRunLockstep';
import { StackedLockstep } from './stackedLockstep';
import type { StepLayout } from './trainStep';

/**
 * How a race of `config` trains its runs. `stacked`: whether they step together as one network ('auto': where the backend
 * does that faster, see capabilities.ts), fused into kernels of our own where the net and losses allow (fusedTails), else a
 * StackedNet under tfjs's autograd; otherwise each run has its own net.
 */
export function createLockstep(
  config: ExperimentConfig,
  init: readonly LayerInit[],
  losses: readonly LossFn[],
  set: TrainingSet,
  layout: StepLayout,
  stacked: 'auto' | boolean,
): Lockstep {
  const together = stacked === 'auto' ? backendCapabilities().stackedRuns : stacked;
  const optimizer = config.optimizer.name;
  if (!together) return new PerRunLockstep(config.model, init, optimizer, losses, set, layout, config.batchSize);
  const tails = fusedTails(config.losses, config.model, config.data.classes, config.data.size);
  return tails
    ? new FusedLockstep(config.model.depth, init, optimizer, tails, set)
    : new StackedLockstep(config.model, init, optimizer, losses, set, layout);
}
