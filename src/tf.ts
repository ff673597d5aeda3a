// The one place the engine takes tfjs-core from: the gradients are registered here, so every
// module that differentiates (losses, model, training) imports `tf` from this file.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export { tf };
export type { Tensor, Scalar, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Rank } from '@tensorflow/tfjs-core';
