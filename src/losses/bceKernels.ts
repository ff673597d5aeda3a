// Binary cross-entropy (crossEntropy.ts) on webgpu as two kernels of our own instead of tfjs's nine: the mean of
// c·softplus(s·z) over the pixels in one workgroup, and its gradient c·s·σ(s·z) / N per pixel, with s = 1 − 2y and
// c = w₊ on object pixels, 1 elsewhere (the same stable, exact form as the tfjs graph).
import { customGrad, tf, type Scalar, type Tensor } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { flatProgram, reductionProgram, registerPrograms, type Program } from '../backend/webgpuPrograms';
import { wgslFloat } from './wgslFloat';

const NAMES = { value: 'SlpBceValue', grad: 'SlpBceGrad' } as const;
const THREADS = 256;

interface Attrs {
  posWeight: number;
}

/** The sign s and weight c of pixel i, and softplus written so that it cannot overflow. */
const helpers = (a: Attrs) => `
  fn sign(i : i32) -> f32 { return 1.0 - 2.0 * T[i]; }
  fn weight(i : i32) -> f32 { return 1.0 + ${wgslFloat(a.posWeight - 1)} * T[i]; }
  fn softplus(x : f32) -> f32 { return max(x, 0.0) + log(1.0 + exp(-abs(x))); }`;

function valueProgram(a: Attrs): Program {
  return reductionProgram(
    1,
    THREADS,
    1,
    `bceValue_${a.posWeight}`,
    ['Z', 'T'],
    `
  ${helpers(a)}
  var<workgroup> partial : array<f32, ${THREADS}>;
  fn main(index : i32) {
    let t = i32(localIndex);
    // Z is flat: its shape is the pixel count.
    let n = uniforms.zShape;
    var acc = 0.0;
    for (var i = t; i < n; i += ${THREADS}) { acc = acc + weight(i) * softplus(sign(i) * Z[i]); }
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

function gradProgram(a: Attrs, size: number): Program {
  return flatProgram(
    size,
    `bceGrad_${a.posWeight}`,
    ['Z', 'T', 'Dy'],
    `
  ${helpers(a)}
  fn main(index : i32) {
    if (index >= uniforms.outShape) { return; }
    let s = sign(index);
    let g = weight(index) * s / (1.0 + exp(-s * Z[index]));
    setOutputAtIndex(index, g * Dy[0] / f32(uniforms.outShape));
  }`,
  );
}

const PROGRAMS: [string, (a: Attrs & { size: number }) => Program][] = [
  [NAMES.value, valueProgram],
  [NAMES.grad, (a) => gradProgram(a, a.size)],
];

/** BCE with pos_weight `posWeight` of logits and 0/1 targets of the same shape, on webgpu: one kernel each way. */
export function fusedBce(logits: Tensor, targets: Tensor, posWeight: number): Scalar {
  registerPrograms(PROGRAMS);
  const attrs = { posWeight, size: logits.size } as unknown as NamedAttrMap;
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
