// The colour a loss is drawn in, keyed on what the loss is, never on its slot: 1 − IoU is the same blue in the
// race, every chapter, the surfaces, the landscape, the downloads and the embeds. Several runs of one family in
// one figure get shades of the family's colour, in the order they come.
import { hcl, rgb } from 'd3-color';
import type { LossInput } from '../src/losses/lossDefinition';
import { familyOf } from '../src/losses/familyOf';
import { LOSS_FAMILIES, type LossFamilyId } from '../src/losses/lossFamily';

/**
 * The shades of n runs of one family: offsets of lightness (CIE L*) and hue (degrees) from the family's colour.
 * Lightness stays within ±6 of the family's, which keeps 3:1 contrast on the light and dark cards; each set was
 * picked to keep its shades furthest apart (app/lossColor.test.ts holds both).
 */
const SHADES: readonly (readonly (readonly [number, number])[])[] = [
  [[0, 0]],
  [
    [6, -8],
    [-6, 8],
  ],
  [
    [6, 8],
    [0, -8],
    [-6, 8],
  ],
  [
    [6, -8],
    [6, 8],
    [-6, -8],
    [-6, 8],
  ],
  [
    [6, -8],
    [6, 8],
    [0, 0],
    [-6, -8],
    [-6, 8],
  ],
  [
    [6, -4],
    [6, 8],
    [0, -8],
    [0, 4],
    [-6, -4],
    [-6, 8],
  ],
];

/** The most saturated colour of this hue and lightness that a screen can show. */
function vivid(h: number, l: number): string {
  let c = 75;
  while (c > 0 && !hcl(h, c, l).displayable()) c -= 1;
  return rgb(hcl(h, c, l)).formatHex();
}

/** Shade k of n of a family's colour. */
export function familyShade(family: LossFamilyId, k: number, n: number): string {
  const base = LOSS_FAMILIES[family].colour;
  const set = SHADES[Math.min(n, SHADES.length) - 1];
  const [dl, dh] = set[k % set.length];
  if (dl === 0 && dh === 0) return base;
  const { h, l } = hcl(base);
  return vivid(h + dh, l + dl);
}

/** One loss's colour: its family's, which is what a run of it is drawn in when it is the only one of its family. */
export const lossColor = (loss: LossInput): string => LOSS_FAMILIES[familyOf(loss)].colour;

/** The colours of a figure's runs: each its family's, and shades of it where several runs share a family. */
export function lossColors(losses: readonly LossInput[]): string[] {
  const families = losses.map(familyOf);
  return families.map((f, i) => {
    const siblings = families.filter((g) => g === f).length;
    const k = families.slice(0, i).filter((g) => g === f).length;
    return familyShade(f, k, siblings);
  });
}
