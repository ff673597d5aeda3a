import { describe, expect, it } from 'vitest';
import { pixelLoss } from '../losses/lesson';
import { LOSSES, resolveLoss } from '../losses/registry';
import { compileLosses, hardCurve, lossSurfaces, sigmoid, Z_LIMIT } from './surface';

/** Every loss the analytic view offers (a closed form on the toy); a combination with the pixel loss as its term. */
const OFFERED = LOSSES.filter((l) => l.toy).map(
  (l) => [l.id, l.parts ? { id: l.id, terms: [{ weight: 1, loss: { id: pixelLoss('binary') } }] } : { id: l.id }] as const,
);

describe('loss surfaces', () => {
  it.each(OFFERED)('%s: every cell is the loss at that (p_fg, p_bg)', (_, input) => {
    const s = { pixels: 100, foreground: 0.1, pFg: 0.5, pBg: 0.5, smooth: 0 };
    const [compiled] = compileLosses([resolveLoss(input)], 0);
    const size = 16;
    const { surfaces } = lossSurfaces(s, [compiled], size);
    const p = (i: number) => sigmoid(-Z_LIMIT + (2 * Z_LIMIT * i) / (size - 1));
    for (const [r, c] of [
      [0, 0],
      [3, 11],
      [15, 15],
      [8, 2],
    ]) {
      const direct = compiled.fn({ n: 100, f: 10, pFg: p(c), pBg: p(size - 1 - r) }).value;
      expect(surfaces[0].value[r * size + c]).toBeCloseTo(direct, 9);
    }
  });

  it('1 − hard IoU along p_fg is a step at 0.5 with a gradient of 0', () => {
    const c = hardCurve({ pixels: 100, foreground: 0.1, pFg: 0.5, pBg: 0.05, smooth: 0 });
    c.z.forEach((z, i) => expect(c.value[i]).toBe(sigmoid(z) > 0.5 ? 0 : 1));
    expect(c.value[0]).toBe(1);
    expect(c.value.at(-1)).toBe(0);
    expect(c.gradFg.every((g) => g === 0)).toBe(true);
  });
});
