import { customGrad, tf, type Tensor4D } from '../tf';

/**
 * Gradient of a stride-1 'same' convolution with odd kernels, built from forward convolutions only (the fast
 * XNNPACK kernel on wasm), because tfjs-backend-wasm lacks Conv2DBackpropFilter (tfjs #8474):
 *   dW = x ⋆ dy with the batch as the channel axis: conv2d(xpadᵀ [Cin, H+2p, W+2p, B], dyᵀ [H, W, B, Cout])
 *   dx = conv2d(dy, W flipped in space with its channel axes swapped, 'same')
 */
const convSameCustom = customGrad(([x, w]: [Tensor4D, Tensor4D], save) => {
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'same'),
    gradFunc: (dy: Tensor4D, saved) => {
      const [xs, ws] = saved as [Tensor4D, Tensor4D];
      const [kh, kw] = ws.shape;
      const ph = (kh - 1) / 2;
      const pw = (kw - 1) / 2;
      const flipped = tf.reverse(tf.transpose(ws, [0, 1, 3, 2]), [0, 1]) as Tensor4D;
      const dx = tf.conv2d(dy, flipped, 1, 'same');
      const xp =
        ph || pw
          ? tf.pad(xs, [
              [0, 0],
              [ph, ph],
              [pw, pw],
              [0, 0],
            ])
          : xs;
      const dwT = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]) as Tensor4D, tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D, 1, 'valid');
      return [dx, tf.transpose(dwT, [1, 2, 0, 3])];
    },
  };
});

export type ConvGradient = 'auto' | 'native' | 'custom';

/**
 * Stride-1 'same' 2-D convolution (NHWC input, [kh, kw, in, out] kernel, odd kernel sizes). 'auto' takes the
 * custom gradient on wasm only, where the native one is missing.
 */
export function conv2dSame(x: Tensor4D, w: Tensor4D, gradient: ConvGradient = 'auto'): Tensor4D {
  const [kh, kw] = w.shape;
  if (kh % 2 === 0 || kw % 2 === 0) throw new Error(`conv2dSame: kernel ${kh}×${kw} must have odd sizes`);
  const custom = gradient === 'custom' || (gradient === 'auto' && tf.getBackend() === 'wasm');
  return custom ? convSameCustom(x, w) : tf.conv2d(x, w, 1, 'same');
}
