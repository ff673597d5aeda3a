import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { browserDecoder } from './browserDecoder';

describe('browserDecoder', () => {
  it('reads a PNG with our decoder: 16-bit samples kept, not squeezed through a canvas', async () => {
    const png = encode({ width: 2, height: 1, channels: 1, depth: 16, data: new Uint16Array([1000, 60000]) });
    const raw = await browserDecoder(png, 'png');
    expect(raw).toMatchObject({ width: 2, height: 1, channels: 1, depth: 16 });
    expect(Array.from(raw.data)).toEqual([1000, 60000]);
  });

  it('says, without the path, when the browser cannot decode a format of its own', async () => {
    // Node has no createImageBitmap: the same words as a browser that fails on a damaged file.
    await expect(browserDecoder(new Uint8Array([0xff, 0xd8, 0xff]), 'jpeg')).rejects.toThrow(/^this browser could not decode it as JPEG/);
  });
});
