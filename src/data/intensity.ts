import type { PaletteImage } from './decodePng';

/** How an image's samples become the net's inputs: stretched per image by percentiles, or divided by the bit depth. */
export type IntensityScaling = 'percentile' | 'none';

/** An image's pixels in [0, 1], height × width × channels interleaved. */
export interface ScaledImage {
  pixels: Float32Array;
  channels: 1 | 3;
}

/** The percentiles the default scaling maps to 0 and 1: raw microscopy is mostly dark, its objects a few bright percent. */
export const LOW_PERCENTILE = 0.01;
export const HIGH_PERCENTILE = 0.998;

/** The colour samples of an image, alpha dropped, a palette looked up, and grey kept as one channel where R = G = B everywhere. */
function colourSamples(raw: PaletteImage): { samples: ArrayLike<number>; channels: 1 | 3; max: number } {
  const n = raw.width * raw.height;
  const max = raw.depth === 16 ? 65535 : 255;
  if (raw.indexed && raw.palette) {
    const { palette, data } = raw;
    const grey = palette.every((c) => c[0] === c[1] && c[0] === c[2]);
    const out = new Uint8Array(grey ? n : n * 3);
    if (grey) for (let i = 0; i < n; i++) out[i] = palette[data[i]]?.[0] ?? 0;
    else
      for (let i = 0; i < n; i++) {
        const c = palette[data[i]] ?? [0, 0, 0];
        out[3 * i] = c[0];
        out[3 * i + 1] = c[1];
        out[3 * i + 2] = c[2];
      }
    return { samples: out, channels: grey ? 1 : 3, max: 255 };
  }
  const { data, channels: c } = raw;
  if (c === 1) return { samples: data, channels: 1, max };
  let grey = true;
  if (c >= 3) for (let i = 0, j = 0; i < n && grey; i++, j += c) grey = data[j] === data[j + 1] && data[j] === data[j + 2];
  const keep = grey ? 1 : 3;
  const Out = raw.depth === 16 ? Uint16Array : Uint8Array;
  const out = new Out(n * keep);
  for (let i = 0, j = 0; i < n; i++, j += c) for (let k = 0; k < keep; k++) out[i * keep + k] = data[j + k];
  return { samples: out, channels: keep, max };
}

/** The sample at quantile q (nearest rank), from a histogram of integer samples 0 … max. */
function quantiles(samples: ArrayLike<number>, max: number, qs: readonly number[]): number[] {
  const counts = new Uint32Array(max + 1);
  for (let i = 0; i < samples.length; i++) counts[samples[i]]++;
  return qs.map((q) => {
    const rank = Math.round(q * (samples.length - 1));
    let seen = 0;
    for (let v = 0; v <= max; v++) {
      seen += counts[v];
      if (seen > rank) return v;
    }
    return max;
  });
}

/**
 * Scales a decoded image to [0, 1]. 'percentile': per image, the 1st percentile maps to 0 and the 99.8th to 1, clamped
 * (all channels together, so colours keep their balance); an image with no spread between them falls back to 'none'.
 * 'none': samples over 255 or 65535. Alpha is dropped; colour stays three channels; grey (also grey saved as RGB) is one.
 */
export function scaleIntensities(raw: PaletteImage, mode: IntensityScaling): ScaledImage {
  const { samples, channels, max } = colourSamples(raw);
  let lo = 0;
  let hi = max;
  if (mode === 'percentile') {
    const [l, h] = quantiles(samples, max, [LOW_PERCENTILE, HIGH_PERCENTILE]);
    if (h > l) [lo, hi] = [l, h];
  }
  const gain = 1 / (hi - lo);
  const pixels = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = (samples[i] - lo) * gain;
    pixels[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { pixels, channels };
}
