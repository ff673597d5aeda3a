import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { ImportedDataset, ImportedPair } from '../data/importedData';
import { createRng } from '../random/prng';
import { useBackend } from '../testing/backends';
import { readResults } from '../train/resultsFile';
import { LandscapeSession } from './landscapeSession';
import { RaceSession } from './raceSession';

/** A pair of `side` px: a bright disk in the red channel on a dim, noisy background. */
function pair(name: string, side: number, seed: number, split: ImportedPair['split'] = null): ImportedPair {
  const rng = createRng(seed);
  const [cx, cy, r] = [rng.uniform(8, side - 8), rng.uniform(8, side - 8), rng.uniform(3, 6)];
  const labels = new Uint8Array(side * side);
  const image = new Float32Array(side * side * 3);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const p = y * side + x;
      labels[p] = (x - cx) ** 2 + (y - cy) ** 2 <= r * r ? 1 : 0;
      image.set(
        [0.1 + 0.8 * labels[p], 0.3, 0.2 + 0.1 * labels[p]].map((v) => v + 0.05 * rng.normal()),
        3 * p,
      );
    }
  return { name, split, width: side, height: side, image, labels };
}

/** A small colour data set built by hand, as an import would give it (one pair too small for 16 px). */
const imported = (hash: string): ImportedDataset => ({
  name: 'disks',
  pairs: [...Array.from({ length: 6 }, (_, i) => pair(`cells/img${i}`, 40, i + 1)), pair('cells/tiny', 12, 9)],
  channels: 3,
  classes: 2,
  maskKind: 'binary',
  hash,
  bytes: 1234,
  problems: [],
});

const config = {
  evalEvery: 5,
  batchSize: 4,
  data: { source: 'local:disks', channels: 3, size: 16, train: 32, val: 8, valShare: 0.35 },
  losses: [{ id: 'softJaccard' }, { id: 'bce' }],
};

describe('a race on imported images in the worker', { timeout: 120_000 }, () => {
  beforeAll(() => useBackend('wasm'));

  it('needs the data set loaded, and says so', async () => {
    const session = new RaceSession(() => {});
    await expect(session.configure(config)).rejects.toThrow(
      /^data\.source: local:disks names imported images, but no data set is loaded in the engine/,
    );
    await expect(session.configure({ ...config, data: { ...config.data, source: 'nuclei' } })).rejects.toThrow(
      /^data\.source: data=“nuclei” is not a data source/,
    );
    await session.dispose();
  });

  it('trains and evaluates on the import’s crops and tiles, records the data set in its results, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const session = new RaceSession(() => {});
    await session.useDataset(imported('a'.repeat(64)));
    const phases: string[] = [];
    const info = await session.configure(config, (p) => phases.push(p.phase));
    expect(phases).toContain('images');
    expect(info.channels).toBe(3);
    // One grey level per pixel, as the thumbnails draw them, from the three channels.
    expect(info.previewImages).toHaveLength(info.previewLabels.length);
    expect(info.dataProblems).toEqual([expect.objectContaining({ file: 'cells/tiny', severity: 'error' })]);
    for (let i = 0; i < 12; i++) await session.step();
    const results = readResults(JSON.parse(JSON.stringify(session.results())));
    expect(results.dataset).toEqual({ source: 'local:disks', name: 'disks', pairs: 7, hash: 'a'.repeat(64) });
    expect(results.runs[1].val.step).toEqual([0, 5, 10]);
    expect(results.runs[1].history.loss.at(-1)).toBeLessThan(results.runs[1].history.loss[0]);

    // The landscape evaluates the same validation tiles, in three channels.
    const landscapes = new LandscapeSession((s) => session.landscapeSource(s), session.trail);
    const slice = await landscapes.compute({ grid: 3, path: 3 }, true, () => {});
    expect(slice.runs[1].slice.iou[4]).toBeCloseTo(session.results().runs[1].final.valIoU ?? NaN, 5);
    // Built again, trained, looked at: the same tensors each time.
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await session.configure(config);
      await session.step();
      await landscapes.compute({ grid: 3, path: 3 }, true, () => {});
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    await session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives up a race built on other data when the data set changes; the same data keeps it', async () => {
    const session = new RaceSession(() => {});
    await session.useDataset(imported('b'.repeat(64)));
    await session.configure(config);
    await session.useDataset(imported('b'.repeat(64)));
    await expect(session.step()).resolves.toBeUndefined();
    await session.useDataset(imported('c'.repeat(64)));
    await expect(session.step()).rejects.toThrow('no race configured yet');
    await session.configure(config);
    expect(session.results().dataset.hash).toBe('c'.repeat(64));
    // Synthetic shapes need no data set: letting it go drops the imported race, and a synthetic one builds.
    await session.useDataset(null);
    await expect(session.step()).rejects.toThrow('no race configured yet');
    await session.configure({ ...config, data: { size: 16, train: 32, val: 8 } });
    expect(session.results().dataset).toEqual({ source: 'synthetic' });
    await session.dispose();
  });
});
