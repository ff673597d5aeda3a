import { describe, expect, it } from 'vitest';
import { BACKEND_ORDER, type BackendReport } from '../src/backend/types';
import { parseExperimentConfig } from '../src/config/experimentConfig';
import { gpuRace } from '../src/losses/lesson';
import { estimateRaceMemory, judgeRaceMemory } from '../src/train/memoryEstimate';
import { gpuExperiment, gpuWon } from './gpuSetting';
import { openingExperiment } from './state';

const report = (backend: BackendReport['backend'], measured: boolean): BackendReport => ({
  backend,
  candidates: [],
  selfTest: { ok: true, detail: '' },
  ...(measured ? { measured: { stepsPerSecond: {}, text: '' } } : {}),
});

describe('the GPU setting', () => {
  // What the module sets is read from it, not restated: the test holds what a user would notice of it.
  it('is the opening race, heavier: larger images, a bigger batch, a wider net, more losses, the same collapsed start', () => {
    const gpu = gpuExperiment();
    const opening = openingExperiment();
    expect(gpu.data.size).toBeGreaterThan(opening.data.size);
    expect(gpu.batchSize).toBeGreaterThan(opening.batchSize);
    expect(gpu.model.width).toBeGreaterThan(opening.model.width);
    expect(gpu.model.outputPrior).toBe(opening.model.outputPrior);
    expect(gpu.optimizer).toEqual(opening.optimizer);
    expect(gpu.losses).toEqual(parseExperimentConfig({ ...opening, losses: gpuRace() }).losses);
    expect(gpu.losses.slice(0, opening.losses.length)).toEqual(opening.losses);
    expect(gpu.losses.length).toBeGreaterThan(opening.losses.length);
    // More memory than the opening race, yet a race a GPU can hold.
    expect(estimateRaceMemory(gpu).bytes).toBeGreaterThan(estimateRaceMemory(opening).bytes);
    expect(judgeRaceMemory(gpu, 'webgpu').level).not.toBe('refuse');
  });

  it('is offered only when a GPU won the timing, not when it was the only one or asked for', () => {
    expect(gpuWon(report('webgpu', true))).toBe(true);
    expect(gpuWon(report('webgl', true))).toBe(true);
    expect(gpuWon(report('wasm', true))).toBe(false);
    for (const backend of BACKEND_ORDER) expect(gpuWon(report(backend, false)), backend).toBe(false);
    expect(gpuWon(null)).toBe(false);
  });
});
