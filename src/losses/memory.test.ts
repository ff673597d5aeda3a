import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import { LOSSES, lossFromInput } from '.';
import { useBackend } from '../testing/backends';

describe.each(['cpu', 'wasm'] as const)('loss memory on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(LOSSES.map((l) => l.id))('%s: value and gradient leave no tensor behind', async (id) => {
    const multiclass = !LOSSES.find((l) => l.id === id)!.tasks.includes('binary');
    const input =
      id === 'combo'
        ? {
            id,
            terms: [
              { weight: 1, loss: { id: 'logJaccard' } },
              { weight: 0.5, loss: { id: multiclass ? 'ce' : 'bce' } },
            ],
          }
        : { id };
    const fn = lossFromInput(input);
    const logits = tf.randomNormal([2, 4, 4, multiclass ? 3 : 1], 0, 1, 'float32', 5);
    const targets = multiclass
      ? tf.randomUniform([2, 4, 4], 0, 3, 'int32', 6)
      : tf.cast(tf.greater(tf.randomUniform([2, 4, 4, 1], 0, 1, 'float32', 7), 0.6), 'float32');
    const step = async () => {
      const { value, grad } = tf.valueAndGrad((z: Tensor) => fn(z, targets))(logits);
      const [v] = await value.data();
      tf.dispose([value, grad]);
      return v;
    };
    const first = await step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) expect(await step()).toBeCloseTo(first, 5);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, targets]);
  });
});
