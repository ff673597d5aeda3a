// The one place the engine takes tfjs-core from: the gradients are registered here, so every
// module that differentiates (losses, model, training) imports `tf` from this file.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export { tf };
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
