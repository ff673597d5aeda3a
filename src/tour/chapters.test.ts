import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/experimentConfig';
import { resolveLoss } from '../losses/registry';
import { ANALYTIC_PARTS, CHAPTERS, findChapter } from './chapters';
import { claimText, judge, shownText, shownTolerance } from './claim';

const words = (c: (typeof CHAPTERS)[number]) => c.text.join(' ').split(/\s+/).filter(Boolean).length;

describe('the tour’s chapters', () => {
  it('each has a unique slug, a title, 60–150 words and a line on what to look for', () => {
    expect(new Set(CHAPTERS.map((c) => c.slug)).size).toBe(CHAPTERS.length);
    for (const c of CHAPTERS) {
      expect(c.slug).toMatch(/^[a-z-]+$/);
      expect(c.title.length).toBeGreaterThan(3);
      expect(words(c), c.slug).toBeGreaterThanOrEqual(60);
      expect(words(c), c.slug).toBeLessThanOrEqual(150);
      expect(c.lookFor.length).toBeGreaterThan(10);
    }
  });

  it('every race figure is a valid config (trained to its claims’ steps), every analytic figure a known part with known losses', () => {
    for (const c of CHAPTERS) {
      if (c.figure.kind === 'race') {
        const config = parseExperimentConfig(c.figure.config);
        expect(config.steps % config.evalEvery, c.slug).toBe(0);
      } else {
        for (const p of c.figure.parts) expect(ANALYTIC_PARTS).toContain(p);
        for (const l of c.figure.losses) expect(() => resolveLoss(l)).not.toThrow();
      }
    }
  });

  it('every chapter has claims, and its text prints each claim’s measured value (or its bound)', () => {
    for (const c of CHAPTERS) {
      const text = c.text.join(' ');
      expect(c.claims.length, c.slug).toBeGreaterThan(0);
      for (const claim of c.claims) if (!claim.inWords) expect(text, `${c.slug}/${claim.id}`).toContain(claimText(claim));
    }
  });

  it('every race says what happens past its measured step, trained further, and prints each of those claims too', () => {
    for (const c of CHAPTERS) {
      if (c.figure.kind !== 'race') continue;
      const { after, config } = c.figure;
      expect(after, c.slug).toBeDefined();
      expect(after!.steps, c.slug).toBeGreaterThan(config.steps);
      expect(after!.steps % parseExperimentConfig(config).evalEvery, c.slug).toBe(0);
      expect(after!.text, c.slug).toContain(`step ${after!.steps}`);
      const ids = [...c.claims, ...after!.claims].map((claim) => claim.id);
      expect(new Set(ids).size, c.slug).toBe(ids.length);
      for (const claim of after!.claims) if (!claim.inWords) expect(after!.text, `${c.slug}/${claim.id}`).toContain(claimText(claim));
    }
  });

  it('finds a chapter by slug or by number, and nothing for anything else', () => {
    expect(findChapter('collapse')?.slug).toBe('collapse');
    expect(findChapter('1')).toBe(CHAPTERS[0]);
    expect(findChapter(String(CHAPTERS.length + 1))).toBeUndefined();
    expect(findChapter('0')).toBeUndefined();
    expect(findChapter('constructor')).toBeUndefined();
  });

  it('a claim holds only inside its bound, and never on NaN', () => {
    const claim = { id: 'x', kind: 'analytic', says: 'x', above: 0.7, measure: () => 0 } as const;
    expect(judge(claim, 0.71).held).toBe(true);
    expect(judge(claim, 0.7).held).toBe(false);
    expect(judge(claim, NaN).held).toBe(false);
    expect(judge({ ...claim, above: undefined, below: 0.05 }, 0.06).held).toBe(false);
  });

  it('a claim with a printed value holds only near it: the prose goes stale, the check fails', () => {
    const claim = { id: 'x', kind: 'analytic', says: 'x', above: 0.7, shown: 0.91, measure: () => 0 } as const;
    expect(shownTolerance(claim)).toBeCloseTo(0.01, 12);
    expect(judge(claim, 0.913).held).toBe(true);
    expect(judge(claim, 0.89).held).toBe(false);
    expect(shownText({ shown: 10500 })).toBe('10\u202f500');
    expect(shownTolerance({ shown: 10500 })).toBeCloseTo(525, 9);
  });
});
