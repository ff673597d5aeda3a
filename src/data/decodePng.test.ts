import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodePng } from './decodePng';

const palette = [
  [0, 0, 0],
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
];

describe('decodePng', () => {
  it('gives a palette PNG’s indices, not its colours, with the palette beside them', () => {
    const png = encode({ width: 3, height: 2, data: new Uint8Array([0, 1, 2, 3, 1, 0]), depth: 8, channels: 1, palette });
    const raw = decodePng(png);
    expect(raw).toMatchObject({ width: 3, height: 2, channels: 1, depth: 8, indexed: true });
    expect(Array.from(raw.data)).toEqual([0, 1, 2, 3, 1, 0]);
    expect(raw.palette?.[1]).toEqual([255, 0, 0]);
  });

  it('unpacks a 2-bit palette PNG into one index per pixel', () => {
    // Rows start on a byte: 3 pixels of 2 bits → one byte per row, high bits first.
    const packed = new Uint8Array([0b00011000, 0b11010000]);
    const raw = decodePng(encode({ width: 3, height: 2, data: packed, depth: 2, channels: 1, palette }));
    expect(Array.from(raw.data)).toEqual([0, 1, 2, 3, 1, 0]);
    expect(raw.indexed).toBe(true);
  });

  it('stretches a 1-bit grey PNG to 0 and 255', () => {
    const raw = decodePng(encode({ width: 4, height: 1, data: new Uint8Array([0b10100000]), depth: 1, channels: 1 }));
    expect(raw).toMatchObject({ depth: 8, channels: 1 });
    expect(Array.from(raw.data)).toEqual([255, 0, 255, 0]);
  });

  it('keeps 16-bit samples and RGBA channels as they are', () => {
    const grey16 = decodePng(encode({ width: 2, height: 1, data: new Uint16Array([0, 60000]), depth: 16, channels: 1 }));
    expect(grey16).toMatchObject({ depth: 16, channels: 1 });
    expect(Array.from(grey16.data)).toEqual([0, 60000]);
    const rgba = decodePng(encode({ width: 1, height: 1, data: new Uint8Array([1, 2, 3, 4]), depth: 8, channels: 4 }));
    expect(rgba).toMatchObject({ depth: 8, channels: 4 });
    expect(rgba.indexed).toBeUndefined();
  });

  it('throws an Error for a corrupt PNG', () => {
    const png = encode({ width: 8, height: 8, data: new Uint8Array(64), depth: 8, channels: 1 });
    expect(() => decodePng(png.slice(0, 30))).toThrow(Error);
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(Error);
  });
});
