import { describe, expect, it } from 'vitest';
import { decodeTiff } from './decodeTiff';

/** A minimal uncompressed little-endian TIFF, one strip: enough to test the decoding without committing files. */
function tiff(o: {
  width: number;
  height: number;
  bits: number;
  channels: number;
  photometric: number;
  samples: number[];
  colourMap?: number[];
  pages?: number;
}) {
  const bytesPerSample = o.bits === 16 ? 2 : 1;
  const pixels = new Uint8Array(o.samples.length * bytesPerSample);
  const pv = new DataView(pixels.buffer);
  o.samples.forEach((v, i) => (o.bits === 16 ? pv.setUint16(2 * i, v, true) : pv.setUint8(i, v)));
  const tags: [number, number, number[]][] = [
    [256, 3, [o.width]],
    [257, 3, [o.height]],
    [258, 3, [o.bits]],
    [259, 3, [1]],
    [262, 3, [o.photometric]],
    [273, 4, [0]],
    [277, 3, [o.channels]],
    [278, 3, [o.height]],
    [279, 4, [pixels.length]],
    ...(o.colourMap ? [[320, 3, o.colourMap] as [number, number, number[]]] : []),
  ];
  const ifdSize = 2 + tags.length * 12 + 4;
  const extra = tags.filter(([, , v]) => v.length * 2 > 4).reduce((s, [, , v]) => s + v.length * 2, 0);
  const pages = o.pages ?? 1;
  const pageSize = ifdSize + extra + pixels.length;
  const out = new Uint8Array(8 + pageSize * pages);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, 0x4949);
  dv.setUint16(2, 42, true);
  dv.setUint32(4, 8, true);
  for (let p = 0; p < pages; p++) {
    const ifd = 8 + p * pageSize;
    let extraAt = ifd + ifdSize;
    const pixelsAt = extraAt + extra;
    dv.setUint16(ifd, tags.length, true);
    tags.forEach(([tag, type, values], k) => {
      const at = ifd + 2 + 12 * k;
      dv.setUint16(at, tag, true);
      dv.setUint16(at + 2, type, true);
      dv.setUint32(at + 4, values.length, true);
      const vs = tag === 273 ? [pixelsAt] : values;
      if (type === 4) dv.setUint32(at + 8, vs[0], true);
      else if (vs.length * 2 <= 4) vs.forEach((v, i) => dv.setUint16(at + 8 + 2 * i, v, true));
      else {
        dv.setUint32(at + 8, extraAt, true);
        vs.forEach((v, i) => dv.setUint16(extraAt + 2 * i, v, true));
        extraAt += vs.length * 2;
      }
    });
    dv.setUint32(ifd + 2 + tags.length * 12, p + 1 < pages ? 8 + (p + 1) * pageSize : 0, true);
    out.set(pixels, pixelsAt);
  }
  return out;
}

describe('decodeTiff', () => {
  it('decodes 8-bit grey and 16-bit grey, the first page of a stack', async () => {
    const grey8 = await decodeTiff(tiff({ width: 2, height: 2, bits: 8, channels: 1, photometric: 1, samples: [0, 50, 100, 255] }));
    expect(grey8).toMatchObject({ width: 2, height: 2, channels: 1, depth: 8 });
    expect(Array.from(grey8.data)).toEqual([0, 50, 100, 255]);
    const stack = tiff({ width: 3, height: 1, bits: 16, channels: 1, photometric: 1, samples: [0, 1000, 65535], pages: 3 });
    const grey16 = await decodeTiff(stack);
    expect(grey16).toMatchObject({ width: 3, height: 1, channels: 1, depth: 16 });
    expect(grey16.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(grey16.data)).toEqual([0, 1000, 65535]);
  });

  it('decodes interleaved RGB', async () => {
    const raw = await decodeTiff(tiff({ width: 2, height: 1, bits: 8, channels: 3, photometric: 2, samples: [255, 0, 0, 0, 0, 255] }));
    expect(raw).toMatchObject({ channels: 3, depth: 8 });
    expect(Array.from(raw.data)).toEqual([255, 0, 0, 0, 0, 255]);
  });

  it('gives a palette TIFF’s indices with its palette in 8 bits', async () => {
    const colourMap = Array.from({ length: 3 * 256 }, (_, i) => (i === 1 ? 65535 : 0));
    const raw = await decodeTiff(tiff({ width: 3, height: 1, bits: 8, channels: 1, photometric: 3, samples: [0, 1, 2], colourMap }));
    expect(raw).toMatchObject({ channels: 1, depth: 8, indexed: true });
    expect(Array.from(raw.data)).toEqual([0, 1, 2]);
    expect(raw.palette?.[1]).toEqual([255, 0, 0]);
  });

  it('throws an Error for bytes that are not a TIFF, or a truncated one', async () => {
    await expect(decodeTiff(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).rejects.toThrow(Error);
    const whole = tiff({ width: 4, height: 4, bits: 8, channels: 1, photometric: 1, samples: new Array(16).fill(1) });
    await expect(decodeTiff(whole.slice(0, 20))).rejects.toThrow(Error);
  });
});
