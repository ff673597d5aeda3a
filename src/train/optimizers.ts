import type { Tensor } from '../tf';
import type { OptimizerConfig } from '../config/experimentConfig';

/**
 * An optimiser of a net's flat parameter vector (TinyNet.parameters, or a stacked net's [K, P]) and its flat
 * gradient: the whole update is a handful of kernels, however many layers. Its rule is data (optimizerRules.ts),
 * run with tfjs ops (tfjsOptimizer.ts) or as one kernel of our own on webgpu (fusedOptimizer.ts).
 */
export interface Optimizer {
  /** The parameters after one step from `params` along the gradient `grad` (both flat). */
  step(params: Tensor, grad: Tensor, settings: OptimizerConfig): Tensor;
  reset(): void;
  dispose(): void;
  /** The state as plain numbers (read without a synchronous download), for a checkpoint. */
  save(): Promise<OptimizerState>;
  /** Takes a saved state back, for parameters of this shape. */
  load(state: OptimizerState, shape: readonly number[]): void;
}

/** Each slot (velocity; Adam's m and v) as one flat array, null before the first step; Adam's step count. */
export interface OptimizerState {
  slots: (Float32Array | null)[];
  t: number;
}

/** The state of an optimiser of K runs' parameters [K, P] as each run's own (a checkpoint is kept per run). */
export function splitState(state: OptimizerState, runs: number): OptimizerState[] {
  return Array.from({ length: runs }, (_, k) => ({
    t: state.t,
    slots: state.slots.map((s) => (s ? s.slice((k * s.length) / runs, ((k + 1) * s.length) / runs) : null)),
  }));
}

/** The runs' states as one for their parameters [K, P] (the runs of a race step together: the same t and slots). */
export function joinState(states: readonly OptimizerState[]): OptimizerState {
  const slots = states[0].slots.map((_, i) => {
    const parts = states.map((st) => st.slots[i]);
    if (parts.some((p) => !p)) return null;
    const joined = new Float32Array(parts.reduce((n, p) => n + p!.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p!, at);
      at += p!.length;
    }
    return joined;
  });
  return { t: states[0].t, slots };
}
