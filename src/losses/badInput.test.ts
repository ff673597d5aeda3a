import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import { lossFromInput, LossInputError, validateLossInputs } from '.';
import { useBackend } from '../testing/backends';

describe('bad loss inputs', () => {
  beforeAll(() => useBackend('cpu'));

  it('rejects mismatched shapes, naming the tensor', () => {
    const bce = lossFromInput({ id: 'bce' });
    expect(() => bce(tf.zeros([2, 4, 4, 1]), tf.zeros([2, 4, 3, 1]))).toThrow(
      new LossInputError("targets: binary targets must have the logits' shape [2, 4, 4, 1], got [2, 4, 3, 1]"),
    );
    expect(() => bce(tf.zeros([2, 16]), tf.zeros([2, 16]))).toThrow(/^logits: expected rank 4/);
    const ce = lossFromInput({ id: 'ce' });
    expect(() => ce(tf.zeros([2, 4, 4, 3]), tf.zeros([2, 16], 'int32'))).toThrow(/^labels: multi-class labels must have shape \[2, 4, 4\]/);
    expect(() => ce(tf.zeros([2, 4, 4, 3]), tf.zeros([2, 4, 4]))).toThrow(/^labels: expected dtype int32/);
    expect(() => ce(tf.zeros([2, 4, 4, 1]), tf.zeros([2, 4, 4, 1]))).toThrow(/^ce: needs logits with C >= 2/);
  });

  it('rejects NaN logits and out-of-range targets before they become a silent NaN', async () => {
    const logits = tf.tensor4d([0, NaN, 1, Infinity], [1, 2, 2, 1]);
    await expect(validateLossInputs(logits, tf.zeros([1, 2, 2, 1]))).rejects.toThrow(
      /^logits: 2 value\(s\) are NaN or infinite \(first at flat index 1\)/,
    );
    await expect(validateLossInputs(tf.zeros([1, 2, 2, 1]), tf.tensor4d([0, 1, 0.5, 0], [1, 2, 2, 1]))).rejects.toThrow(
      /^targets: value 0\.5 at flat index 2; binary targets must be 0 or 1/,
    );
    const labels = tf.tensor3d([0, 2, 7, 255], [1, 2, 2], 'int32');
    await expect(validateLossInputs(tf.zeros([1, 2, 2, 3]), labels)).rejects.toThrow(
      /^labels: value 7 at flat index 2 is outside \[0, 3\) and is not the ignore label 255/,
    );
    await expect(validateLossInputs(tf.zeros([1, 2, 2, 3]), tf.tensor3d([0, 2, 1, 255], [1, 2, 2], 'int32'))).resolves.toBeUndefined();
  });

  it('an empty batch under empty: keep with smooth 0 is legal: 1 − IoU = 1 with a zero gradient', async () => {
    const loss = lossFromInput({ id: 'softJaccard', empty: 'keep', smooth: 0 });
    const targets = tf.zeros([2, 3, 3, 1]);
    const { value, grad } = tf.valueAndGrad((z: Tensor) => loss(z, targets))(tf.randomNormal([2, 3, 3, 1], 0, 1, 'float32', 3));
    expect((await value.data())[0]).toBeCloseTo(1, 6);
    expect(Array.from(await grad.data()).every((g) => g === 0)).toBe(true);
  });
});
