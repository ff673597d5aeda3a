// An optimiser (optimizerRules.ts) for a stacked net's parameters [K, P] on webgpu as one kernel of our own instead
// of four to ten: each thread updates one parameter and its slots, and writes them side by side in one
// [K, (1 + slots)·P] state (tfjs programs have one output); the new parameters are its first P columns. The gradient
// comes to it clipped (trainStep.ts).
import { tf, type Tensor, type Variable } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../config/experimentConfig';
import { flatProgram, registerPrograms, type Program, type Uniforms } from '../backend/webgpuPrograms';
import type { Optimizer, OptimizerState } from './optimizers';
import { savedStepCount, slotsOf, type OptimizerName } from './optimizerRules';
import { optimizerUniformDeclarations, optimizerUniformValues, wgslUpdate } from './optimizerWgsl';

const NAME = 'SlpOptimizerStep';

interface Attrs {
  optimizer: OptimizerName;
  runs: number;
  params: number;
  /** Its uniforms' values this step (optimizerWgsl.ts). */
  values: number[];
}

function program(a: Attrs): Program {
  const width = 1 + slotsOf(a.optimizer);
  const update = wgslUpdate(a.optimizer, {
    param: 'Theta[index]',
    grad: 'Grad[index]',
    slot: (i) => `State[row + ${1 + i} * P + j]`,
    paramAt: 'row + j',
    slotAt: (i) => `row + ${1 + i} * P + j`,
  });
  const program = flatProgram(
    a.runs * a.params,
    `optimizerStep_${a.optimizer}`,
    ['Theta', 'Grad', 'State'],
    `
  fn main(index : i32) {
    // One thread per parameter; Theta is [K, P] flat, so its length is K·P.
    if (index >= uniforms.thetaShape) { return; }
    let P = uniforms.p;
    let j = index % P;
    let row = (index / P) * ${width} * P;
    ${update}
  }`,
    `p : i32, ${optimizerUniformDeclarations(a.optimizer, false)}`,
  );
  return { ...program, outputShape: [a.runs * width * a.params] };
}

const uniformsOf = (a: Attrs): Uniforms => [
  { type: 'int32', data: [a.params] },
  ...a.values.map((v) => ({ type: 'float32' as const, data: [v] })),
];

/** The Optimizer of a stacked net's [K, P] parameters on webgpu, with the state of tfjsOptimizer.ts's. */
export class FusedOptimizer implements Optimizer {
  private state: Variable | null = null;
  private t = 0;

  constructor(private readonly optimizer: OptimizerName) {}

  step(params: Tensor, grad: Tensor, s: OptimizerConfig): Tensor {
    registerPrograms([[NAME, program]], uniformsOf);
    const [runs, p] = params.shape;
    const width = (1 + slotsOf(this.optimizer)) * p;
    this.state ??= tf.tidy(() => tf.variable(tf.zeros([runs, width]), false));
    this.t++;
    const values = optimizerUniformValues(this.optimizer, false, s, this.t);
    const attrs = { optimizer: this.optimizer, runs, params: p, values } satisfies Attrs as unknown as NamedAttrMap;
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

  /** Each slot as [K·P], run after run, as tfjsOptimizer.ts keeps them. */
  async save(): Promise<OptimizerState> {
    const slots = slotsOf(this.optimizer);
    const t = savedStepCount(this.optimizer, this.t);
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
    const saved = state.slots.slice(0, slotsOf(this.optimizer));
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
