import { customGrad, tf, type Tensor } from '../tf';

/**
 * log σ(x) = −softplus(−x), with ∂/∂x = σ(−x). tfjs's own tf.logSigmoid captures its input in the gradient
 * without saving it, so on an intermediate tensor the backward pass reads a disposed tensor; this one saves it.
 */
export const logSigmoid = customGrad(([x]: [Tensor], save) => {
  save([x]);
  return {
    value: tf.neg(tf.softplus(tf.neg(x))),
    gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, tf.sigmoid(tf.neg(saved[0]))),
  };
});
