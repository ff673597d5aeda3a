import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import { LOSSES, lossFromInput, lossInfo, resolveLoss, type LossInput } from '../losses';
import { CONDITIONED_LOSS, pixelLoss } from '../losses/lesson';
import { useBackend } from '../testing/backends';
import { toyHardIoU, toyLoss, type Toy } from './toyLosses';

const logit = (p: number) => Math.log(p / (1 - p));

/** The toy as tensors: one 10×10 image (binary) or its two-class softmax version with logits (0, z). */
async function viaTfjs(input: LossInput, t: Toy, multiclass: boolean) {
  const z = Array.from({ length: t.n }, (_, i) => logit(i < t.f ? t.pFg : t.pBg));
  const y = Array.from({ length: t.n }, (_, i) => (i < t.f ? 1 : 0));
  const logits = multiclass
    ? tf.tensor4d(
        z.flatMap((v) => [0, v]),
        [1, 10, 10, 2],
      )
    : tf.tensor4d(z, [1, 10, 10, 1]);
  const targets = multiclass ? tf.tensor3d(y, [1, 10, 10], 'int32') : tf.tensor4d(y, [1, 10, 10, 1]);
  const fn = lossFromInput(input);
  const { value, grad } = tf.valueAndGrad((l: Tensor) => fn(l, targets))(logits);
  const v = (await value.data())[0];
  const g = await grad.data();
  // ∂L/∂z of the object-class logit, averaged over each group (ranks tie inside a group).
  const gz = Array.from({ length: t.n }, (_, i) => (multiclass ? g[2 * i + 1] : g[i]));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  tf.dispose([logits, targets, value, grad]);
  return { value: v, gradFg: mean(gz.slice(0, t.f)), gradBg: mean(gz.slice(t.f)) };
}

/**
 * Every loss with a closed form, at its defaults and at each of its own examples. Losses for multi-class data only
 * run on the two-class version of the toy.
 */
const CASES: [string, LossInput, boolean][] = LOSSES.filter((l) => l.toy).flatMap((l) => {
  const multiclass = !l.tasks.includes('binary');
  const terms = l.parts
    ? [
        { weight: 1, loss: { id: pixelLoss('binary') } },
        { weight: 0.5, loss: { id: CONDITIONED_LOSS } },
      ]
    : undefined;
  const base: LossInput = terms ? { id: l.id, terms } : { id: l.id };
  return [
    [l.id, base, multiclass] as [string, LossInput, boolean],
    ...(l.examples ?? []).map((e): [string, LossInput, boolean] => [`${l.id} ${e.label}`, { ...base, ...e.options }, multiclass]),
  ];
});

const near = (got: number, want: number) => Math.abs(got - want) <= 1e-4 * Math.abs(want) + 1e-9;

describe('closed forms of the toy against the tfjs loss zoo', { timeout: 120_000 }, () => {
  beforeAll(() => useBackend('cpu'));

  it.each(CASES)('%s', async (_, input, multiclass) => {
    const smooths = lossInfo(input.id)?.toy?.smoothable ? [0, 0.5] : [undefined];
    for (const smooth of smooths)
      for (const pFg of [0.002, 0.3, 0.51, 0.93])
        for (const pBg of [0.001, 0.2, 0.7])
          for (const f of [1, 12, 50]) {
            const toy = { n: 100, f, pFg, pBg };
            const withSmooth = smooth === undefined ? input : { ...input, smooth };
            const want = toyLoss(resolveLoss(withSmooth), toy);
            const got = await viaTfjs(withSmooth, toy, multiclass);
            const where = `${JSON.stringify(toy)} smooth ${smooth}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`;
            expect(near(got.value, want.value), where).toBe(true);
            expect(near(got.gradFg, want.gradFg), where).toBe(true);
            expect(near(got.gradBg, want.gradBg), where).toBe(true);
          }
  });

  it('hard IoU does not move between p = 0.51 and 0.99 while CE does', () => {
    const at = (pFg: number) => ({ n: 100, f: 10, pFg, pBg: 0.01 });
    expect(toyHardIoU(at(0.51))).toBe(1);
    expect(toyHardIoU(at(0.99))).toBe(1);
    const ce = resolveLoss({ id: 'bce' });
    expect(toyLoss(ce, at(0.51)).value).toBeGreaterThan(3 * toyLoss(ce, at(0.99)).value);
  });
});
