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

  it('six runs of the heaviest settings are refused on webgpu (one stacked net: their activations alive at once), naming what to lower', () => {
    const verdict = judgeRaceMemory(heaviest, 'webgpu');
    expect(verdict.level).toBe('refuse');
    expect(verdict.estimate.lower).toBe('the batch size, the image size or the width');
  });

  it('on wasm each run of the heaviest settings steps alone (jointWork.ts): one run’s training activations at a time', () => {
    const six = judgeRaceMemory(heaviest, 'wasm');
    const one = judgeRaceMemory(parseExperimentConfig({ ...heaviest, losses: heaviest.losses.slice(0, 1) }), 'wasm');
    expect(six.level).toBe('warn');
    expect(six.estimate.bytes).toBeLessThan(judgeRaceMemory(heaviest, 'webgpu').estimate.bytes / 2);
    // What grows with the runs there: their weights and the evaluation's forward passes, not the training step's.
    expect(six.estimate.parts.weights).toBe(6 * one.estimate.parts.weights);
  });

  it.each(ARCHITECTURE_IDS)('%s: one run of the heaviest settings is warned about on wasm, not refused', (depth) => {
    const verdict = judgeRaceMemory(parseExperimentConfig({ ...heaviest, model: { depth, width: 32 }, losses: [{ id: 'bce' }] }), 'wasm');
    expect(verdict.level).toBe('warn');
  });

  it('is at or above what the engine was measured to hold, stacked or not, within a half', () => {
    // npm run bench:memory (wasm in Node; the heap's growth, and the tensors' peak below it): batch 16, width 16,
    // 64 px, 64 + 32 images, the first K losses of the heaviest race.
    const measured: [object, number][] = [
      [{ model: { depth: 'shallow', width: 16 }, losses: heaviest.losses.slice(0, 1) }, 84e6],
      [{ model: { depth: 'shallow', width: 16 }, losses: heaviest.losses.slice(0, 6) }, 514e6],
      [{ model: { depth: 'unet', width: 16 }, losses: heaviest.losses.slice(0, 4) }, 667e6],
      [{ model: { depth: 'unet', width: 16 }, losses: heaviest.losses.slice(0, 6) }, 985e6],
    ];
    for (const [input, heap] of measured) {
      const bytes = estimateRaceMemory(parseExperimentConfig({ batchSize: 16, data: { size: 64, train: 64, val: 32 }, ...input })).bytes;
      expect(bytes).toBeGreaterThanOrEqual(heap);
      expect(bytes).toBeLessThan(heap * 1.5);
    }
  });

  it('above what the backend holds it refuses, with the size, the limit and the setting to lower', () => {
    const verdict = judgeRaceMemory(heaviest, 'webgl', 1e9);
    expect(verdict.level).toBe('refuse');
    expect(verdict.level === 'refuse' && verdict.message).toMatch(
      /^These settings need about \d+\.\d GB, more than the webgl backend can hold here \(1\.0 GB\)\. Lower the batch size, the image size or the width\.$/,
    );
  });

  it('grows with batch, width and images, and with the number of runs: K stacked weight sets and their activations', () => {
    const base = parseExperimentConfig({ data: { size: 64 }, losses: [{ id: 'bce' }] });
    const bytes = (c: object) =>
      estimateRaceMemory(parseExperimentConfig({ losses: [{ id: 'bce' }], ...c, data: { size: 64, ...(c as { data?: object }).data } }));
    const one = estimateRaceMemory(base);
    expect(bytes({ batchSize: 16 }).bytes).toBeGreaterThan(1.3 * one.bytes);
    expect(bytes({ model: { width: 16 } }).bytes).toBeGreaterThan(1.3 * one.bytes);
    expect(bytes({ data: { train: 2048 } }).bytes).toBeGreaterThan(one.bytes);
    const six = bytes({ losses: Array.from({ length: 6 }, () => ({ id: 'bce' })) });
    expect(six.parts.activations).toBe(6 * one.parts.activations);
    expect(six.parts.weights).toBe(6 * one.parts.weights);
    expect(six.parts.datasets).toBe(one.parts.datasets);
    // Adam keeps two slots per parameter, SGD with momentum one: each run's parameters twice, its gradient, the slots.
    const adam = bytes({ optimizer: { name: 'adam' } });
    expect(adam.parts.weights / one.parts.weights).toBe(5 / 4);
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
