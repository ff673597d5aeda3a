import type { OptimizerConfig } from '../config/experimentConfig';
import type { Optimizer } from './optimizers';
import { FusedOptimizer } from './fusedOptimizer';
import { TfjsOptimizer } from './tfjsOptimizer';

/** `fused`: a stacked net's parameters on webgpu, updated by one kernel of our own (fusedOptimizer.ts). */
export function createOptimizer(name: OptimizerConfig['name'], { fused = false } = {}): Optimizer {
  return fused ? new FusedOptimizer(name) : new TfjsOptimizer(name);
}
