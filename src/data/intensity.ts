import type { PaletteImage } from './decodePng';

/**
 * How an image's samples become the net's inputs: 'dataset' stretched by percentiles pooled over every image of the
 * import (tiles of one field keep their brightness relative to each other; a background-only tile's noise is not
 * stretched to full range), 'image' by each image's own percentiles (images from different instruments), 'none'
 * divided by the bit depth's maximum.
 */
export type IntensityScaling = 'dataset' | 'image' | 'none';

/** An image's pixels in [0, 1], height × width × channels interleaved. */
export interface ScaledImage {
  pixels: Float32Array;
  channels: 1 | 3;
}

/** The percentiles that map to 0 and 1: raw microscopy is mostly dark, its objects a few bright percent. */
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

/**
 * The low and high percentiles of the samples of one image or of several pooled (alpha dropped, palettes looked up),
 * as fractions of each image's bit depth range, so that 8- and 16-bit images pool. From a histogram: fast for 8 and
 * 16 bits. Nearest rank.
 */
export function percentileRange(
  images: readonly PaletteImage[] | PaletteImage,
  low = LOW_PERCENTILE,
  high = HIGH_PERCENTILE,
): [number, number] {
  const list = Array.isArray(images) ? images : [images as PaletteImage];
  const all = list.map(colourSamples);
  const bins = all.some((a) => a.max === 65535) ? 65535 : 255;
  const counts = new Float64Array(bins + 1);
  let total = 0;
  for (const { samples, max } of all) {
    const spread = bins / max;
    for (let i = 0; i < samples.length; i++) counts[samples[i] * spread]++;
    total += samples.length;
  }
  if (total === 0) return [0, 1];
  const at = (q: number) => {
    const rank = Math.round(q * (total - 1));
    let seen = 0;
    for (let v = 0; v <= bins; v++) {
      seen += counts[v];
      if (seen > rank) return v / bins;
    }
    return 1;
  };
  return [at(low), at(high)];
}

/**
 * Scales a decoded image to [0, 1]: the range's low end (a fraction of the bit depth's range, as percentileRange
 * gives it) maps to 0 and its high end to 1, clamped. 'dataset' takes the range pooled over the import (its own
 * percentiles where none is given), 'image' the image's own percentiles, 'none' the full range. A range with no
 * spread falls back to the full range. Alpha is dropped; colour stays three channels; grey (also grey saved as RGB)
 * is one.
 */
export function scaleIntensities(raw: PaletteImage, mode: IntensityScaling, range?: readonly [number, number]): ScaledImage {
  const { samples, channels, max } = colourSamples(raw);
  let [lo, hi] = mode === 'none' ? [0, 1] : mode === 'dataset' && range ? range : percentileRange(raw);
  if (!(hi > lo)) [lo, hi] = [0, 1];
  const offset = lo * max;
  const gain = 1 / ((hi - lo) * max);
  const pixels = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = (samples[i] - offset) * gain;
    pixels[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { pixels, channels };
}
