import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import { parseManifest } from '../src/data/manifest';
import { exampleFiles, OUT } from './exampleData';

describe('the example data set (public/examples/cells.json)', () => {
  const files = exampleFiles();

  it('is what scripts/exampleData.ts writes (run npm run example:data after changing it)', () => {
    for (const [path, body] of files) {
      const committed = readFileSync(join(OUT, path));
      expect(typeof body === 'string' ? committed.toString('utf8') : new Uint8Array(committed), path).toEqual(body);
    }
  });

  it('is a manifest the page reads, its files beside it', () => {
    const manifest = parseManifest(files.get('cells.json') as string, 'https://example.org/course/examples/cells.json');
    expect(manifest.name).toBe('example-cells');
    expect(manifest.pairs[7]).toEqual({
      image: 'https://example.org/course/examples/cells/cell8.png',
      mask: 'https://example.org/course/examples/cells/cell8_mask.png',
      split: 'val',
    });
    expect(manifest.settings?.model?.outputPrior).toBe(0.0001);
  });

  it('names each image and mask it ships, with two validation pairs', () => {
    const manifest = JSON.parse(files.get('cells.json') as string) as { pairs: { image: string; mask: string; split?: string }[] };
    expect(manifest.pairs).toHaveLength(8);
    expect(manifest.pairs.filter((p) => p.split === 'val')).toHaveLength(2);
    for (const pair of manifest.pairs) {
      expect(files.has(pair.image) && files.has(pair.mask), pair.image).toBe(true);
      const image = decode(files.get(pair.image) as Uint8Array);
      const mask = decode(files.get(pair.mask) as Uint8Array);
      expect([image.width, image.height, image.channels]).toEqual([mask.width, mask.height, 1]);
      // Mostly dark, as raw microscopy is, with objects in every mask.
      expect(Array.from(image.data).reduce((s, v) => s + v, 0) / image.data.length).toBeLessThan(60);
      expect(new Set(mask.data)).toEqual(new Set([0, 255]));
    }
  });
});
