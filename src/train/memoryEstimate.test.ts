import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/experimentConfig';
import { ARCHITECTURE_IDS } from '../model/architectures';
import { estimateRaceMemory, importedBytesOf, judgeRaceMemory } from './memoryEstimate';

const heaviest = parseExperimentConfig({
  batchSize: 64,
  data: { size: 64, train: 2048, val: 512 },
  model: { depth: 'unet', width: 32 },
  losses: [{ id: 'bce' }, { id: 'logJaccard' }, { id: 'softJaccard' }, { id: 'softDice' }, { id: 'focal' }, { id: 'lovaszHinge' }],
});

describe('race memory estimate', () => {
  it('the default race is small and passes without a word', () => {
    const verdict = judgeRaceMemory(parseExperimentConfig({}), 'wasm');
    expect(verdict.level).toBe('ok');
    expect(verdict.estimate.bytes).toBeLessThan(50e6);
  });

  it('the heaviest allowed race is warned about, and the batch size, image size or width are named', () => {
    const verdict = judgeRaceMemory(heaviest, 'wasm');
    expect(verdict.level).toBe('warn');
    // Measured in Node: the wasm heap reached 1.4 GB for one run of these settings with 256 + 64 images.
    expect(verdict.estimate.bytes).toBeGreaterThan(1.4e9);
    expect(verdict.estimate.bytes).toBeLessThan(3e9);
    expect(verdict.estimate.lower).toBe('the batch size, the image size or the width');
  });

  it.each(ARCHITECTURE_IDS)('%s: the heaviest allowed race is warned about on wasm, not refused', (depth) => {
    const verdict = judgeRaceMemory(parseExperimentConfig({ ...heaviest, model: { depth, width: 32 } }), 'wasm');
    expect(verdict.level).toBe('warn');
  });

  it('the deep net is estimated above the wasm heap it was measured to reach', () => {
    // npm run bench:memory's measure in Node: 1.61 GB for batch 64, width 32, 64 px (the shallow net: 0.82 GB).
    const deep = estimateRaceMemory(parseExperimentConfig({ batchSize: 64, data: { size: 64 }, model: { depth: 'deep', width: 32 } }));
    expect(deep.bytes).toBeGreaterThan(1.61e9);
    expect(deep.bytes).toBeLessThan(1.61e9 * 1.25);
  });

  it('above what the backend holds it refuses, with the size, the limit and the setting to lower', () => {
    const verdict = judgeRaceMemory(heaviest, 'webgl', 1e9);
    expect(verdict.level).toBe('refuse');
    expect(verdict.level === 'refuse' && verdict.message).toMatch(
      /^These settings need about [12]\.\d GB, more than the webgl backend can hold here \(1\.0 GB\)\. Lower the batch size, the image size or the width\.$/,
    );
  });

  it('grows with batch, width and images, and not with the number of losses beyond their weights', () => {
    const base = parseExperimentConfig({ data: { size: 64 } });
    const bytes = (c: object) =>
      estimateRaceMemory(parseExperimentConfig({ ...c, data: { size: 64, ...(c as { data?: object }).data } })).bytes;
    expect(bytes({ batchSize: 16 })).toBeGreaterThan(1.3 * estimateRaceMemory(base).bytes);
    expect(bytes({ model: { width: 16 } })).toBeGreaterThan(1.3 * estimateRaceMemory(base).bytes);
    expect(bytes({ data: { train: 2048 } })).toBeGreaterThan(estimateRaceMemory(base).bytes);
    const six = bytes({ losses: [{ id: 'bce' }, { id: 'bce' }, { id: 'bce' }, { id: 'bce' }, { id: 'bce' }, { id: 'bce' }] });
    expect(six / estimateRaceMemory(base).bytes).toBeLessThan(1.05);
  });

  it('counts the data: more with three input channels, and an import’s own pixels', () => {
    const grey = estimateRaceMemory(parseExperimentConfig({ data: { size: 64 } }));
    const colour = estimateRaceMemory(parseExperimentConfig({ data: { size: 64, channels: 3 } }));
    // 320 images of 64 px: 4 more float32 levels per pixel (device and JS), and the first layer's wider kernels.
    expect(colour.parts.datasets - grey.parts.datasets).toBe(320 * 64 * 64 * 16);
    expect(colour.parts.weights).toBeGreaterThan(grey.parts.weights);
    const imported = importedBytesOf({ pairs: [100, 100].map((width) => ({ width, height: 50 })), channels: 3 });
    expect(imported).toBe(2 * 100 * 50 * 13);
    expect(estimateRaceMemory(parseExperimentConfig({ data: { size: 64, channels: 3 } }), imported).bytes).toBe(colour.bytes + imported);
  });

  it('a race with many images and a small net names the image counts', () => {
    const many = parseExperimentConfig({ batchSize: 1, data: { size: 64, train: 2048, val: 512 }, model: { width: 4 } });
    expect(estimateRaceMemory(many).lower).toBe('the number of training and validation images, or the image size');
  });
});
