import { readFileSync } from 'node:fs';
import { lab, rgb } from 'd3-color';
import { describe, expect, it } from 'vitest';
import { MAX_LOSSES } from '../src/config/experimentConfig';
import { suggestedCombo } from '../src/losses/lesson';
import type { LossInput, Task } from '../src/losses/lossDefinition';
import { familyOf } from '../src/losses/familyOf';
import { LOSS_FAMILIES, type LossFamilyId } from '../src/losses/lossFamily';
import { PRESETS } from '../src/losses/presets';
import { LOSSES } from '../src/losses/registry';
import { CHAPTERS } from '../src/tour/chapters';
import { familyShade, lossColor, lossColors } from './lossColor';

const FAMILIES = Object.keys(LOSS_FAMILIES) as LossFamilyId[];

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(colour: string): number {
  const { r, g, b } = rgb(colour);
  const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
/** CIE76 colour difference: about 2.3 is just noticeable, beyond 10 clearly another colour. */
const deltaE = (a: string, b: string) => {
  const x = lab(a);
  const y = lab(b);
  return Math.hypot(x.l - y.l, x.a - y.a, x.b - y.b);
};

/** The card and page backgrounds of both themes, as the stylesheet declares them: `--card: light-dark(#fff, #1e2127)`. */
function backgrounds(): Record<string, string> {
  const css = readFileSync(new URL('./theme/tokens.css', import.meta.url), 'utf8');
  const out: Record<string, string> = {};
  for (const name of ['card', 'bg']) {
    const m = new RegExp(`--${name}:\\s*light-dark\\((#[0-9a-f]{3,6}),\\s*(#[0-9a-f]{3,6})\\)`, 'i').exec(css);
    if (!m) throw new Error(`tokens.css declares no --${name}: light-dark(…)`);
    out[`light ${name}`] = m[1];
    out[`dark ${name}`] = m[2];
  }
  return out;
}

/** Every loss of the registry, for each task it serves, at its defaults and at each of its examples. */
const everyLoss = (): { task: Task; loss: LossInput }[] =>
  LOSSES.flatMap((def) =>
    def.tasks.flatMap((task) =>
      def.parts
        ? [{ task, loss: suggestedCombo(task) }]
        : [{ id: def.id }, ...(def.examples ?? []).map((e) => ({ id: def.id, ...e.options }))].map((loss) => ({ task, loss })),
    ),
  );

describe('loss colours', () => {
  it('gives every loss of the registry, and every library preset, its family’s colour', () => {
    for (const { loss } of [...everyLoss(), ...PRESETS]) {
      const colour = lossColor(loss);
      expect(colour, loss.id).toMatch(/^#[0-9a-f]{6}$/);
      expect(colour).toBe(LOSS_FAMILIES[familyOf(loss)].colour);
      expect(lossColors([loss])).toEqual([colour]);
    }
  });

  it('gives distinct families clearly distinct colours', () => {
    for (const a of FAMILIES) {
      for (const b of FAMILIES) {
        if (a < b) expect(deltaE(LOSS_FAMILIES[a].colour, LOSS_FAMILIES[b].colour), `${a} vs ${b}`).toBeGreaterThan(30);
      }
    }
  });

  it('keeps every colour and every shade at 3:1 contrast on the light and the dark cards', () => {
    const bgs = backgrounds();
    for (const f of FAMILIES) {
      for (let n = 1; n <= MAX_LOSSES; n++) {
        for (let k = 0; k < n; k++) {
          const c = familyShade(f, k, n);
          for (const [where, bg] of Object.entries(bgs))
            expect(contrast(c, bg), `${f} ${k + 1}/${n} on ${where}`).toBeGreaterThanOrEqual(3);
        }
      }
    }
  });

  it('draws several runs of a family in shades that differ from each other and stay nearer their family than any other', () => {
    for (const f of FAMILIES) {
      for (let n = 2; n <= MAX_LOSSES; n++) {
        const shades = Array.from({ length: n }, (_, k) => familyShade(f, k, n));
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) expect(deltaE(shades[i], shades[j]), `${f}: shades ${i} and ${j} of ${n}`).toBeGreaterThan(6);
          const own = deltaE(shades[i], LOSS_FAMILIES[f].colour);
          for (const g of FAMILIES) if (g !== f) expect(deltaE(shades[i], LOSS_FAMILIES[g].colour)).toBeGreaterThan(own);
        }
      }
    }
  });

  it('colours by what a run is, not by its slot: the same loss keeps its colour wherever it stands', () => {
    const flat = { id: 'softJaccard' };
    const others = everyLoss()
      .filter((l) => l.task === 'binary' && familyOf(l.loss) !== familyOf(flat))
      .map((l) => l.loss);
    expect(lossColors([flat, ...others.slice(0, 3)])[0]).toBe(lossColors([...others.slice(0, 3), flat])[3]);
  });

  it('gives every run of every chapter’s figure a colour of its own', () => {
    for (const chapter of CHAPTERS) {
      const losses = chapter.figure.kind === 'race' ? (chapter.figure.config.losses ?? []) : chapter.figure.losses;
      const colours = lossColors(losses);
      expect(new Set(colours).size, chapter.slug).toBe(losses.length);
      losses.forEach((l, i) => expect(colours[i] === lossColor(l)).toBe(losses.filter((o) => familyOf(o) === familyOf(l)).length === 1));
    }
  });
});
