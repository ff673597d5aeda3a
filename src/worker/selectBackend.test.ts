import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { nodeLoaders } from '../backend/nodeLoaders';
import { selectBackend } from './selectBackend';

describe('backend selection in Node', () => {
  it('skips the GPU backends with a reason, verifies wasm and takes it', async () => {
    const report = await selectBackend({ loaders: nodeLoaders });
    expect(report.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.selfTest.ok).toBe(true);
    expect(report.candidates.map((c) => [c.name, c.status])).toEqual([
      ['webgpu', 'skipped'],
      ['webgl', 'skipped'],
      ['wasm', 'chosen'],
      ['cpu', 'not tried'],
    ]);
    expect(report.candidates[0].reason).toMatch(/not available/);
  });

  it('an unusable requested backend gives a notice and the automatic choice', async () => {
    const report = await selectBackend({ loaders: nodeLoaders, requested: 'webgl' });
    expect(report.backend).toBe('wasm');
    expect(report.requestNotice).toMatch(/requested backend 'webgl' is not usable here .*; using the automatic choice/);
  });

  it('a backend that fails to initialise is recorded and the next one is used', async () => {
    const report = await selectBackend({
      loaders: { ...nodeLoaders, wasm: () => Promise.reject(new Error('wasm file not found')) },
      order: ['wasm', 'cpu'],
    });
    expect(report.backend).toBe('cpu');
    expect(report.candidates[0]).toMatchObject({ name: 'wasm', status: 'failed', reason: 'initialisation error: wasm file not found' });
  });

  it('an excluded backend is not tried, even when requested, and its reason is reported', async () => {
    const report = await selectBackend({
      loaders: nodeLoaders,
      requested: 'wasm',
      exclude: [{ name: 'wasm', reason: 'its GPU device was lost' }],
    });
    expect(report.backend).toBe('cpu');
    expect(report.requestNotice).toBeUndefined();
    expect(report.candidates.find((c) => c.name === 'wasm')).toMatchObject({ status: 'skipped', reason: 'its GPU device was lost' });
  });
});
