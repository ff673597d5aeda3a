// K convolutions with their own weights in one op: the K runs of a race see the same batch with different weights,
// and a weight-space landscape evaluates many weight sets on the same images. On webgpu each pass is one kernel of
// our own (batchedConvKernels.ts); elsewhere it is built from tfjs kernels.
import { customGrad, tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf';
import { backendCapabilities } from '../backend/capabilities';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { BATCHED_CONV, registerBatchedConvKernels, type BatchedConvAttrs } from './batchedConvKernels';
import { convLayer } from './conv2d';

export interface BatchedConvOptions {
  relu: boolean;
  /**
   * Where the kernels of our own run: 'auto' on webgpu only. 'portable' forces the tfjs-kernel form (the reference
   * the kernels are tested against).
   */
  path?: 'auto' | 'portable';
}

/**
 * y[k] = act(conv_same(x[k], w[k]) + b[k]) for k < K, stride 1, odd kernels.
 *   x  [B, H, W, Cin] (the same images for every k: no input gradient) or [K, B, H, W, Cin]
 *   w  [K, kh, kw, Cin, Cout],  b [K, Cout]  →  y [K, B, H, W, Cout]
 * Differentiable in w and b, and in x when it has the run axis.
 */
export function batchedConv(x: Tensor, w: Tensor, b: Tensor2D, options: BatchedConvOptions): Tensor {
  const shared = x.rank === 4;
  if (w.rank !== 5 || b.rank !== 2 || (!shared && x.rank !== 5)) {
    throw new Error(`batchedConv: x [B,H,W,C] or [K,B,H,W,C], w [K,kh,kw,Cin,Cout], b [K,Cout]; got ${x.shape}, ${w.shape}, ${b.shape}`);
  }
  const [runs, kh, kw, inC, outC] = w.shape;
  const [batch, height, width, xc] = shared ? x.shape : x.shape.slice(1);
  if (kh % 2 === 0 || kw % 2 === 0) throw new Error(`batchedConv: kernel ${kh}×${kw} must have odd sizes`);
  if (xc !== inC || (!shared && x.shape[0] !== runs) || b.shape[0] !== runs || b.shape[1] !== outC) {
    throw new Error(`batchedConv: shapes do not agree: x ${x.shape}, w ${w.shape}, b ${b.shape}`);
  }
  if (options.path !== 'portable' && backendCapabilities().ownKernels) {
    const attrs: BatchedConvAttrs = { runs, batch, height, width, inC, outC, kh, kw, shared, relu: options.relu };
    return kernelForm(x, w, b, attrs);
  }
  return shared ? sharedPortable(x as Tensor4D, w, b, options.relu) : perRunPortable(x, w, b, options.relu);
}

/**
 * A copy of a bias view: wasm's FusedConv2D reads the bias's rank from its buffer, which a reshape shares with a
 * [K, Cout] tensor and a row of one keeps as [1, Cout].
 */
const ownBuffer = (bias: Tensor1D) => tf.mul(bias, 1) as Tensor1D;

/**
 * A stacked tensor [K, …] as K tensors […]: views for one run; otherwise a split, whose gradient is one concat
 * (tfjs's gradient of unstack fails for a single part).
 */
export function perRun(t: Tensor): Tensor[] {
  const [runs, ...rest] = t.shape;
  const parts = runs === 1 ? [t] : tf.split(t, runs, 0);
  return parts.map((p) => tf.reshape(p, rest));
}

/** Same images: one convolution with the K kernels side by side along the output channels. */
function sharedPortable(x: Tensor4D, w: Tensor, b: Tensor2D, relu: boolean): Tensor {
  const [runs, kh, kw, inC, outC] = w.shape;
  const side = tf.reshape(tf.transpose(w, [1, 2, 3, 0, 4]), [kh, kw, inC, runs * outC]) as Tensor4D;
  const y = convLayer(x, side, ownBuffer(tf.reshape(b, [-1]) as Tensor1D), { relu, gradient: 'auto', inputGrad: false });
  const [batch, height, width] = x.shape;
  return tf.transpose(tf.reshape(y, [batch, height, width, runs, outC]), [3, 0, 1, 2, 4]);
}

/** Inputs of their own: one convolution per run. */
function perRunPortable(x: Tensor, w: Tensor, b: Tensor2D, relu: boolean): Tensor {
  const [xs, ws, bs] = [perRun(x), perRun(w), perRun(b)];
  return tf.stack(
    xs.map((xk, k) =>
      convLayer(xk as Tensor4D, ws[k] as Tensor4D, ownBuffer(bs[k] as Tensor1D), { relu, gradient: 'auto', inputGrad: true }),
    ),
  );
}

/** The webgpu form: every tensor goes in flat (our kernels index it themselves), so no rank-5 shapes reach tfjs-webgpu. */
function kernelForm(x: Tensor, w: Tensor, b: Tensor2D, attrs: BatchedConvAttrs): Tensor {
  registerBatchedConvKernels();
  const { runs, batch, height, width, inC, outC } = attrs;
  const outShape = [runs, batch, height, width, outC];
  const run = (name: string, inputs: Record<string, Tensor>) => {
    const flat = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.reshape(t, [-1])]));
    return tf.engine().runKernel(name, flat, attrs as unknown as NamedAttrMap) as Tensor;
  };
  const forward = (xs: Tensor, ws: Tensor, bs: Tensor, save: (t: Tensor[]) => void) => {
    const y = tf.reshape(run(BATCHED_CONV.forward, { x: xs, w: ws, b: bs }), outShape);
    save([xs, ws, y]);
    return y;
  };
  const backward = (dy: Tensor, saved: Tensor[]) => {
    const [xs, ws, y] = saved;
    // y is the ReLU's mask; without one the kernels do not read it.
    const mask: Record<string, Tensor> = attrs.relu ? { y } : {};
    const dw = tf.reshape(run(BATCHED_CONV.filterGrad, { x: xs, dy, ...mask }), ws.shape);
    const db = tf.reshape(run(BATCHED_CONV.biasGrad, { dy, ...mask }), [runs, outC]);
    if (attrs.shared) return [dw, db];
    const dx = tf.reshape(run(BATCHED_CONV.inputGrad, { dy, w: ws, ...mask }), [runs, batch, height, width, inC]);
    return [dx, dw, db];
  };
  if (attrs.shared) {
    // The images need no gradient and outlive the backward pass (the batch holds them).
    return customGrad(([ws, bs]: [Tensor, Tensor], save) => ({ value: forward(x, ws, bs, save), gradFunc: backward }))(w, b);
  }
  return customGrad(([xs, ws, bs]: [Tensor, Tensor, Tensor], save) => ({ value: forward(xs, ws, bs, save), gradFunc: backward }))(x, w, b);
}
