import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import { lossFromInput } from '.';
import vectors from '../reference/loss-vectors.json';
import { useBackend } from '../testing/backends';
import type { LossInput } from './lossDefinition';

// The collapse the product is about: every logit −k on an 8×8 image with 8 foreground pixels (12.5 %).
const LOSSES: Record<string, LossInput> = {
  bce_mean: { id: 'bce' },
  '1-IoU': { id: 'softJaccard', eps: 0 },
  '-log IoU (pure)': { id: 'logJaccard', eps: 0 },
  '-log IoU (smp clamp eps=1e-7)': { id: 'logJaccard', eps: 1e-7 },
  '1-Dice': { id: 'softDice', eps: 0 },
  '-log Dice (pure)': { id: 'logDice', eps: 0 },
  'focal g2': { id: 'focal', gamma: 2 },
  'lovasz hinge': { id: 'lovaszHinge', aggregation: 'batch' },
};

type Row = { k: number } & Record<string, { value: number; grad_fg_pixel: number; grad_bg_pixel: number } | number>;

// float32 has no relative precision left below ~1e-38; the reference's tinier gradients only need to be ~0 here.
const near = (got: number, want: number) =>
  Math.abs(got - want) <= 1e-3 * Math.abs(want) || (Math.abs(want) < 1e-30 && Math.abs(got) < 1e-30);

describe('conditioning sweep at a collapsed prediction', () => {
  beforeAll(() => useBackend('cpu'));
  const rows = vectors.conditioning_sweep_collapsed as unknown as Row[];

  it.each(Object.keys(LOSSES))('%s: value and per-pixel gradients match the float64 sweep for k = 0 … 30', async (key) => {
    const fn = lossFromInput(LOSSES[key]);
    const target = tf.tensor4d(
      Array.from({ length: 64 }, (_, i) => (i < 8 ? 1 : 0)),
      [1, 8, 8, 1],
    );
    for (const row of rows) {
      const want = row[key] as { value: number; grad_fg_pixel: number; grad_bg_pixel: number };
      const { value, grad } = tf.valueAndGrad((z: Tensor) => fn(z, target))(tf.fill([1, 8, 8, 1], -row.k));
      const [v] = await value.data();
      const g = await grad.data();
      expect(near(v, want.value), `${key} value at k=${row.k}: ${v} vs ${want.value}`).toBe(true);
      expect(near(g[0], want.grad_fg_pixel), `${key} fg gradient at k=${row.k}: ${g[0]} vs ${want.grad_fg_pixel}`).toBe(true);
      expect(near(g[63], want.grad_bg_pixel), `${key} bg gradient at k=${row.k}: ${g[63]} vs ${want.grad_bg_pixel}`).toBe(true);
    }
  });

  it('shows the seed question’s answer: at p ≈ 2.5e-3 the 1 − IoU gradient is ~400× smaller than −log IoU’s', async () => {
    const target = tf.tensor4d(
      Array.from({ length: 64 }, (_, i) => (i < 8 ? 1 : 0)),
      [1, 8, 8, 1],
    );
    const fgGrad = async (input: LossInput) => {
      const fn = lossFromInput(input);
      return (
        await tf
          .grad((z: Tensor) => fn(z, target))(tf.fill([1, 8, 8, 1], -6))
          .data()
      )[0];
    };
    const ratio = (await fgGrad({ id: 'logJaccard' })) / (await fgGrad({ id: 'softJaccard' }));
    expect(ratio).toBeGreaterThan(300);
    expect(ratio).toBeLessThan(500);
  });
});
