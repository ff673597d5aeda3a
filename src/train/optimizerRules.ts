// SGD with momentum, Adam (both in PyTorch's conventions) and gradient clipping, each declared once as data: the
// settings it reads, the slots it keeps beside every parameter, the constants it computes in JS each step, and its
// update as small expression trees. Everything that runs an update is made from these: tfjsOptimizer.ts evaluates
// the trees with tfjs ops, optimizerWgsl.ts writes them as WGSL for the optimiser kernel (fusedOptimizer.ts) and the
// fused step's update (fusedStepKernels.ts). No tfjs here: the page reads which settings an optimiser uses.
import type { OptimizerConfig } from '../config/experimentConfig';
import { ADAM_EPSILON } from './adamEpsilon';

export type OptimizerName = OptimizerConfig['name'];

/** A setting an update reads (null, clipping off, reads as 0). */
export type Setting = Exclude<keyof OptimizerConfig, 'name'>;

/** `>` is 1 or 0. */
export type BinaryOp = '+' | '-' | '*' | '/' | '>' | 'min';

/**
 * A value of the update. `input`s are per parameter (or per run, the gradient's squared norm); a `slot` is its value
 * before the step, unless `after`; a `setting` and a `number` are known in JS, so a subtree of only those is computed
 * in JS, in float64, as a hand-written `1 - s.beta1` would be: tfjs gets it as one number operand, the kernels as
 * one uniform. A `select` whose condition is known in JS is a branch in tfjs (only the chosen side is computed).
 */
export type Expr =
  | { kind: 'input'; name: 'param' | 'grad' | 'squaredNorm' }
  | { kind: 'slot'; name: string; after: boolean }
  | { kind: 'setting'; key: Setting }
  | { kind: 'perStep'; name: string }
  | { kind: 'number'; value: number }
  | { kind: 'binary'; op: BinaryOp; a: Expr; b: Expr }
  | { kind: 'unary'; op: 'sqrt' | 'square'; a: Expr }
  | { kind: 'select'; when: Expr; then: Expr; otherwise: Expr };

export interface SlotRule {
  name: string;
  /** Its value after the step. */
  next: Expr;
  /** Updated only while this holds (known in JS); otherwise it keeps its value, and tfjs does not even make it. */
  when?: Expr;
}

/** A number computed in JS each step, and the settings it reads. */
export interface PerStep {
  reads: readonly Setting[];
  value(s: OptimizerConfig, t: number): number;
}

export interface OptimizerRule {
  /** What it keeps beside each parameter, in the order of its state (and of a checkpoint's `slots`). */
  slots: readonly SlotRule[];
  /**
   * Numbers computed in JS each step from the settings and the step count t (1 at the first step). They change
   * every step, so tfjs gets each as a new scalar rather than a kept one; the kernels get them as uniforms. An
   * optimiser with any keeps t in its state.
   */
  perStep: Readonly<Record<string, PerStep>>;
  /** The parameter after the step (slots read `after` are the step's new values). */
  param: Expr;
}

const input = (name: 'param' | 'grad' | 'squaredNorm'): Expr => ({ kind: 'input', name });
const before = (name: string): Expr => ({ kind: 'slot', name, after: false });
const after = (name: string): Expr => ({ kind: 'slot', name, after: true });
const setting = (key: Setting): Expr => ({ kind: 'setting', key });
const perStep = (name: string): Expr => ({ kind: 'perStep', name });
const num = (value: number): Expr => ({ kind: 'number', value });
const binary =
  (op: BinaryOp) =>
  (a: Expr, b: Expr): Expr => ({ kind: 'binary', op, a, b });
const [add, sub, mul, div, greater, min] = (['+', '-', '*', '/', '>', 'min'] as const).map(binary);
const sqrt = (a: Expr): Expr => ({ kind: 'unary', op: 'sqrt', a });
const square = (a: Expr): Expr => ({ kind: 'unary', op: 'square', a });
const select = (when: Expr, then: Expr, otherwise: Expr): Expr => ({ kind: 'select', when, then, otherwise });

const grad = input('grad');
const param = input('param');

/** Without momentum SGD keeps no velocity (PyTorch's momentum_buffer): the step is lr·g. */
const moving = greater(setting('momentum'), num(0));

/** v ← μv + g;  θ ← θ − lr·v. */
const SGD: OptimizerRule = {
  slots: [{ name: 'velocity', when: moving, next: add(mul(before('velocity'), setting('momentum')), grad) }],
  perStep: {},
  param: sub(param, mul(select(moving, after('velocity'), grad), setting('lr'))),
};

/** √c₂ with c₂ = 1 − β₂ᵗ, Adam's second bias correction. */
const root = (s: OptimizerConfig, t: number) => Math.sqrt(1 - s.beta2 ** t);

