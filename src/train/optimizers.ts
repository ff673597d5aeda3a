import { tf, type Tensor, type Variable } from '../tf';
import type { OptimizerConfig } from '../config/experimentConfig';
import { ADAM_EPSILON } from './adamEpsilon';
import { FusedOptimizer } from './fusedOptimizer';

/**
 * SGD with momentum and Adam in PyTorch's conventions, written with tf ops so that the learning rate can
 * change between steps and the state can be zeroed for a reset. Each works on a net's flat parameter vector
 * (TinyNet.parameters) and its flat gradient: the whole update is a handful of kernels, however many layers.
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

const slot = (like: Tensor) => tf.tidy(() => tf.variable(tf.zerosLike(like), false));

const saveSlot = async (s: Variable | null) => (s ? ((await s.data()) as Float32Array) : null);

const loadSlot = (saved: Float32Array | null | undefined, shape: readonly number[]) =>
  saved ? tf.tidy(() => tf.variable(tf.tensor(saved, [...shape]), false)) : null;

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

/** v ← μv + g;  θ ← θ − lr·v. */
class Sgd implements Optimizer {
  private velocity: Variable | null = null;

  step(params: Tensor, grad: Tensor, s: OptimizerConfig): Tensor {
    if (s.momentum === 0) return tf.sub(params, tf.mul(grad, s.lr));
    this.velocity ??= slot(params);
    const vel = tf.add(tf.mul(this.velocity, s.momentum), grad);
    this.velocity.assign(vel);
    return tf.sub(params, tf.mul(vel, s.lr));
  }

  reset(): void {
    this.dispose();
  }

  dispose(): void {
    this.velocity?.dispose();
    this.velocity = null;
  }

  async save(): Promise<OptimizerState> {
    return { slots: [await saveSlot(this.velocity)], t: 0 };
  }

  load(state: OptimizerState, shape: readonly number[]): void {
    this.dispose();
    this.velocity = loadSlot(state.slots[0], shape);
  }
}

/**
 * m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − lr·m̂/(√v̂ + ε) with m̂ = m/c₁, v̂ = v/c₂, written as
 * θ − (lr·√c₂/c₁)·m/(√v + ε·√c₂): the bias corrections become two scalars per step instead of two divisions.
 */
class Adam implements Optimizer {
  private m: Variable | null = null;
  private v: Variable | null = null;
  private t = 0;

  step(params: Tensor, grad: Tensor, s: OptimizerConfig): Tensor {
    this.m ??= slot(params);
    this.v ??= slot(params);
    this.t++;
    const root = Math.sqrt(1 - s.beta2 ** this.t);
    // They change every step: one new scalar each, not a kept one per value.
    const rate = tf.scalar((s.lr * root) / (1 - s.beta1 ** this.t));
    const eps = tf.scalar(ADAM_EPSILON * root);
    const m = tf.add(tf.mul(this.m, s.beta1), tf.mul(grad, 1 - s.beta1));
    const v = tf.add(tf.mul(this.v, s.beta2), tf.mul(tf.square(grad), 1 - s.beta2));
    this.m.assign(m);
    this.v.assign(v);
    return tf.sub(params, tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), rate));
  }

  reset(): void {
    this.dispose();
    this.t = 0;
  }

  dispose(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = null;
    this.v = null;
  }

  async save(): Promise<OptimizerState> {
    return { slots: [await saveSlot(this.m), await saveSlot(this.v)], t: this.t };
  }

  load(state: OptimizerState, shape: readonly number[]): void {
    this.dispose();
    this.m = loadSlot(state.slots[0], shape);
    this.v = loadSlot(state.slots[1], shape);
    this.t = state.t;
  }
}

/** `fused`: a stacked net's parameters on webgpu, updated by one kernel of our own (fusedOptimizer.ts). */
export function createOptimizer(name: OptimizerConfig['name'], { fused = false } = {}): Optimizer {
  if (fused) return new FusedOptimizer(name === 'adam');
  return name === 'adam' ? new Adam() : new Sgd();
}
