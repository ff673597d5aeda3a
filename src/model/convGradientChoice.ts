// Which weight gradient each convolution of the net takes, by measurement: tfjs's Conv2DBackpropFilter (one
// thread per weight looping over batch × pixels on webgpu: 44 ms a call at 64 px, batch 32, width 16 on an H200)
// or the forward-convolution form of conv2d.ts (11.6 ms there, but slower at 32 px, batch 8). wasm has no native
// kernel, so it always takes the forward form.
import { tf, type Tensor1D, type Tensor4D } from '../tf';
import { backendCapabilities } from '../backend/capabilities';
import { convLayer, type ConvGradient } from './conv2d';

/** A convolution's input [batch, h, w, in] and kernel [kh, kw, in, out]. */
export interface ConvShape {
  x: [number, number, number, number];
  w: [number, number, number, number];
}

export type ConvTimer = (shape: ConvShape, mode: 'native' | 'custom') => Promise<number>;

const REPS = 2;

/** Milliseconds per forward-and-backward pass of one convolution with this gradient (after a warm-up pass). */
export const timeConvGradient: ConvTimer = async (shape, mode) => {
  const x = tf.randomNormal(shape.x) as Tensor4D;
  const w = tf.randomNormal(shape.w) as Tensor4D;
  const b = tf.zeros([shape.w[3]]) as Tensor1D;
  const layer = { relu: true, gradient: mode, inputGrad: true };
  const pass = async () => {
    const grads = tf.grads((xs, ws) => tf.sum(convLayer(xs as Tensor4D, ws as Tensor4D, b, layer)))([x, w]);
    await Promise.all(grads.map((g) => g.data()));
    tf.dispose(grads);
  };
  try {
    await pass();
    const started = performance.now();
    for (let i = 0; i < REPS; i++) await pass();
    return (performance.now() - started) / REPS;
  } finally {
    tf.dispose([x, w, b]);
  }
};

/**
 * The faster weight gradient for each shape on the active backend ('custom' where there is no native one);
 * shapes that repeat are timed once.
 */
export async function chooseConvGradients(shapes: readonly ConvShape[], time: ConvTimer = timeConvGradient): Promise<ConvGradient[]> {
  if (!backendCapabilities().nativeFilterGradient) return shapes.map(() => 'custom');
  const chosen = new Map<string, ConvGradient>();
  for (const shape of shapes) {
    const key = JSON.stringify(shape);
    if (chosen.has(key)) continue;
    const native = await time(shape, 'native');
    const custom = await time(shape, 'custom');
    chosen.set(key, custom < native ? 'custom' : 'native');
  }
  return shapes.map((s) => chosen.get(JSON.stringify(s))!);
}
