// The optimisers' rules (optimizerRules.ts) evaluated with tfjs ops, on any backend: the learning rate and the
// other settings can change between steps, and the state can be zeroed for a reset.
import { tf, type Tensor, type Variable } from '../tf';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { Optimizer, OptimizerState } from './optimizers';
import {
  CLIP,
  hostValue,
  OPTIMIZER_RULES,
  savedStepCount,
  type BinaryOp,
  type Expr,
  type OptimizerName,
  type OptimizerRule,
} from './optimizerRules';

interface Scope {
  settings: OptimizerConfig;
  inputs: Partial<Record<'param' | 'grad' | 'squaredNorm', Tensor>>;
  perStep: Readonly<Record<string, Tensor>>;
  slot(name: string, after: boolean): Tensor;
}

const OPS: Record<BinaryOp, (a: Tensor | number, b: Tensor | number) => Tensor> = {
  '+': (a, b) => tf.add(a, b),
  '-': (a, b) => tf.sub(a, b),
  '*': (a, b) => tf.mul(a, b),
  '/': (a, b) => tf.div(a, b),
  '>': (a, b) => tf.cast(tf.greater(a, b), 'float32'),
  min: (a, b) => tf.minimum(a, b),
};

/** A condition of the rules, which tfjs takes as a branch in JS. */
function holds(e: Expr, s: OptimizerConfig): boolean {
  const value = hostValue(e, s);
  if (value === null) throw new Error('an optimiser rule’s condition must be known in JS (settings and numbers only)');
  return value !== 0;
}

/**
 * A tree's value: a subtree of settings and numbers is one JS number (the op takes it as an operand, a kept scalar
 * inside withScalars), anything else one tfjs op per node, in the tree's order.
 */
function evaluate(e: Expr, scope: Scope): Tensor | number {
  const host = hostValue(e, scope.settings);
  if (host !== null) return host;
  switch (e.kind) {
    case 'input': {
      const t = scope.inputs[e.name];
      if (!t) throw new Error(`an optimiser rule reads ${e.name}, which this update does not have`);
      return t;
    }
    case 'slot':
      return scope.slot(e.name, e.after);
    case 'perStep':
      return scope.perStep[e.name];
    case 'binary':
      return OPS[e.op](evaluate(e.a, scope), evaluate(e.b, scope));
    case 'unary': {
      const a = evaluate(e.a, scope);
      return e.op === 'sqrt' ? tf.sqrt(a) : tf.square(a);
    }
    case 'select':
      return evaluate(holds(e.when, scope.settings) ? e.then : e.otherwise, scope);
    default:
      throw new Error(`an optimiser rule's ${e.kind} cannot be known in JS here`);
  }
}

/**
 * `grad` clipped to the global norm (CLIP), its squared norm (per run, [K, 1], for a stacked net's) computed only
 * while clipping is on; `grad` itself otherwise.
 */
export function clipGradient(grad: Tensor, squaredNorm: () => Tensor, settings: OptimizerConfig): Tensor {
  if (!holds(CLIP.when, settings)) return grad;
  const scope: Scope = {
    settings,
    inputs: { squaredNorm: squaredNorm() },
    perStep: {},
    slot: () => {
      throw new Error('clipping keeps no slots');
    },
  };
  return tf.mul(grad, evaluate(CLIP.scale, scope));
}

const zerosLike = (like: Tensor) => tf.tidy(() => tf.variable(tf.zerosLike(like), false));

const saveSlot = async (s: Variable | null) => (s ? ((await s.data()) as Float32Array) : null);

const loadSlot = (saved: Float32Array | null | undefined, shape: readonly number[]) =>
  saved ? tf.tidy(() => tf.variable(tf.tensor(saved, [...shape]), false)) : null;

/** An optimiser of its rule with tfjs ops: one variable per slot, made at the first step that updates it. */
export class TfjsOptimizer implements Optimizer {
  private readonly rule: OptimizerRule;
  private slots: (Variable | null)[];
  private t = 0;

  constructor(private readonly name: OptimizerName) {
    this.rule = OPTIMIZER_RULES[name];
    this.slots = this.rule.slots.map(() => null);
  }

  step(params: Tensor, grad: Tensor, settings: OptimizerConfig): Tensor {
    this.t++;
    const names = this.rule.slots.map((s) => s.name);
    const stored = (name: string) => (this.slots[names.indexOf(name)] ??= zerosLike(params));
    const next = new Map<string, Tensor>();
    const scope: Scope = {
      settings,
      inputs: { param: params, grad },
      // They change every step: one new scalar each, not a kept one per value.
      perStep: Object.fromEntries(Object.entries(this.rule.perStep).map(([k, c]) => [k, tf.scalar(c.value(settings, this.t))])),
      slot: (name, after) => (after ? next.get(name) : undefined) ?? stored(name),
    };
    for (const slot of this.rule.slots) {
      if (slot.when && !holds(slot.when, settings)) continue;
      stored(slot.name);
      next.set(slot.name, evaluate(slot.next, scope) as Tensor);
    }
    next.forEach((value, name) => this.slots[names.indexOf(name)]!.assign(value));
    return evaluate(this.rule.param, scope) as Tensor;
  }

  reset(): void {
    this.dispose();
    this.t = 0;
  }

  dispose(): void {
    this.slots.forEach((s) => s?.dispose());
    this.slots = this.rule.slots.map(() => null);
  }

  async save(): Promise<OptimizerState> {
    return { slots: await Promise.all(this.slots.map(saveSlot)), t: savedStepCount(this.name, this.t) };
  }

  load(state: OptimizerState, shape: readonly number[]): void {
    this.dispose();
    this.slots = this.rule.slots.map((_, i) => loadSlot(state.slots[i], shape));
    this.t = state.t;
  }
}
