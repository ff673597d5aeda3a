// Random directions in weight space, normalised filter by filter as Li et al. (2018, "Visualizing the Loss
// Landscape of Neural Nets") do: each filter of the direction (the weights of one output channel of a convolution)
// is scaled to the norm of the same filter of the weights, so that a step of 1 means the same relative change in
// every layer whatever its scale; biases and other 1-D parameters get zero direction.
import { createRng, deriveSeed } from '../random/prng';
import type { TensorLayout, WeightSet } from './weightSet';

/** The norm of each output channel's filter of a kernel [kh, kw, in, out] (flat, output channel fastest). */
export function filterNorms(kernel: ArrayLike<number>, outChannels: number): number[] {
  const squares = new Array<number>(outChannels).fill(0);
  for (let j = 0; j < kernel.length; j++) squares[j % outChannels] += kernel[j] * kernel[j];
  return squares.map(Math.sqrt);
}

/** A seeded Gaussian direction, filter-normalised to `theta` (its `stream` names it: `dir1`, `dir2`, a run…). */
export function filterNormalizedDirection(theta: WeightSet, layout: readonly TensorLayout[], seed: number, stream: string): WeightSet {
  const rng = createRng(deriveSeed(seed, stream));
  return theta.map((t, i) => {
    const { shape, kernel } = layout[i];
    if (!kernel) return new Float32Array(t.length);
    const out = shape[shape.length - 1];
    const d = Float32Array.from({ length: t.length }, () => rng.normal());
    const [want, have] = [filterNorms(t, out), filterNorms(d, out)];
    for (let j = 0; j < d.length; j++) {
      const o = j % out;
      d[j] = have[o] > 0 ? (d[j] * want[o]) / have[o] : 0;
    }
    return d;
  });
}
