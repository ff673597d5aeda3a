// A network's weights as the landscape handles them: one Float32Array per tensor (kernel, bias, … in the net's
// `variables` order, as a race checkpoint keeps them), and the points of a line or a plane through weight space.
import type { LayerInit } from '../model/tinyNet';

export type WeightSet = Float32Array[];

/** Each tensor's shape and whether it is a convolution kernel [kh, kw, in, out] (biases are 1-D). */
export interface TensorLayout {
  shape: number[];
  kernel: boolean;
}

export function layoutOf(init: readonly LayerInit[]): TensorLayout[] {
  return init.flatMap((l) => [
    { shape: [...l.kernelShape], kernel: true },
    { shape: [l.bias.length], kernel: false },
  ]);
}

/** The initial weights as a weight set. */
export const weightsOf = (init: readonly LayerInit[]): WeightSet => init.flatMap((l) => [l.kernel, l.bias]);

/** θ + Σ cᵢ·dᵢ, tensor by tensor. */
export function along(theta: WeightSet, directions: readonly WeightSet[], coefficients: readonly number[]): WeightSet {
  return theta.map((t, i) => {
    const out = Float32Array.from(t);
    directions.forEach((d, k) => {
      const c = coefficients[k];
      if (c !== 0) for (let j = 0; j < out.length; j++) out[j] += c * d[i][j];
    });
    return out;
  });
}

/** b − a, tensor by tensor. */
export const difference = (b: WeightSet, a: WeightSet): WeightSet => b.map((t, i) => t.map((v, j) => v - a[i][j]));

/** Every tensor end to end, in float64 (for projections and PCA). */
export function flatten(w: WeightSet): Float64Array {
  const out = new Float64Array(w.reduce((n, t) => n + t.length, 0));
  let at = 0;
  for (const t of w) {
    out.set(t, at);
    at += t.length;
  }
  return out;
}

/** A flat vector back into tensors shaped like `like`. */
export function unflatten(v: ArrayLike<number>, like: WeightSet): WeightSet {
  let at = 0;
  return like.map((t) => {
    const out = new Float32Array(t.length);
    for (let j = 0; j < t.length; j++) out[j] = v[at + j];
    at += t.length;
    return out;
  });
}
