import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import vectors from '../reference/loss-vectors.json';
import { ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE } from '../reference/parity';
import { checkVectorFile, flatten, toNumber } from '../reference/vectorFile';
import { useBackend } from '../testing/backends';
import { lossFromInput } from '.';

const EPS = 1e-7;

/**
 * Focal Tversky in float64, written from the paper's definition and independent of the tfjs code: per group
 * (the batch, or each image) TI = (I + s) / max(I + α(Sp − I) + β(Sy − I) + s, eps), loss = mean over groups of
 * (1 − TI)^γ, groups without foreground adding 0 (empty rule 'zero'); the gradient by the chain rule.
 */
function reference(z: number[][], y: number[][], o: { gamma: number; alpha: number; beta: number; smooth: number; perImage: boolean }) {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const groups = o.perImage ? z.map((_, b) => [b]) : [z.map((_, b) => b)];
  const grad = z.map((row) => row.map(() => 0));
  let value = 0;
  for (const images of groups) {
    let inter = 0;
    let sumP = 0;
    let sumY = 0;
    for (const b of images)
      z[b].forEach((zi, i) => {
        const p = sig(zi);
        inter += p * y[b][i];
        sumP += p;
        sumY += y[b][i];
      });
    if (sumY === 0) continue;
    const num = inter + o.smooth;
    const den = inter + o.alpha * (sumP - inter) + o.beta * (sumY - inter) + o.smooth;
    const live = den >= EPS ? 1 : 0;
    const d = Math.max(den, EPS);
    const ti = num / d;
    value += (1 - ti) ** o.gamma / groups.length;
    const dLdTi = (-o.gamma * (1 - ti) ** (o.gamma - 1)) / groups.length;
    const dTidI = (d - num * (1 - o.alpha - o.beta) * live) / d ** 2;
    const dTidSp = (-num * o.alpha * live) / d ** 2;
    for (const b of images)
      z[b].forEach((zi, i) => {
        const p = sig(zi);
        grad[b][i] += dLdTi * (dTidI * y[b][i] + dTidSp) * p * (1 - p);
      });
  }
  return { value, grad: grad.flat() };
}

async function viaTfjs(input: Record<string, unknown>, z: number[][], y: number[][], shape: [number, number, number]) {
  const logits = tf.tensor4d(z.flat(), [...shape, 1]);
  const targets = tf.tensor4d(y.flat(), [...shape, 1]);
  const fn = lossFromInput({ id: 'focalTversky', ...input });
  const { value, grad } = tf.valueAndGrad((l: Tensor) => fn(l, targets))(logits);
  const out = { value: (await value.data())[0], grad: Array.from(await grad.data()) };
  tf.dispose([logits, targets, value, grad]);
  return out;
}

const close = (got: number, want: number) => Math.abs(got - want) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(want);

describe('Focal Tversky against a float64 reference', () => {
  beforeAll(() => useBackend('cpu'));
  const cases = checkVectorFile(vectors).binary_cases ?? [];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const y = c.target.map((row) => row.map(Number));
    for (const gamma of [0.75, 1, 2])
      for (const perImage of [false, true])
        for (const smooth of [0, 1]) {
          const o = { gamma, alpha: 0.3, beta: 0.7, smooth, perImage };
          const want = reference(c.logits, y, o);
          const got = await viaTfjs({ gamma, smooth, aggregation: perImage ? 'perImage' : 'batch' }, c.logits, y, c.shape);
          const where = `${c.name} ${JSON.stringify(o)}`;
          expect(close(got.value, want.value), `${where}: value ${got.value} vs ${want.value}`).toBe(true);
          got.grad.forEach((g, i) => expect(close(g, want.grad[i]), `${where}: ∂/∂z[${i}] ${g} vs ${want.grad[i]}`).toBe(true));
        }
  });

  it('with γ = 1 it is Tversky, value and gradient as in the cross-checked reference vectors', async () => {
    for (const c of cases)
      for (const [agg, key] of [
        ['batch', 'batch'],
        ['perImage', 'per_image'],
      ] as const) {
        const entry = c.losses[`tversky_a0.3_b0.7/${key}/empty=zero`];
        const got = await viaTfjs(
          { gamma: 1, aggregation: agg },
          c.logits,
          c.target.map((r) => r.map(Number)),
          c.shape,
        );
        expect(close(got.value, toNumber(entry.value)), `${c.name} ${agg}`).toBe(true);
        const want = flatten(entry.grad!);
        got.grad.forEach((g, i) => expect(close(g, want[i]), `${c.name} ${agg} ∂/∂z[${i}]`).toBe(true));
      }
  });

  it('γ < 1 gives a nearly-right group a larger gradient than Tversky does', async () => {
    const c = cases[0];
    const y = c.target.map((row) => row.map(Number));
    const sure = c.logits.map((row, b) => row.map((_, i) => (y[b][i] ? 4 : -4)));
    const norm = (g: number[]) => Math.hypot(...g);
    const focalGrad = norm((await viaTfjs({ gamma: 0.75 }, sure, y, c.shape)).grad);
    const plainGrad = norm((await viaTfjs({ gamma: 1 }, sure, y, c.shape)).grad);
    expect(focalGrad).toBeGreaterThan(1.5 * plainGrad);
  });
});
