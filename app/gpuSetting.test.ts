import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../src/backend/types';
import { judgeRaceMemory } from '../src/train/memoryEstimate';
import { gpuExperiment, gpuWon } from './gpuSetting';
import { openingExperiment } from './state';

const report = (backend: BackendReport['backend'], measured: boolean): BackendReport => ({
  backend,
  candidates: [],
  selfTest: { ok: true, detail: '' },
  ...(measured ? { measured: { stepsPerSecond: {}, text: '' } } : {}),
});

describe('the GPU setting', () => {
  it('is the opening race, heavier: 64 px, batch 32, a U-Net of width 16, six losses, the same collapsed start', () => {
    const gpu = gpuExperiment();
    const opening = openingExperiment();
    expect(gpu.data.size).toBe(64);
    expect(gpu.batchSize).toBe(32);
    expect(gpu.model).toMatchObject({ width: 16, depth: 'unet', outputPrior: opening.model.outputPrior });
    expect(gpu.optimizer).toEqual(opening.optimizer);
    expect(gpu.losses).toHaveLength(6);
    expect(gpu.losses.slice(0, 3)).toEqual(opening.losses);
    expect(judgeRaceMemory(gpu, 'webgpu').level).not.toBe('refuse');
  });

  it('is offered only when a GPU won the timing, not when it was the only one or asked for', () => {
    expect(gpuWon(report('webgpu', true))).toBe(true);
    expect(gpuWon(report('webgl', true))).toBe(true);
    expect(gpuWon(report('wasm', true))).toBe(false);
    expect(gpuWon(report('webgpu', false))).toBe(false);
    expect(gpuWon(null)).toBe(false);
  });
});
