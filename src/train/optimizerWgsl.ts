// The optimisers' rules (optimizerRules.ts) written as WGSL, for the kernels of our own that update parameters:
// the optimiser kernel (fusedOptimizer.ts) and the fused step's update (fusedStepKernels.ts). As in tfjs
// (tfjsOptimizer.ts), a subtree of settings and numbers is computed in JS, in float64, and comes in as one f32
// uniform (`1 − β₂` rounded once, not 1 − f32(β₂) in the shader, which is 5e-5 off); so do the per-step constants.
// The rest is computed in the shader node by node, in the tree's order, as tfjs does.
import type { OptimizerConfig } from '../config/experimentConfig';
import { wgslFloat } from '../losses/wgslFloat';
import { children, CLIP, hostValue, isHost, OPTIMIZER_RULES, treesOf, type Expr, type OptimizerName } from './optimizerRules';

/** Where a kernel keeps what the update reads and writes, as WGSL expressions of the parameter it is at. */
export interface WgslPlaces {
  /** The parameter and slot i before the step, and the (already clipped) gradient. */
  param: string;
  slot(i: number): string;
  grad: string;
  /** The output indices of the new parameter and of slot i. */
  paramAt: string;
  slotAt(i: number): string;
  /** A WGSL bool under which everything keeps its value (a frozen run); none: never. */
  keep?: string;
}

/** A slot's new value in the shader (a `let`), named apart from the kernels' own variables. */
const local = (slot: string) => `next_${slot}`;

/** A subtree that comes in as a uniform: known in JS, and neither a plain number (a literal) nor a comparison (a bool). */
const asUniform = (e: Expr) => isHost(e) && e.kind !== 'number' && !(e.kind === 'binary' && e.op === '>');

const OP_NAMES = { '+': 'plus', '-': 'minus', '*': 'times', '/': 'over', '>': 'above', min: 'min' } as const;

/** A uniform's name, spelled from its subtree so that it is the same in every kernel (`beta1`, `k_1_minus_beta1`). */
function uniformName(e: Expr): string {
  const spell = (x: Expr): string => {
    switch (x.kind) {
      case 'setting':
        return x.key;
      case 'number':
        return String(x.value).replace(/[^A-Za-z0-9]/g, '_');
      case 'binary':
        return `${spell(x.a)}_${OP_NAMES[x.op]}_${spell(x.b)}`;
      case 'unary':
        return `${x.op}_${spell(x.a)}`;
      case 'select':
        return `${spell(x.when)}_then_${spell(x.then)}_else_${spell(x.otherwise)}`;
      default:
        throw new Error(`${x.kind} is not known in JS`);
    }
  };
  return e.kind === 'setting' ? e.key : `k_${spell(e)}`;
}

function wgsl(e: Expr, places: WgslPlaces, slotIndex: (name: string) => number, squaredNorm = ''): string {
  const w = (x: Expr) => wgsl(x, places, slotIndex, squaredNorm);
  if (asUniform(e)) return `uniforms.${uniformName(e)}`;
  switch (e.kind) {
    case 'input':
      return e.name === 'param' ? places.param : e.name === 'grad' ? places.grad : squaredNorm;
    case 'slot':
      return e.after ? local(e.name) : places.slot(slotIndex(e.name));
    case 'setting':
      return `uniforms.${e.key}`;
    case 'perStep':
      return `uniforms.${e.name}`;
    case 'number':
      return wgslFloat(e.value);
    case 'binary':
      return e.op === 'min' ? `min(${w(e.a)}, ${w(e.b)})` : `(${w(e.a)} ${e.op} ${w(e.b)})`;
    case 'unary':
      // As tfjs's square: x·x.
      return e.op === 'sqrt' ? `sqrt(${w(e.a)})` : `(${w(e.a)} * ${w(e.a)})`;
    case 'select':
      return `select(${w(e.otherwise)}, ${w(e.then)}, ${w(e.when)})`;
  }
}

/** The statements that update one parameter and its slots: each slot's new value, then every output. */
export function wgslUpdate(name: OptimizerName, places: WgslPlaces): string {
  const rule = OPTIMIZER_RULES[name];
  const index = (slot: string) => rule.slots.findIndex((s) => s.name === slot);
  const w = (e: Expr) => wgsl(e, places, index);
  const kept = (now: string, was: string) => (places.keep ? `select(${now}, ${was}, ${places.keep})` : now);
  const nexts = rule.slots.map(
    (s, i) => `let ${local(s.name)} = ${s.when ? `select(${places.slot(i)}, ${w(s.next)}, ${w(s.when)})` : w(s.next)};`,
  );
  const writes = rule.slots.map((s, i) => `setOutputAtIndex(${places.slotAt(i)}, ${kept(local(s.name), places.slot(i))});`);
  return [...nexts, ...writes, `setOutputAtIndex(${places.paramAt}, ${kept(w(rule.param), places.param)});`].join('\n      ');
}

/** The clipping scale of a gradient whose squared norm is the WGSL `squaredNorm` (1 while clipping is off). */
export function wgslClipScale(squaredNorm: string): string {
  const none: WgslPlaces = { param: '', grad: '', slot: () => '', paramAt: '', slotAt: () => '' };
  const w = (e: Expr) => wgsl(e, none, () => -1, squaredNorm);
  return `select(1.0, ${w(CLIP.scale)}, ${w(CLIP.when)})`;
}

interface Uniform {
  name: string;
  value(s: OptimizerConfig, t: number): number;
}

/** The f32 uniforms an update kernel of this optimiser reads: each subtree computed in JS, then its per-step constants. */
function uniformsOf(name: OptimizerName, clip: boolean): Uniform[] {
  const found = new Map<string, Uniform>();
  const visit = (e: Expr): void => {
    if (asUniform(e)) found.set(uniformName(e), { name: uniformName(e), value: (s) => hostValue(e, s)! });
    else children(e).forEach(visit);
  };
  treesOf(name, { clip }).forEach(visit);
  const perStep = Object.entries(OPTIMIZER_RULES[name].perStep).map(([n, c]) => ({ name: n, value: c.value }));
  return [...found.values(), ...perStep];
}

/** Their WGSL declarations, for a program's `uniforms`. */
export const optimizerUniformDeclarations = (name: OptimizerName, clip: boolean): string =>
  uniformsOf(name, clip)
    .map((u) => `${u.name} : f32,`)
    .join(' ');

/** Their values at step t (1 at the first step), in the same order (a setting that is off, as clipping, is 0). */
export const optimizerUniformValues = (name: OptimizerName, clip: boolean, s: OptimizerConfig, t: number): number[] =>
  uniformsOf(name, clip).map((u) => u.value(s, t));
