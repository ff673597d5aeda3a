import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from './imageHeader';

/** Bytes from a list of pieces: numbers are bytes, strings ASCII. */
const bytes = (...parts: (number | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [p])));
const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const le32 = (v: number) => [...le16(v & 0xffff), ...le16((v >>> 16) & 0xffff)];
const be32 = (v: number) => [...be16((v >>> 16) & 0xffff), ...be16(v & 0xffff)];

const jpeg = (width: number, height: number) =>
  bytes(
    ...[0xff, 0xd8],
    // An APP0 (JFIF) segment before the frame, skipped by its length.
    ...[0xff, 0xe0, ...be16(16), ...'JFIF\0'.split(''), 1, 1, 0, 0, 1, 0, 1, 0, 0],
    ...[0xff, 0xc2, ...be16(11), 8, ...be16(height), ...be16(width), 1, 1, 0x11, 0],
  );
const gif = (width: number, height: number) => bytes('GIF89a', ...le16(width), ...le16(height), 0, 0, 0);
const bmp = (width: number, height: number) =>
  bytes('BM', ...le32(0), ...le32(0), ...le32(54), ...le32(40), ...le32(width), ...le32(height));
const webpLossy = (width: number, height: number) =>
  bytes('RIFF', ...le32(30), 'WEBP', 'VP8 ', ...le32(18), 0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height));
const webpLossless = (width: number, height: number) => {
  const bits = (width - 1) | ((height - 1) << 14);
  return bytes('RIFF', ...le32(30), 'WEBP', 'VP8L', ...le32(5), 0x2f, ...le32(bits));
};
const webpExtended = (width: number, height: number) =>
  bytes('RIFF', ...le32(30), 'WEBP', 'VP8X', ...le32(10), 0, 0, 0, 0, ...le32(width - 1).slice(0, 3), ...le32(height - 1).slice(0, 3));
// One directory of three entries: a tag it skips, then ImageWidth as SHORT and ImageLength as LONG.
const tiffLittle = (width: number, height: number) =>
  bytes(
    'II*\0',
    ...le32(8),
    ...le16(3),
    ...[...le16(254), ...le16(4), ...le32(1), ...le32(0)],
    ...[...le16(256), ...le16(3), ...le32(1), ...le16(width), 0, 0],
    ...[...le16(257), ...le16(4), ...le32(1), ...le32(height)],
    ...le32(0),
  );
const tiffBig = (width: number, height: number) =>
  bytes(
    'MM\0*',
    ...be32(8),
    ...be16(2),
    ...[...be16(256), ...be16(4), ...be32(1), ...be32(width)],
    ...[...be16(257), ...be16(3), ...be32(1), ...be16(height), 0, 0],
    ...be32(0),
  );

describe('readImageHeader', () => {
  it.each([
    ['png', encode({ width: 7, height: 5, data: new Uint8Array(35), channels: 1 })],
    ['jpeg', jpeg(7, 5)],
    ['gif', gif(7, 5)],
    ['bmp', bmp(7, -5)],
    ['webp', webpLossy(7, 5)],
    ['webp', webpLossless(7, 5)],
    ['webp', webpExtended(7, 5)],
    ['tiff', tiffLittle(7, 5)],
    ['tiff', tiffBig(7, 5)],
  ] as const)('reads %s: format and 7 × 5 from the header', (format, file) => {
    expect(readImageHeader(file)).toEqual({ format, width: 7, height: 5 });
  });

  it('reads a bomb’s size without decoding it: a 60000 × 60000 PNG header is a few bytes', () => {
    const png = encode({ width: 1, height: 1, data: new Uint8Array(1), channels: 1 });
    new DataView(png.buffer).setUint32(16, 60000);
    new DataView(png.buffer).setUint32(20, 60000);
    expect(readImageHeader(png)).toEqual({ format: 'png', width: 60000, height: 60000 });
  });

  it('reads headers inside a larger buffer (a subarray)', () => {
    const outer = new Uint8Array(100);
    outer.set(gif(3, 4), 10);
    expect(readImageHeader(outer.subarray(10, 23))).toEqual({ format: 'gif', width: 3, height: 4 });
  });

  it.each([
    ['text', new TextEncoder().encode('name,value\n')],
    ['empty', new Uint8Array(0)],
    ['zip', bytes('PK', 3, 4, 0, 0)],
  ])('null for a file that is no image (%s)', (_, file) => {
    expect(readImageHeader(file)).toBeNull();
  });

  it.each([
    [
      'PNG cut inside its header',
      encode({ width: 7, height: 5, data: new Uint8Array(35), channels: 1 }).slice(0, 18),
      /PNG header is cut short/,
    ],
    ['PNG without IHDR first', bytes(0x89, 'PNG\r\n', 0x1a, '\n', ...be32(13), 'IEND'), /no IHDR/],
    ['JPEG without a frame', bytes(0xff, 0xd8, 0xff, 0xd9), /JPEG header is cut short/],
    ['GIF of size 0', gif(0, 5), /gives no size/],
    ['BigTIFF', bytes('II+\0', 8, 0), /BigTIFF/],
  ])('throws for a broken header: %s', (_, file, message) => {
    expect(() => readImageHeader(file)).toThrow(message);
  });
});
