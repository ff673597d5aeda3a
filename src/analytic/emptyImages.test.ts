import { describe, expect, it } from 'vitest';
import { FLAT_LOSS } from '../losses/lesson';
import { LOSSES, resolveLoss } from '../losses/registry';
import { allBackgroundScores } from './demos';
import { EMPTY_RULE_LINES, emptyRuleLosses, emptyRules, emptySetScores, EMPTY_SET } from './emptyImages';

const NOTHING = 1e-4;

describe('a data set of mostly empty images', () => {
  it('predicting nothing: nine images score 1, the one with an object 0; their mean 0.90, the data set’s IoU 0', () => {
    const s = emptySetScores(NOTHING, NOTHING);
    expect(s.perImage).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(s.mean).toBeCloseTo(0.9, 12);
    expect(s.pooled).toBe(0);
    expect(s.images.filter((im) => im.object === 0)).toHaveLength(EMPTY_SET.empty);
  });

  it('finding the object scores every image 1; marking the background scores the empty ones 0', () => {
    expect(emptySetScores(0.9, NOTHING).perImage.every((v) => v === 1)).toBe(true);
    const loud = emptySetScores(0.9, 0.9);
    expect(loud.perImage.slice(0, EMPTY_SET.empty).every((v) => v === 0)).toBe(true);
    expect(loud.pooled).toBeCloseTo(EMPTY_SET.object / (EMPTY_SET.images * EMPTY_SET.pixels), 12);
  });

  it('the chapter’s claims read the same scores', () => {
    const s = emptySetScores(0, 0);
    const claims = allBackgroundScores(EMPTY_SET.images, EMPTY_SET.empty);
    expect(claims.perImageEmptyIsOne).toBe(s.mean);
    expect(claims.datasetForeground).toBe(s.pooled);
  });

  it('1 − IoU of the model that predicts nothing: keep scores it 1.00 with smoothing 0 and 0.10 with smoothing 1', () => {
    const rows = emptyRuleLosses(resolveLoss({ id: FLAT_LOSS }), NOTHING, NOTHING);
    const at = (rule: string, smooth: number) => rows.find((r) => r.rule === rule && r.smooth === smooth)!.value;
    expect(at('keep', 0)).toBeCloseTo(1, 3);
    expect(at('keep', 1)).toBeCloseTo(0.1, 2);
    expect(at('skip', 0)).toBeCloseTo(1, 3);
    // zero: the nine empty images add 0 and count, so the one image's loss is divided by ten.
    expect(at('zero', 0)).toBeCloseTo(at('skip', 0) / EMPTY_SET.images, 12);
  });

  it.each(LOSSES.filter((l) => l.params.some((p) => p.key === 'empty')).map((l) => l.id))(
    '%s: every empty rule it offers has its line',
    (id) => {
      const rules = emptyRules(resolveLoss({ id }));
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) expect(EMPTY_RULE_LINES[r]).toMatch(/\w/);
    },
  );
});
