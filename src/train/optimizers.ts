import { tf, type Tensor, type Variable } from '../tf';
import type { OptimizerConfig } from '../config/experimentConfig';

/**
 * SGD with momentum and Adam in PyTorch's conventions, written with tf ops so that the learning rate can
 * change between steps and the state can be zeroed for a reset.
 */
export interface Optimizer {
  apply(vars: readonly Variable[], grads: readonly Tensor[], settings: OptimizerConfig): void;
  reset(): void;
  dispose(): void;
  /** The state as plain numbers (read without a synchronous download), for a checkpoint. */
  save(): Promise<OptimizerState>;
  /** Takes a saved state back, for the parameters `vars` (whose shapes the slots take). */
  load(state: OptimizerState, vars: readonly Variable[]): void;
}

/** Each slot set (velocity; Adam's m and v) as one array per parameter, null before the first step; Adam's step count. */
export interface OptimizerState {
  slots: (Float32Array[] | null)[];
  t: number;
}

function slots(vars: readonly Variable[]): Variable[] {
  return vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
}

const saveSlots = async (s: Variable[] | null) => (s ? Promise.all(s.map((v) => v.data() as Promise<Float32Array>)) : null);

const loadSlots = (saved: Float32Array[] | null, vars: readonly Variable[]) =>
  saved ? vars.map((v, i) => tf.tidy(() => tf.variable(tf.tensor(saved[i], v.shape), false))) : null;

/** v ← μv + g;  θ ← θ − lr·v. */
class Sgd implements Optimizer {
  private velocity: Variable[] | null = null;

  apply(vars: readonly Variable[], grads: readonly Tensor[], s: OptimizerConfig): void {
    this.velocity ??= slots(vars);
    const velocity = this.velocity;
    tf.tidy(() => {
      vars.forEach((v, i) => {
        const vel = s.momentum > 0 ? tf.add(tf.mul(velocity[i], s.momentum), grads[i]) : grads[i];
        if (s.momentum > 0) velocity[i].assign(vel);
        v.assign(tf.sub(v, tf.mul(vel, s.lr)));
      });
    });
  }

  reset(): void {
    this.dispose();
  }

  dispose(): void {
    if (this.velocity) tf.dispose(this.velocity);
    this.velocity = null;
  }

  async save(): Promise<OptimizerState> {
    return { slots: [await saveSlots(this.velocity)], t: 0 };
  }

  load(state: OptimizerState, vars: readonly Variable[]): void {
    this.dispose();
    this.velocity = loadSlots(state.slots[0] ?? null, vars);
  }
}

/** m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − lr·m̂/(√v̂ + 1e-8), with bias-corrected m̂, v̂. */
class Adam implements Optimizer {
  private m: Variable[] | null = null;
  private v: Variable[] | null = null;
  private t = 0;

  apply(vars: readonly Variable[], grads: readonly Tensor[], s: OptimizerConfig): void {
    this.m ??= slots(vars);
    this.v ??= slots(vars);
    this.t++;
    const [m, v, t] = [this.m, this.v, this.t];
    tf.tidy(() => {
      // The bias corrections change every step: one scalar each per step, not a kept one per value.
      const c1 = tf.scalar(1 - s.beta1 ** t);
      const c2 = tf.scalar(1 - s.beta2 ** t);
      vars.forEach((p, i) => {
        const mi = tf.add(tf.mul(m[i], s.beta1), tf.mul(grads[i], 1 - s.beta1));
        const vi = tf.add(tf.mul(v[i], s.beta2), tf.mul(tf.square(grads[i]), 1 - s.beta2));
        m[i].assign(mi);
        v[i].assign(vi);
        const update = tf.div(tf.div(mi, c1), tf.add(tf.sqrt(tf.div(vi, c2)), 1e-8));
        p.assign(tf.sub(p, tf.mul(update, s.lr)));
      });
    });
  }

  reset(): void {
    this.dispose();
    this.t = 0;
  }

  dispose(): void {
    if (this.m) tf.dispose(this.m);
    if (this.v) tf.dispose(this.v);
    this.m = null;
    this.v = null;
  }

  async save(): Promise<OptimizerState> {
    return { slots: [await saveSlots(this.m), await saveSlots(this.v)], t: this.t };
  }

  load(state: OptimizerState, vars: readonly Variable[]): void {
    this.dispose();
    this.m = loadSlots(state.slots[0] ?? null, vars);
    this.v = loadSlots(state.slots[1] ?? null, vars);
    this.t = state.t;
  }
}

export function createOptimizer(name: OptimizerConfig['name']): Optimizer {
  return name === 'adam' ? new Adam() : new Sgd();
}
