import { describe, expect, it } from 'vitest';
import { compileLosses, lossSurfaces } from '../../src/analytic/surface';
import { CONDITIONED_LOSS, FLAT_LOSS } from '../../src/losses/lesson';
import { LOSSES, resolveLoss } from '../../src/losses/registry';
import { arrowFloor, arrowKey, arrowLength, arrowScale, colourDomains, scaleSentence } from './mapScales';

const TOY = { pixels: 100, foreground: 0.1, pFg: 0.5, pBg: 0.5, smooth: 0 };
/** Every binary loss with a closed form and no terms to choose: maps the analytic view can draw. */
const DRAWABLE = LOSSES.filter((l) => l.toy && !l.parts && l.tasks.includes('binary')).map((l) => resolveLoss({ id: l.id }));

describe('the maps’ scales', () => {
  it('maps within [0, 1] share 0 … 1; a loss beyond it keeps its own range', () => {
    const [a, b, c] = colourDomains([Float64Array.of(0.2, 0.7), Float64Array.of(0, 1), Float64Array.of(0.1, 9.2)]);
    expect(a).toEqual({ lo: 0, hi: 1, shared: true });
    expect(b).toEqual({ lo: 0, hi: 1, shared: true });
    expect(c).toEqual({ lo: 0.1, hi: 9.2, shared: false });
  });

  it('the caption names the maps that share 0 … 1 and those on their own range', () => {
    const domains = colourDomains([Float64Array.of(0.2, 0.7), Float64Array.of(0, 1), Float64Array.of(0.1, 9.2)]);
    expect(scaleSentence(['1 − IoU', 'hard IoU', 'BCE'], domains)).toBe(
      '1 − IoU and hard IoU share one colour scale, 0 to 1. BCE is coloured on its own range, on its colour bar.',
    );
    expect(scaleSentence(['1 − IoU'], domains.slice(0, 1))).toBe('1 − IoU is coloured from 0 to 1.');
  });

  it('arrows grow with the gradient, one decade at a time, and vanish into a dot below a thousandth of the top', () => {
    const scale = { top: 1 };
    const lengths = arrowKey(scale).map((g) => arrowLength(g, scale)!);
    expect(lengths).toHaveLength(4);
    for (let i = 1; i < lengths.length; i++) expect(lengths[i - 1] - lengths[i]).toBeCloseTo(3, 12);
    expect(arrowLength(arrowFloor(scale) / 2, scale)).toBeNull();
    expect(arrowLength(0, scale)).toBeNull();
  });

  it('on one shared scale, 1 − IoU’s arrows in the collapsed corner are a hundred times shorter in gradient than −log IoU’s', () => {
    const fns = compileLosses(DRAWABLE, 0);
    const { surfaces } = lossSurfaces(TOY, fns);
    const scale = arrowScale(surfaces.map((s) => s.arrows));
    // The collapsed corner, where both groups predict p < 0.003 (logit < −5.8): four arrows of the 11 × 11.
    const corner = (id: string) =>
      surfaces[DRAWABLE.findIndex((l) => l.id === id)].arrows
        .filter((a) => a.zFg < -5.8 && a.zBg < -5.8)
        .map((a) => arrowLength(Math.hypot(a.dFg, a.dBg), scale) ?? 0);
    expect(corner(FLAT_LOSS)).toHaveLength(4);
    expect(corner(FLAT_LOSS).some((l) => l === 0)).toBe(true);
    for (const l of corner(FLAT_LOSS)) expect(l).toBeLessThanOrEqual(arrowLength(scale.top / 100, scale)!);
    for (const l of corner(CONDITIONED_LOSS)) expect(l).toBeGreaterThanOrEqual(arrowLength(scale.top / 10, scale)!);
  });
});
