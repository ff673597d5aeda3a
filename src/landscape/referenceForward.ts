// The tiny net's forward pass in plain float64 TypeScript, the reference the tfjs forms are checked against
// (tinyNet.ts: shallow conv3×3–relu–conv3×3–relu–conv1×1; the U-Net with a 2×2 'same' max-pool, nearest
// upsampling and the skip concatenated after the upsampled channels).
import type { ModelConfig } from '../config/experimentConfig';
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

/** Nearest upsampling to h × w, concatenated with `skip` after its own channels. */
function upAndConcat(x: Maps, skip: Maps): Maps {
  const c = x.c + skip.c;
  const v = new Float64Array(skip.n * skip.h * skip.w * c);
  const src = (i: number, inner: number, outer: number) => Math.min(Math.floor((i * inner) / outer), inner - 1);
  for (let b = 0; b < skip.n; b++)
    for (let i = 0; i < skip.h; i++)
      for (let j = 0; j < skip.w; j++) {
        const at = ((b * skip.h + i) * skip.w + j) * c;
        const from = ((b * x.h + src(i, x.h, skip.h)) * x.w + src(j, x.w, skip.w)) * x.c;
        for (let k = 0; k < x.c; k++) v[at + k] = x.v[from + k];
        for (let k = 0; k < skip.c; k++) v[at + x.c + k] = skip.v[((b * skip.h + i) * skip.w + j) * skip.c + k];
      }
  return { ...skip, c, v };
}

/** Logits (flat NHWC, float64) of `count` images size × size at weights `w` (kernel, bias per layer). */
export function referenceForward(model: ModelConfig, w: WeightSet, images: ArrayLike<number>, count: number, size: number): Float64Array {
  const x: Maps = { n: count, h: size, w: size, c: 1, v: Float64Array.from(images) };
  const out = w[w.length - 1].length;
  const width = model.width;
  if (model.depth === 'unet') {
    const enc = conv(x, w[0], w[1], 3, width, true);
    const down = conv(maxPool(enc), w[2], w[3], 3, 2 * width, true);
    const merged = conv(upAndConcat(down, enc), w[4], w[5], 3, width, true);
    return conv(merged, w[6], w[7], 1, out, false).v;
  }
  return conv(conv(conv(x, w[0], w[1], 3, width, true), w[2], w[3], 3, width, true), w[4], w[5], 1, out, false).v;
}
