import { beforeAll, describe, expect, it } from 'vitest';
import { tf, withScalars } from '../tf';
import { parseExperimentConfig } from '../config/experimentConfig';
import { useBackend } from '../testing/backends';
import { Race } from './race';
import { ScalarCache } from './scalarCache';
import { tensorsMadeDuring } from '../testing/tensorsMade';

describe('kept scalars for JS number operands', () => {
  beforeAll(() => useBackend('wasm'));

  it('inside withScalars a number operand is a kept scalar, made once; outside, tfjs as usual', async () => {
    const x = tf.tensor1d([0.25, 0.5]);
    const cache = new ScalarCache();
    const outside = tf.tidy(() => Array.from(tf.sub(1, tf.mul(x, 2)).dataSync()));
    expect(await tensorsMadeDuring(() => tf.tidy(() => tf.sub(1, tf.mul(x, 2))))).toBe(2);
    const inside = withScalars(cache, () => tf.tidy(() => Array.from(tf.sub(1, tf.mul(x, 2)).dataSync())));
    expect(inside).toEqual(outside);
    expect(cache.size).toBe(2);
    expect(await tensorsMadeDuring(() => withScalars(cache, () => tf.tidy(() => tf.sub(1, tf.mul(x, 2)))))).toBe(0);
    // Integer data keeps its semantics: the comparison is the same as with a number.
    const labels = tf.tensor1d([0, 2, 1], 'int32');
    expect(withScalars(cache, () => tf.tidy(() => Array.from(tf.greater(labels, 1).dataSync())))).toEqual([0, 1, 0]);
    const before = tf.memory().numTensors;
    const kept = cache.size;
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before - kept);
    tf.dispose([x, labels]);
  });

  it('a race step writes no tensor for its constants, loss options or settings (only its batch and tfjs’s own)', async () => {
    const race = new Race(
      parseExperimentConfig({
        evalEvery: 100_000,
        batchSize: 4,
        optimizer: { clipNorm: 1 },
        data: { size: 16, train: 16, val: 4 },
        losses: [{ id: 'bce' }, { id: 'logJaccard', smooth: 1 }, { id: 'focal' }],
      }),
    );
    await race.advance(2);
    const perStep = await tensorsMadeDuring(() => race.advance(1));
    // Without the kept scalars a step of these three losses writes 82 tensors from JS values; what is left is the
    // batch's indices, the losses' class masks and the seeds tfjs's own gradients make.
    expect(perStep).toBeLessThanOrEqual(14);
    race.dispose();
  });
});