/**
 * m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − lr·m̂/(√v̂ + ε) with m̂ = m/c₁, v̂ = v/c₂, written as
 * θ − (m/(√v + ε·√c₂))·(lr·√c₂/c₁): the bias corrections become two numbers per step instead of two divisions.
 */
const ADAM: OptimizerRule = {
  slots: [
    { name: 'm', next: add(mul(before('m'), setting('beta1')), mul(grad, sub(num(1), setting('beta1')))) },
    { name: 'v', next: add(mul(before('v'), setting('beta2')), mul(square(grad), sub(num(1), setting('beta2')))) },
  ],
  perStep: {
    rate: { reads: ['lr', 'beta1', 'beta2'], value: (s, t) => (s.lr * root(s, t)) / (1 - s.beta1 ** t) },
    eps: { reads: ['beta2'], value: (s, t) => ADAM_EPSILON * root(s, t) },
  },
  param: sub(param, mul(div(after('m'), add(sqrt(after('v')), perStep('eps'))), perStep('rate'))),
};

export const OPTIMIZER_RULES: Readonly<Record<OptimizerName, OptimizerRule>> = { sgd: SGD, adam: ADAM };

/**
 * Global-norm clipping, before the optimiser: while `when` holds the gradient is multiplied by `scale`, which reads
 * the squared norm of all of a run's gradient.
 */
export const CLIP = {
  when: greater(setting('clipNorm'), num(0)),
  scale: min(num(1), div(setting('clipNorm'), add(sqrt(input('squaredNorm')), num(1e-6)))),
} as const satisfies Record<string, Expr>;

export const slotsOf = (name: OptimizerName): number => OPTIMIZER_RULES[name].slots.length;

/** The step count a saved state carries: the optimiser's own where its per-step constants read it, else 0. */
export const savedStepCount = (name: OptimizerName, t: number): number => (Object.keys(OPTIMIZER_RULES[name].perStep).length > 0 ? t : 0);

export const children = (e: Expr): Expr[] =>
  e.kind === 'binary' ? [e.a, e.b] : e.kind === 'unary' ? [e.a] : e.kind === 'select' ? [e.when, e.then, e.otherwise] : [];

/** Whether a tree reads only settings and numbers (its value is known in JS, before any tensor). */
export const isHost = (e: Expr): boolean =>
  e.kind === 'setting' ||
  e.kind === 'number' ||
  (e.kind !== 'input' && e.kind !== 'slot' && e.kind !== 'perStep' && children(e).every(isHost));

/** Every setting the trees read, each once, in the order they first appear. */
export function settingsIn(trees: readonly Expr[]): Setting[] {
  const found = new Set<Setting>();
  const visit = (e: Expr): void => {
    if (e.kind === 'setting') found.add(e.key);
    children(e).forEach(visit);
  };
  trees.forEach(visit);
  return [...found];
}

/** Each tree of an optimiser's update, with its clipping's unless `clip` is false (an update the gradient comes to clipped). */
export function treesOf(name: OptimizerName, { clip = true } = {}): Expr[] {
  const rule = OPTIMIZER_RULES[name];
  const own = [...rule.slots.flatMap((s) => (s.when ? [s.when, s.next] : [s.next])), rule.param];
  return clip ? [CLIP.when, CLIP.scale, ...own] : own;
}

/** Whether an optimiser (its clipping and per-step constants included) reads a setting: the settings editor shows only those. */
export function readsSetting(name: OptimizerName, key: string): boolean {
  const perStep = Object.values(OPTIMIZER_RULES[name].perStep).flatMap((c) => c.reads);
  return [...settingsIn(treesOf(name)), ...perStep].some((k) => k === key);
}

const BINARY_HOST: Record<BinaryOp, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '>': (a, b) => (a > b ? 1 : 0),
  min: Math.min,
};

/** A tree's value from JS numbers alone, or null when it reads a tensor (an input, a slot or a per-step scalar). */
export function hostValue(e: Expr, s: OptimizerConfig): number | null {
  switch (e.kind) {
    case 'setting':
      return s[e.key] ?? 0;
    case 'number':
      return e.value;
    case 'binary': {
      const [a, b] = [hostValue(e.a, s), hostValue(e.b, s)];
      if (a === null || b === null) return null;
      return BINARY_HOST[e.op](a, b);
    }
    case 'unary': {
      const a = hostValue(e.a, s);
      return a === null ? null : e.op === 'sqrt' ? Math.sqrt(a) : a * a;
    }
    case 'select': {
      const when = hostValue(e.when, s);
      return when === null ? null : hostValue(when !== 0 ? e.then : e.otherwise, s);
    }
    default:
      return null;
  }
}
