// The one place the engine takes tfjs-core from: the gradients are registered here, so every
// module that differentiates (losses, model, training) imports `tf` from this file.
import * as core from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

type Core = typeof core;
type Scalar = core.Scalar;

/** Where a JS number operand gets its kept scalar tensor (a race's ScalarCache, see withScalars). */
export interface ScalarSource {
  of(value: number): Scalar;
}

/** The binary ops whose operands may be JS numbers: each number is a fresh tensor (on webgpu a buffer upload). */
const BINARY = [
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'pow',
  'squaredDifference',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'equal',
  'notEqual',
] as const;

let scalars: ScalarSource | null = null;

/**
 * Runs `f` (synchronous) with JS number operands of binary ops taken from `source` as kept scalar tensors instead
 * of new ones: tfjs makes, uploads and frees a tensor for every number operand (~390 µs on webgpu against ~37 µs
 * with a kept scalar), and a training step has dozens. The code keeps reading `tf.sub(1, p)`; outside such a call
 * (or with none) numbers behave as in tfjs. Like tf.tidy, it is a scope, not shared state: it holds nothing after.
 */
export function withScalars<T>(source: ScalarSource, f: () => T): T {
  const outer = scalars;
  scalars = source;
  try {
    return f();
  } finally {
    scalars = outer;
  }
}

const lift = (x: unknown) => (typeof x === 'number' && scalars ? scalars.of(x) : x);

const lifted = Object.fromEntries(
  BINARY.map((name) => {
    const op = core[name] as (a: unknown, b: unknown) => unknown;
    return [name, (a: unknown, b: unknown) => op(lift(a), lift(b))];
  }),
);

/** tfjs-core, with the binary ops above reading withScalars' scope. */
export const tf: Core = { ...core, ...lifted } as Core;
export type { Tensor, Scalar, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Rank, Variable } from '@tensorflow/tfjs-core';

type AnyTensor = import('@tensorflow/tfjs-core').Tensor;
type SaveFn = (tensors: AnyTensor[]) => void;

/**
 * tf.customGrad with typed inputs (tfjs types every argument as "tensor or save function"). Tensors the
 * gradient needs must go through `save`: a tensor merely captured by the closure may be disposed by then.
 */
export function customGrad<I extends AnyTensor[], O extends AnyTensor>(
  f: (inputs: I, save: SaveFn) => { value: O; gradFunc: (dy: O, saved: AnyTensor[]) => AnyTensor | AnyTensor[] },
): (...inputs: I) => O {
  const wrapped = (...args: unknown[]) => {
    const save = args.pop() as SaveFn;
    return f(args as I, save);
  };
  return tf.customGrad(wrapped as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...inputs: I) => O;
}
