import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf';
import { convLayer } from '../model/conv2d';
import { logSigmoid } from '../losses/logSigmoid';

export interface SelfTestResult {
  ok: boolean;
  detail: string;
}

const TOLERANCE = { relative: 1e-3, absolute: 1e-5 };

function mismatch(what: string, got: ArrayLike<number>, want: number[]): string | undefined {
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= Math.max(TOLERANCE.absolute, TOLERANCE.relative * Math.abs(want[i])))) {
      return `${what}[${i}] = ${got[i]}, expected ${want[i]}`;
    }
  }
  return undefined;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Deterministic inputs in [-1, 1]. */
const wave = (n: number, phase: number) => Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + phase) * Math.cos(0.7 * i));

/**
 * One small forward and backward pass on the current backend, checked against float64 numbers computed here:
 * BCE value and ∂/∂logits, and a 3×3 convolution's value and gradients for input and kernel. It catches a
 * backend that runs but computes wrong numbers (device-specific zero gradients, tfjs #8590).
 */
export async function runSelfTest(): Promise<SelfTestResult> {
  const z = [2.0, -1.15, 0.5, -2.5, 1.5, -0.3, 0.8, -1.7];
  const y = [1, 0, 1, 0, 1, 1, 0, 0];
  const n = z.length;
  const wantLoss = z.reduce((s, zi, i) => s + Math.max(zi, 0) - zi * y[i] + Math.log1p(Math.exp(-Math.abs(zi))), 0) / n;
  const wantGrad = z.map((zi, i) => (sigmoid(zi) - y[i]) / n);

  const [b, h, w, cin, cout] = [1, 4, 4, 2, 2];
  const xv = wave(b * h * w * cin, 0.1);
  const kv = wave(9 * cin * cout, 0.9);
  const at = (hh: number, ww: number, c: number) => (hh < 0 || hh >= h || ww < 0 || ww >= w ? 0 : xv[(hh * w + ww) * cin + c]);
  // Loss = Σ conv(x, k): ∂/∂x and ∂/∂k reduce to sums over the kernel taps and the pixels.
  let wantConv = 0;
  const wantDk = new Array<number>(9 * cin * cout).fill(0);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let a = 0; a < 3; a++)
        for (let c = 0; c < 3; c++) {
          for (let ci = 0; ci < cin; ci++)
            for (let co = 0; co < cout; co++) {
              const v = at(i + a - 1, j + c - 1, ci);
              wantConv += v * kv[((a * 3 + c) * cin + ci) * cout + co];
              wantDk[((a * 3 + c) * cin + ci) * cout + co] += v;
            }
        }
  const wantDx = new Array<number>(xv.length).fill(0);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let ci = 0; ci < cin; ci++) {
        let s = 0;
        for (let a = 0; a < 3; a++)
          for (let c = 0; c < 3; c++) {
            const oi = i - a + 1;
            const oj = j - c + 1;
            if (oi < 0 || oi >= h || oj < 0 || oj >= w) continue;
            for (let co = 0; co < cout; co++) s += kv[((a * 3 + c) * cin + ci) * cout + co];
          }
        wantDx[(i * w + j) * cin + ci] = s;
      }

  const outputs = tf.tidy(() => {
    const logits = tf.tensor1d(z);
    const target = tf.tensor1d(y);
    const bce = (t: Tensor) => tf.mean(tf.neg(tf.add(tf.mul(target, logSigmoid(t)), tf.mul(tf.sub(1, target), logSigmoid(tf.neg(t))))));
    const lossGrad = tf.valueAndGrad(bce)(logits);
    const x = tf.tensor4d(xv, [b, h, w, cin]);
    const k = tf.tensor4d(kv, [3, 3, cin, cout]);
    const noBias = tf.zeros([cout]) as Tensor1D;
    const layer = { relu: false, gradient: 'auto', inputGrad: true } as const;
    const convGrads = tf.valueAndGrads((xx: Tensor, kk: Tensor) => tf.sum(convLayer(xx as Tensor4D, kk as Tensor4D, noBias, layer)))([
      x,
      k,
    ]);
    return [lossGrad.value, lossGrad.grad, convGrads.value, ...convGrads.grads];
  });
  try {
    const [loss, grad, conv, dx, dk] = await Promise.all(outputs.map((t) => t.data()));
    const miss =
      mismatch('BCE value', loss, [wantLoss]) ??
      mismatch('BCE gradient', grad, wantGrad) ??
      mismatch('conv value', conv, [wantConv]) ??
      mismatch('conv input gradient', dx, wantDx) ??
      mismatch('conv kernel gradient', dk, wantDk);
    return miss
      ? { ok: false, detail: `numeric self-test failed: ${miss}` }
      : { ok: true, detail: 'loss, gradient and convolution match float64 references' };
  } catch (e) {
    return { ok: false, detail: `numeric self-test threw: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    tf.dispose(outputs);
  }
}
