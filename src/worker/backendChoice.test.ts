import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { selectBackend } from './selectBackend';
import { nodeLoaders } from '../backend/nodeLoaders';
import { parseExperimentConfig } from '../config/experimentConfig';
import { BackendChooser, fastest, settingClass, timeTraining } from './backendChoice';

const config = (extra: object = {}) => parseExperimentConfig({ batchSize: 4, data: { size: 16, train: 32, val: 8 }, ...extra });

describe('the measured backend choice', { timeout: 60_000 }, () => {
  it('takes the fastest and says why; a tie goes to the earlier in order of preference', () => {
    expect(
      fastest([
        { name: 'webgpu', stepsPerSecond: 42.8 },
        { name: 'wasm', stepsPerSecond: 111 },
      ]),
    ).toEqual({ name: 'wasm', text: 'webgpu 43 steps/s, wasm 111: using wasm' });
    expect(
      fastest([
        { name: 'webgpu', stepsPerSecond: 8.5 },
        { name: 'webgl', stepsPerSecond: 8.5 },
        { name: 'wasm', stepsPerSecond: 2.3 },
      ]).name,
    ).toBe('webgpu');
  });

  it('times again only when the settings change class', () => {
    expect(settingClass(config({ optimizer: { lr: 0.5 }, seed: 3 }))).toBe(settingClass(config()));
    for (const other of [
      { data: { size: 32 } },
      { model: { width: 16 } },
      { model: { depth: 'unet' } },
      { losses: [{ id: 'bce' }, { id: 'softDice' }] },
    ])
      expect(settingClass(config(other))).not.toBe(settingClass(config()));
  });

  it('verifies the untried backends, times each on the settings, switches to the fastest, and caches per class', async () => {
    const report = await selectBackend({ loaders: nodeLoaders, order: ['wasm', 'cpu'] });
    expect(report.backend).toBe('wasm');
    const timed: string[] = [];
    // Stand-in timings (real ones would make the test depend on the machine): here cpu "wins".
    const chooser = new BackendChooser(
      nodeLoaders,
      async (c) => {
        timed.push(`${tf.getBackend()} ${c.data.size}`);
        return tf.getBackend() === 'cpu' ? 200 : 50;
      },
      ['wasm', 'cpu'],
    );
    const settled = await chooser.settle(config(), report);
    expect(settled.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(settled.measured?.text).toBe('wasm 50 steps/s, cpu 200: using cpu');
    expect(settled.candidates.find((c) => c.name === 'wasm')).toMatchObject({
      status: 'slower',
      reason: expect.stringMatching(/50\.0 steps\/s on these settings, against cpu’s 200\.0/),
    });
    expect(settled.candidates.find((c) => c.name === 'cpu')?.status).toBe('chosen');
    expect(timed).toEqual(['wasm 16', 'cpu 16']);
    await chooser.settle(config({ optimizer: { lr: 0.3 } }), report);
    expect(timed).toHaveLength(2);
    await chooser.settle(config({ data: { size: 24 } }), report);
    expect(timed).toEqual(['wasm 16', 'cpu 16', 'wasm 24', 'cpu 24']);
    // A backend the user asked for is never second-guessed.
    expect(await chooser.settle(config(), { ...report, requested: 'wasm' })).toEqual({ ...report, requested: 'wasm' });
    await tf.setBackend('wasm');
  });

  it('times real training steps of the settings, and frees what it built', async () => {
    await selectBackend({ loaders: nodeLoaders, requested: 'wasm', order: ['wasm'] });
    const before = tf.memory().numTensors;
    const speed = await timeTraining(config({ losses: [{ id: 'bce' }, { id: 'logJaccard' }] }), 50);
    expect(speed).toBeGreaterThan(0);
    expect(Number.isFinite(speed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
