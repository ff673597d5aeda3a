// The tiny net's forward pass in plain float64 TypeScript, the reference the tfjs forms are checked against: the
// architecture's graph (src/model/architectures.ts) walked with float64 convolutions, 2×2 'same' max-pooling,
// nearest upsampling and channel concatenation.
import { ARCHITECTURES, type ModelShape } from '../model/architectures';
import { layerPlan } from '../model/layerPlan';
import { runGraph } from '../model/runGraph';
import type { WeightSet } from './weightSet';

/** Images NHWC as a flat array with their sizes. */
interface Maps {
  n: number;
  h: number;
  w: number;
  c: number;
  v: Float64Array;
}

function conv(x: Maps, kernel: ArrayLike<number>, bias: ArrayLike<number>, k: number, out: number, relu: boolean): Maps {
  const v = new Float64Array(x.n * x.h * x.w * out);
  const p = (k - 1) / 2;
  for (let b = 0; b < x.n; b++)
    for (let i = 0; i < x.h; i++)
      for (let j = 0; j < x.w; j++)
        for (let o = 0; o < out; o++) {
          let acc = bias[o];
          for (let a = 0; a < k; a++)
            for (let c = 0; c < k; c++) {
              const [ii, jj] = [i + a - p, j + c - p];
              if (ii < 0 || ii >= x.h || jj < 0 || jj >= x.w) continue;
              for (let ci = 0; ci < x.c; ci++)
                acc += x.v[((b * x.h + ii) * x.w + jj) * x.c + ci] * kernel[((a * k + c) * x.c + ci) * out + o];
            }
          v[((b * x.h + i) * x.w + j) * out + o] = relu ? Math.max(acc, 0) : acc;
        }
  return { ...x, c: out, v };
}

function maxPool(x: Maps): Maps {
  const [h, w] = [Math.ceil(x.h / 2), Math.ceil(x.w / 2)];
  const v = new Float64Array(x.n * h * w * x.c).fill(-Infinity);
  for (let b = 0; b < x.n; b++)
    for (let i = 0; i < x.h; i++)
      for (let j = 0; j < x.w; j++)
        for (let c = 0; c < x.c; c++) {
          const at = ((b * h + (i >> 1)) * w + (j >> 1)) * x.c + c;
          v[at] = Math.max(v[at], x.v[((b * x.h + i) * x.w + j) * x.c + c]);
        }
  return { ...x, h, w, v };
}

/** Nearest upsampling of `x` to the size of `like`. */
function upsample(x: Maps, like: Maps): Maps {
  const v = new Float64Array(x.n * like.h * like.w * x.c);
  const src = (i: number, inner: number, outer: number) => Math.min(Math.floor((i * inner) / outer), inner - 1);
  for (let b = 0; b < x.n; b++)
    for (let i = 0; i < like.h; i++)
      for (let j = 0; j < like.w; j++) {
        const at = ((b * like.h + i) * like.w + j) * x.c;
        const from = ((b * x.h + src(i, x.h, like.h)) * x.w + src(j, x.w, like.w)) * x.c;
        for (let k = 0; k < x.c; k++) v[at + k] = x.v[from + k];
      }
  return { ...x, h: like.h, w: like.w, v };
}

/** `x`'s channels, then `skip`'s (the same images and sizes). */
function concat(x: Maps, skip: Maps): Maps {
  const c = x.c + skip.c;
  const v = new Float64Array(x.n * x.h * x.w * c);
  for (let p = 0; p < x.n * x.h * x.w; p++) {
    for (let k = 0; k < x.c; k++) v[p * c + k] = x.v[p * x.c + k];
    for (let k = 0; k < skip.c; k++) v[p * c + x.c + k] = skip.v[p * skip.c + k];
  }
  return { ...x, c, v };
}

/**
 * Logits (flat NHWC, float64) of `count` images size × size × `channels` (NHWC) at weights `w` (kernel, bias per
 * layer).
 */
export function referenceForward(
  model: ModelShape,
  w: WeightSet,
  images: ArrayLike<number>,
  count: number,
  size: number,
  channels = 1,
): Float64Array {
  const x: Maps = { n: count, h: size, w: size, c: channels, v: Float64Array.from(images) };
  const plan = layerPlan(model, w[w.length - 1].length, channels);
  return runGraph(ARCHITECTURES[model.depth].graph, x, {
    conv: (h, i, relu) => conv(h, w[2 * i], w[2 * i + 1], plan[i][1], plan[i][3], relu),
    pool: maxPool,
    upsample,
    concat,
  }).v;
}
