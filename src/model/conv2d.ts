import { customGrad, tf, type Tensor, type Tensor4D } from '../tf';

/**
 * Gradient of a stride-1 'same' convolution with odd kernels, built from kernels every backend has:
 * dW[i, j] = Σ over pixels of x shifted by (i, j) times dy (one matMul per kernel tap), dx = conv2dTranspose.
 * tfjs-backend-wasm lacks Conv2DBackpropFilter (tfjs #8474), so there the native gradient cannot run.
 */
const convSameCustom = customGrad(([x, w]: [Tensor4D, Tensor4D], save) => {
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'same'),
    gradFunc: (dy: Tensor4D, saved) => {
      const [xs, ws] = saved as [Tensor4D, Tensor4D];
      const [b, h, wd, cin] = xs.shape;
      const [kh, kw, , cout] = ws.shape;
      const ph = (kh - 1) / 2;
      const pw = (kw - 1) / 2;
      const dx = tf.conv2dTranspose(dy, ws, xs.shape, 1, 'same');
      const xp = ph || pw ? tf.pad(xs, [[0, 0], [ph, ph], [pw, pw], [0, 0]]) : xs;
      const dyFlat = tf.reshape(dy, [b * h * wd, cout]);
      const taps: Tensor[] = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const patch = tf.reshape(tf.slice(xp, [0, i, j, 0], [b, h, wd, cin]), [b * h * wd, cin]);
          taps.push(tf.matMul(patch, dyFlat, true, false));
        }
      }
      const dw = tf.reshape(tf.stack(taps), [kh, kw, cin, cout]);
      return [dx, dw];
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
