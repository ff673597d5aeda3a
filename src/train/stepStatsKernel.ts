// A binary lockstep step's per-run metrics on webgpu as one kernel of our own instead of four: for every run, the
// sums of |∂L/∂z| and of the predictions z > 0 over the object and the background pixels, the packed vector's
// [Σ|∂L/∂z| object, background, TP, FP] (see trainStep.ts).
import { tf, type Tensor, type Tensor2D } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { reductionProgram, registerPrograms, WORKGROUP_INDEX, type Program } from '../backend/webgpuPrograms';

const NAME = 'SlpStepStats';
const THREADS = 256;

interface Attrs {
  runs: number;
}

function program(a: Attrs): Program {
  return reductionProgram(
    a.runs * 4,
    THREADS,
    a.runs * 4,
    'stepStats',
    ['Z', 'Dz', 'Masks'],
    `
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<f32, ${THREADS}>;
  fn main(index : i32) {
    let group = workgroupIndex();
    let live = group < uniforms.outShape;
    let k = group / 4;
    let stat = group % 4;
    // Masks are [object; background] rows of the batch's pixels.
    let n = uniforms.masksShape / 2;
    let row = (stat % 2) * n;
    let t = i32(localIndex);
    var acc = 0.0;
    for (var i = t; live && i < n; i += ${THREADS}) {
      let at = k * n + i;
      let v = select(select(0.0, 1.0, Z[at] > 0.0), abs(Dz[at]), stat < 2);
      acc = acc + v * Masks[row + i];
    }
    partial[t] = acc;
    workgroupBarrier();
    for (var s = ${THREADS / 2}; s > 0; s = s / 2) {
      if (t < s) { partial[t] = partial[t] + partial[t + s]; }
      workgroupBarrier();
    }
    if (live && t == 0) { setOutputAtIndex(group, partial[0]); }
  }`,
  );
}

/** [K, 4] of binary logits z and their gradient dz ([K, B, H, W, 1] each) and the batch's masks [2, pixels]. */
export function stepStats(z: Tensor, dz: Tensor, masks: Tensor2D): Tensor2D {
  registerPrograms([[NAME, program]]);
  const runs = z.shape[0];
  const attrs = { runs } as unknown as NamedAttrMap;
  const flat = (t: Tensor) => tf.reshape(t, [-1]);
  return tf.reshape(tf.engine().runKernel(NAME, { z: flat(z), dz: flat(dz), masks: flat(masks) }, attrs) as Tensor, [runs, 4]) as Tensor2D;
}
