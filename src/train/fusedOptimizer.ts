// SGD with momentum and Adam (optimizers.ts) for a stacked net's parameters [K, P] on webgpu as one kernel of our
// own instead of four to ten: each thread updates one parameter and its slots, and writes them side by side in
// one [K, (1 + slots)·P] state (tfjs programs have one output); the new parameters are its first P columns.
import { tf, type Tensor, type Variable } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../config/experimentConfig';
import { flatProgram, registerPrograms, type Program, type Uniforms } from '../backend/webgpuPrograms';
import type { Optimizer, OptimizerState } from './optimizers';
import { ADAM_EPSILON } from './adamEpsilon';

const NAME = 'SlpOptimizerStep';

interface Attrs {
  adam: boolean;
  runs: number;
  params: number;
  /** SGD: momentum, lr. Adam: β₁, β₂, the step's rate lr·√c₂/c₁ and ε·√c₂ (see optimizers.ts). */
  values: number[];
}

const slotsOf = (adam: boolean) => (adam ? 2 : 1);

function program(a: Attrs): Program {
  const update = a.adam
    ? `let m = uniforms.a * State[row + P + j] + (1.0 - uniforms.a) * g;
    let v = uniforms.b * State[row + 2 * P + j] + (1.0 - uniforms.b) * g * g;
    setOutputAtIndex(row + P + j, m);
    setOutputAtIndex(row + 2 * P + j, v);
    setOutputAtIndex(row + j, Theta[index] - uniforms.c * m / (sqrt(v) + uniforms.d));`
    : // Without momentum the velocity stays 0, as optimizers.ts's SGD keeps none.
      `let moving = uniforms.a > 0.0;
    let v = uniforms.a * State[row + P + j] + g;
    setOutputAtIndex(row + P + j, select(0.0, v, moving));
    setOutputAtIndex(row + j, Theta[index] - uniforms.b * select(g, v, moving));`;
  const program = flatProgram(
    a.runs * a.params,
    `optimizerStep_${a.adam ? 'adam' : 'sgd'}`,
    ['Theta', 'Grad', 'State'],
    `
  fn main(index : i32) {
    // One thread per parameter; Theta is [K, P] flat, so its length is K·P.
    if (index >= uniforms.thetaShape) { return; }
    let P = uniforms.p;
    let j = index % P;
    let row = (index / P) * ${1 + slotsOf(a.adam)} * P;
    let g = Grad[index];
    ${update}
  }`,
    'p : i32, a : f32, b : f32, c : f32, d : f32,',
  );
  return { ...program, outputShape: [a.runs * (1 + slotsOf(a.adam)) * a.params] };
}

const uniformsOf = (a: Attrs): Uniforms => [
  { type: 'int32', data: [a.params] },
  ...[0, 1, 2, 3].map((i) => ({ type: 'float32' as const, data: [a.values[i] ?? 0] })),
];

/** The Optimizer of a stacked net's [K, P] parameters on webgpu, with the state of optimizers.ts's two. */
export class FusedOptimizer implements Optimizer {
  private state: Variable | null = null;
  private t = 0;

  constructor(private readonly adam: boolean) {}

  step(params: Tensor, grad: Tensor, s: OptimizerConfig): Tensor {
    registerPrograms([[NAME, program]], uniformsOf);
    const [runs, p] = params.shape;
    const width = (1 + slotsOf(this.adam)) * p;
    this.state ??= tf.tidy(() => tf.variable(tf.zeros([runs, width]), false));
    this.t++;
    const root = Math.sqrt(1 - s.beta2 ** this.t);
    const values = this.adam ? [s.beta1, s.beta2, (s.lr * root) / (1 - s.beta1 ** this.t), ADAM_EPSILON * root] : [s.momentum, s.lr];
    const attrs = { adam: this.adam, runs, params: p, values } as unknown as NamedAttrMap;
    const flat = (t: Tensor) => tf.reshape(t, [-1]);
    const next = tf.reshape(
      tf.engine().runKernel(NAME, { theta: flat(params), grad: flat(grad), state: flat(this.state) }, attrs) as Tensor,
      [runs, width],
    );
    this.state.assign(next);
    return tf.slice(next, [0, 0], [runs, p]);
  }

  reset(): void {
    this.dispose();
    this.t = 0;
  }

  dispose(): void {
    this.state?.dispose();
    this.state = null;
  }

  /** Each slot as [K·P], run after run, as optimizers.ts keeps them. */
  async save(): Promise<OptimizerState> {
    const slots = slotsOf(this.adam);
    const t = this.adam ? this.t : 0;
    if (!this.state) return { slots: Array.from({ length: slots }, () => null), t };
    const [runs, width] = this.state.shape;
    const p = width / (1 + slots);
    const all = (await this.state.data()) as Float32Array;
    const slot = (i: number) => {
      const out = new Float32Array(runs * p);
      for (let k = 0; k < runs; k++) out.set(all.subarray(k * width + (1 + i) * p, k * width + (2 + i) * p), k * p);
      return out;
    };
    return { slots: Array.from({ length: slots }, (_, i) => slot(i)), t };
  }

  load(state: OptimizerState, shape: readonly number[]): void {
    this.dispose();
    this.t = state.t;
    const saved = state.slots.slice(0, slotsOf(this.adam));
    if (saved.some((s) => !s)) return;
    const [runs, p] = shape;
    const width = (1 + saved.length) * p;
    const all = new Float32Array(runs * width);
    saved.forEach((s, i) => {
      for (let k = 0; k < runs; k++) all.set(s!.subarray(k * p, (k + 1) * p), k * width + (1 + i) * p);
    });
    this.state = tf.tidy(() => tf.variable(tf.tensor2d(all, [runs, width]), false));
  }
}
