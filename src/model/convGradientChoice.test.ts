import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { parseExperimentConfig } from '../config/experimentConfig';
import { useBackend } from '../testing/backends';
import { Race } from '../train/race';
import { chooseConvGradients, timeConvGradient, type ConvShape } from './convGradientChoice';

const small = (b: number, s: number, cin: number, cout: number, k = 3): ConvShape => ({ x: [b, s, s, cin], w: [k, k, cin, cout] });
const config = parseExperimentConfig({
  batchSize: 4,
  evalEvery: 3,
  data: { size: 16, train: 16, val: 4 },
  losses: [{ id: 'bce' }, { id: 'softDice' }],
});

describe('the weight gradient of each convolution, by measurement', { timeout: 60_000 }, () => {
  afterAll(() => useBackend('wasm'));

  it('takes the faster form per shape, timing a repeated shape once', async () => {
    await useBackend('cpu');
    const timed: string[] = [];
    // Stand-in timings: the forward form wins on wide inputs only.
    const modes = await chooseConvGradients(
      [small(8, 32, 1, 8), small(8, 32, 8, 8), small(8, 32, 8, 8), small(8, 32, 8, 1, 1)],
      async (s, mode) => {
        timed.push(`${s.w.join('x')} ${mode}`);
        return mode === 'custom' ? (s.x[3] > 1 ? 1 : 3) : 2;
      },
    );
    expect(modes).toEqual(['native', 'custom', 'custom', 'custom']);
    expect(timed).toHaveLength(6);
  });

  it('takes the forward form on wasm, which has no native one, without timing', async () => {
    await useBackend('wasm');
    const race = new Race(config);
    expect(await race.tuneConvGradients(async () => Promise.reject(new Error('no timing on wasm')))).toEqual([
      'custom',
      'custom',
      'custom',
    ]);
    race.dispose();
  });

  it('times real passes without leaking, and a tuned race trains to the same numbers (1e-4) as an untuned one', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    // A timing that measures the pass: a convolution with about 340 times the arithmetic takes longer, in both forms.
    for (const mode of ['native', 'custom'] as const) {
      const light = await timeConvGradient(small(2, 8, 3, 4), mode);
      const heavy = await timeConvGradient(small(8, 32, 8, 8), mode);
      expect(light, mode).toBeGreaterThan(0);
      expect(heavy, mode).toBeGreaterThan(light);
    }
    expect(tf.memory().numTensors).toBe(before);
    const plain = new Race(config);
    await plain.advance(3);
    const tuned = new Race(config);
    // Forced: every convolution on the forward form, against tfjs's own gradient in the plain race.
    expect(await tuned.tuneConvGradients(async (_, mode) => (mode === 'custom' ? 1 : 2))).toEqual(['custom', 'custom', 'custom']);
    await tuned.advance(3);
    plain.histories.forEach((h, r) =>
      h.loss.forEach((l, i) => expect(Math.abs(tuned.histories[r].loss[i] - l)).toBeLessThan(1e-4 * Math.max(1, Math.abs(l)))),
    );
    plain.dispose();
    tuned.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
