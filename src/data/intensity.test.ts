import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePng } from './decodePng';
import type { RawImage } from './importedData';
import { percentileRange, scaleIntensities } from './intensity';

const image = (channels: number, values: number[], depth = 8, extra: Partial<RawImage> = {}) => ({
  width: values.length / channels,
  height: 1,
  channels,
  depth,
  data: depth === 16 ? Uint16Array.from(values) : Uint8Array.from(values),
  ...extra,
});
const close = (a: Float32Array, b: number[]) => Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));

describe('scaleIntensities', () => {
  it("'none' divides by the bit depth's range", () => {
    close(scaleIntensities(image(1, [0, 51, 255]), 'none').pixels, [0, 0.2, 1]);
    close(scaleIntensities(image(1, [0, 65535], 16), 'none').pixels, [0, 1]);
  });

  it('stretches a dark image so that its 1st percentile is 0 and its 99.8th is 1, clamped', () => {
    // 1000 samples: 10 at 0, the rest 20…29 but the top two at 200: the 99.8th percentile is 29 and 200 clamps to 1.
    const values = [...Array(10).fill(0), ...Array.from({ length: 988 }, (_, i) => 20 + (i % 10)), 200, 200];
    const { pixels, channels } = scaleIntensities(image(1, values), 'image');
    expect(channels).toBe(1);
    expect(Math.min(...pixels)).toBe(0);
    expect(Math.max(...pixels)).toBe(1);
    // 1st percentile (rank 10) is 20: samples 0 and 20 both map to 0, 29 to 1.
    expect(pixels[10]).toBe(0);
    expect(pixels[19]).toBeCloseTo(1, 5);
    expect(pixels[14]).toBeCloseTo(4 / 9, 5);
  });

  it('falls back to the bit depth for an image without spread', () => {
    close(scaleIntensities(image(1, [51, 51, 51]), 'image').pixels, [0.2, 0.2, 0.2]);
  });

  it("'dataset' scales every image by one range pooled over all of them, given as fractions of the bit depth", () => {
    const dark = image(1, Array(100).fill(10));
    const bright = image(1, [...Array(99).fill(20), 40]);
    // 200 samples: the 1st percentile is rank 2 (10), the 99.8th rank 199 (40).
    const range = percentileRange([dark, bright]);
    expect(range).toEqual([10 / 255, 40 / 255]);
    // The dark image stays dark under the pooled range; on its own it has no spread and falls back to the bit depth.
    expect(scaleIntensities(dark, 'dataset', range).pixels[0]).toBe(0);
    expect(scaleIntensities(bright, 'dataset', range).pixels[0]).toBeCloseTo(1 / 3, 5);
    expect(scaleIntensities(dark, 'image').pixels[0]).toBeCloseTo(10 / 255, 5);
    // Without a pooled range, 'dataset' takes the image's own.
    expect(scaleIntensities(bright, 'dataset').pixels).toEqual(scaleIntensities(bright, 'image').pixels);
  });

  it('pools 8- and 16-bit images on one scale', () => {
    const eight = image(1, [0, 255]);
    const sixteen = image(1, [0, 65535], 16);
    expect(percentileRange([eight, sixteen], 0, 1)).toEqual([0, 1]);
    const [lo, hi] = percentileRange([image(1, [51]), image(1, [13107], 16)], 0, 1);
    expect(lo).toBeCloseTo(0.2, 6);
    expect(hi).toBeCloseTo(0.2, 6);
  });

  it('drops alpha, keeps colour as three channels, and reads grey saved as RGB(A) as one channel', () => {
    const rgba = scaleIntensities(image(4, [255, 0, 0, 9, 0, 255, 0, 9]), 'none');
    expect(rgba.channels).toBe(3);
    close(rgba.pixels, [1, 0, 0, 0, 1, 0]);
    const greyAlpha = scaleIntensities(image(2, [255, 0, 0, 255]), 'none');
    expect(greyAlpha.channels).toBe(1);
    close(greyAlpha.pixels, [1, 0]);
    const greyRgb = scaleIntensities(image(3, [51, 51, 51, 255, 255, 255]), 'none');
    expect(greyRgb.channels).toBe(1);
    close(greyRgb.pixels, [0.2, 1]);
  });

  it('looks up a palette image’s colours', () => {
    const palette = [
      [0, 0, 0],
      [255, 0, 0, 128],
    ];
    const colour = scaleIntensities(image(1, [1, 0], 8, { indexed: true, palette } as Partial<RawImage>), 'none');
    expect(colour.channels).toBe(3);
    close(colour.pixels, [1, 0, 0, 0, 0, 0]);
  });
});

const nuclei = '../shared/data/nuclei';
const haveNuclei = existsSync(nuclei);
if (!haveNuclei) console.info(`intensity.test: ${nuclei} is absent, so the real-image test is skipped`);

describe.skipIf(!haveNuclei)('scaleIntensities on the real nuclei field', () => {
  it('stretches the field to the full range: objects sit further above the background than under plain scaling', () => {
    const raw = decodePng(readFileSync(`${nuclei}/nuclei.png`));
    const mask = decodePng(readFileSync(`${nuclei}/nuclei_mask.png`)).data;
    const contrast = (p: Float32Array) => {
      const sum = [0, 0];
      const count = [0, 0];
      p.forEach((v, i) => {
        sum[mask[i] ? 1 : 0] += v;
        count[mask[i] ? 1 : 0]++;
      });
      return sum[1] / count[1] - sum[0] / count[0];
    };
    const none = scaleIntensities(raw, 'none').pixels;
    const scaled = scaleIntensities(raw, 'image').pixels;
    expect(contrast(scaled)).toBeGreaterThan(contrast(none) * 1.1);
    expect(scaled.filter((v) => v === 0).length / scaled.length).toBeGreaterThanOrEqual(0.01);
    expect(scaled.filter((v) => v === 1).length / scaled.length).toBeGreaterThanOrEqual(0.002);
  });
});

const tiles = `${nuclei}/tiles`;

describe.skipIf(!existsSync(tiles))('percentileRange on the real nuclei tiles', () => {
  it('pooled over the 64 tiles is the whole field’s range (the tiles are the field cut up)', () => {
    const field = decodePng(readFileSync(`${nuclei}/nuclei.png`));
    const images = readdirSync(tiles)
      .filter((f) => f.endsWith('.png') && !f.endsWith('_mask.png'))
      .map((f) => decodePng(readFileSync(`${tiles}/${f}`)));
    expect(images.length).toBe(64);
    expect(percentileRange(images)).toEqual(percentileRange(field));
  });
});
