import { describe, expect, it } from 'vitest';
import { useBackend, webGpuMissing } from '../testing/backends';
import { backendCapabilities, capabilitiesOf } from './capabilities';
import { BACKEND_ORDER } from './types';

describe('backend capabilities', () => {
  it('gives the kernels of our own, stacked runs and the one-kernel optimiser to webgpu alone', () => {
    for (const name of BACKEND_ORDER) {
      const c = capabilitiesOf(name);
      expect([c.ownKernels, c.stackedRuns, c.oneKernelOptimizer], name).toEqual(Array(3).fill(name === 'webgpu'));
    }
  });

  it('a backend it does not know takes the portable paths', () => {
    const c = capabilitiesOf('someday');
    expect([c.ownKernels, c.stackedRuns, c.oneKernelOptimizer, c.batchedResizeGradient]).toEqual([false, false, false, true]);
  });

  it('reads the active backend: cpu has a native weight gradient but a wrong batched resize gradient; wasm has no native weight gradient', async () => {
    await useBackend('cpu');
    expect(backendCapabilities()).toMatchObject({ name: 'cpu', nativeFilterGradient: true, batchedResizeGradient: false });
    await useBackend('wasm');
    expect(backendCapabilities()).toMatchObject({ name: 'wasm', nativeFilterGradient: false, batchedResizeGradient: true });
  });

  it('webgpu runs the kernels of our own and keeps tfjs’s weight gradient (conv2d takes the forward form on wasm alone)', async () => {
    if (await webGpuMissing('webgpu capabilities')) return;
    await useBackend('webgpu');
    expect(backendCapabilities()).toMatchObject({
      name: 'webgpu',
      ownKernels: true,
      nativeFilterGradient: true,
      batchedResizeGradient: true,
    });
  });
});
