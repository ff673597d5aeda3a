import { describe, expect, it } from 'vitest';
import { summarize } from './datasetSummary';
import type { ImportedDataset, ImportedPair } from './importedData';

const pair = (name: string, width: number, height: number, objectPixels: number, split: ImportedPair['split']): ImportedPair => {
  const labels = new Uint8Array(width * height);
  labels.fill(1, 0, objectPixels);
  return { name, split, width, height, image: new Float32Array(width * height), labels };
};

const imported = (pairs: ImportedPair[]): ImportedDataset => ({
  name: 'test',
  pairs,
  channels: 1,
  classes: 2,
  maskKind: 'binary',
  hash: 'h',
  bytes: 0,
  problems: [],
});

describe('summarize', () => {
  it('counts the split, the sizes, the foreground share and the empty masks', () => {
    const s = summarize(
      imported([pair('a', 10, 10, 50, 'train'), pair('b', 20, 10, 0, 'val'), pair('c', 8, 8, 0, null), pair('d', 10, 10, 10, null)]),
    );
    expect(s).toEqual({
      pairs: 4,
      train: 1,
      val: 1,
      unsplit: 2,
      minSize: [8, 8],
      maxSize: [20, 10],
      channels: 1,
      classes: 2,
      foreground: 60 / (100 + 200 + 64 + 100),
      emptyShare: 0.5,
      maskKind: 'binary',
    });
  });

  it('gives zeros, not NaN, for no pairs', () => {
    const s = summarize(imported([]));
    expect(s.foreground).toBe(0);
    expect(s.emptyShare).toBe(0);
    expect(s.minSize).toEqual([0, 0]);
  });
});
