import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import { nodeDecoder } from './nodeDecoder';

describe('nodeDecoder', () => {
  it('decodes a PNG in Node', async () => {
    const png = encode({ width: 3, height: 2, data: Uint16Array.from([0, 1, 2, 3, 4, 65535]), channels: 1, depth: 16 });
    expect(await nodeDecoder(png, 'png')).toMatchObject({
      width: 3,
      height: 2,
      channels: 1,
      depth: 16,
      data: Uint16Array.from([0, 1, 2, 3, 4, 65535]),
    });
  });

  it('hands a TIFF to the TIFF decoder, whose errors say what is wrong', async () => {
    await expect(nodeDecoder(new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0]), 'tiff')).rejects.toThrow(Error);
  });

  it.each(['jpeg', 'webp', 'bmp', 'gif'] as const)('says that %s is decoded in the browser only', async (format) => {
    await expect(nodeDecoder(new Uint8Array(16), format)).rejects.toThrow(
      `${format.toUpperCase()} is decoded in the browser only; convert to PNG or TIFF for the command line`,
    );
  });
});
