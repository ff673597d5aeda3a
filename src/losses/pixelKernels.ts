// A pixel loss on binary logits (the mean of a per-pixel term: BCE, focal) on webgpu as two kernels of our own
// instead of tfjs's graph of ten or more: the mean of ℓ(z, y) over the pixels in one workgroup, and its gradient
// dℓ/dz / N per pixel. The term comes from the loss file as WGSL (lossTail.ts).
import { customGrad, tf, type Scalar, type Tensor } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { flatProgram, reductionProgram, registerPrograms, type Program } from '../backend/webgpuPrograms';
import { TAIL_HELPERS, type PixelTail } from './lossTail';

const NAMES = { value: 'SlpPixelLossValue', grad: 'SlpPixelLossGrad' } as const;
const THREADS = 256;

interface Attrs {
  tail: PixelTail;
  size: number;
}

const term = ({ tail }: Attrs) => `
  ${TAIL_HELPERS}
  fn term(z : f32, y : f32) -> f32 { return ${tail.value}; }
  fn slope(z : f32, y : f32) -> f32 { return ${tail.grad}; }`;

function valueProgram(a: Attrs): Program {
  return reductionProgram(
    1,
    THREADS,
    1,
    `pixelLossValue_${a.tail.key}`,
    ['Z', 'T'],
    `
  ${term(a)}
  var<workgroup> partial : array<f32, ${THREADS}>;
  fn main(index : i32) {
    let t = i32(localIndex);
    // Z is flat: its shape is the pixel count.
    let n = uniforms.zShape;
    var acc = 0.0;
    for (var i = t; i < n; i += ${THREADS}) { acc = acc + term(Z[i], T[i]); }
    partial[t] = acc;
    workgroupBarrier();
    for (var s = ${THREADS / 2}; s > 0; s = s / 2) {
      if (t < s) { partial[t] = partial[t] + partial[t + s]; }
      workgroupBarrier();
    }
    if (t == 0) { setOutputAtIndex(0, partial[0] / f32(n)); }
  }`,
  );
}

function gradProgram(a: Attrs): Program {
  return flatProgram(
    a.size,
    `pixelLossGrad_${a.tail.key}`,
    ['Z', 'T', 'Dy'],
    `
  ${term(a)}
  fn main(index : i32) {
    if (index >= uniforms.outShape) { return; }
    setOutputAtIndex(index, slope(Z[index], T[index]) * Dy[0] / f32(uniforms.outShape));
  }`,
  );
}

const PROGRAMS: [string, (a: Attrs) => Program][] = [
  [NAMES.value, valueProgram],
  [NAMES.grad, gradProgram],
];

/** The pixel loss `tail` of logits and 0/1 targets of the same shape, on webgpu: one kernel each way. */
export function fusedPixelLoss(logits: Tensor, targets: Tensor, tail: PixelTail): Scalar {
  registerPrograms(PROGRAMS);
  const attrs = { tail, size: logits.size } as unknown as NamedAttrMap;
  const run = (name: string, inputs: Record<string, Tensor>) => tf.engine().runKernel(name, inputs, attrs) as Tensor;
  return tf.tidy(() => {
    const t = tf.reshape(targets.dtype === 'float32' ? targets : tf.cast(targets, 'float32'), [-1]);
    const loss = customGrad(([z]: [Tensor], save) => {
      const flat = tf.reshape(z, [-1]);
      save([flat, t]);
      return {
        value: tf.reshape(run(NAMES.value, { z: flat, t }), []) as Scalar,
        gradFunc: (dy: Tensor, [zs, ts]) => tf.reshape(run(NAMES.grad, { z: zs, t: ts, dy: tf.reshape(dy, [1]) }), logits.shape),
      };
    });
    return loss(logits);
  }) as Scalar;
}
