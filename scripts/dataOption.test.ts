import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../src/config/experimentConfig';
import { loadDataDir } from './dataOption';

const TILES = '../shared/data/nuclei/tiles';
const FIRST_PAGE = parseExperimentConfig(JSON.parse(readFileSync('public/examples/first-page.json', 'utf8')));

const load = async (dir: string) => {
  const lines: string[] = [];
  const loaded = await loadDataDir(dir, FIRST_PAGE, (line) => lines.push(line));
  if (typeof loaded === 'string') throw new Error(loaded);
  return { ...loaded, lines };
};

describe('--data DIR (loadDataDir)', () => {
  it('imports the example cells for the config, recording the folder as the source', async () => {
    const { config, dataset, imported, lines } = await load('public/examples/cells');
    expect(imported.pairs).toHaveLength(8);
    expect(config.data).toMatchObject({ source: 'dir:cells', channels: 1, classes: 2, size: 32 });
    expect(config.losses.map((l) => l.id)).toEqual(['softJaccard', 'logJaccard', 'bce']);
    expect(dataset.train.count).toBe(config.data.train);
    expect(dataset.channels).toBe(1);
    expect(lines[0]).toMatch(/^data cells: 8 pairs \(split by seed\), 64 × 64, grey, 2 classes \(binary masks\)/);
    expect(lines[1]).toMatch(/^race sets: 256 training and \d+ validation images of 32 × 32/);
  });

  it('stops with the config’s own words when its losses do not suit the masks', async () => {
    const three = parseExperimentConfig({ data: { classes: 3 }, losses: [{ id: 'ce' }] });
    const loaded = await loadDataDir('public/examples/cells', three, () => {});
    expect(loaded).toMatch(/^--data public\/examples\/cells: with these masks the config does not hold: losses\[0\]/);
  });

  // The real data the claim is measured on: shared with the project, never committed.
  describe.skipIf(!existsSync(TILES))('on the nuclei tiles', () => {
    it('imports all 64 pairs of 64 × 64 as binary grey, without a problem', async () => {
      const { config, dataset, imported, lines } = await load(TILES);
      expect(imported.pairs).toHaveLength(64);
      expect(imported.problems).toEqual([]);
      expect([imported.channels, imported.classes, imported.maskKind]).toEqual([1, 2, 'binary']);
      expect(imported.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(config.data.source).toBe('dir:tiles');
      expect(dataset.size).toBe(32);
      expect(dataset.train.count).toBe(256);
      expect(dataset.val.count).toBeGreaterThan(0);
      // The default scaling takes one percentile range over all the tiles (one field of view): together they span
      // [0, 1], and a tile keeps its brightness relative to the others.
      const lows = imported.pairs.map((p) => Math.min(...p.image));
      const highs = imported.pairs.map((p) => Math.max(...p.image));
      expect([Math.min(...lows), Math.max(...highs)]).toEqual([0, 1]);
      expect(Math.min(...highs)).toBeLessThan(1);
      expect(lines).toHaveLength(2);
    });
  });
  if (!existsSync(TILES)) console.warn(`skipped the nuclei tiles: ${TILES} is absent (shared data, not in the project)`);
});
