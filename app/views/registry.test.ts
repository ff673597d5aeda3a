import { describe, expect, it } from 'vitest';
import { FIGURES, VIEW_SECTIONS, VIEWS } from './registry';

const repeated = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);

describe('the view registry', () => {
  it('no two views, embeddable figures or settings sections share a name (links and the state are keyed by them)', () => {
    expect(repeated(VIEWS.map((v) => v.id))).toEqual([]);
    expect(repeated(FIGURES.map((f) => f.id))).toEqual([]);
    expect(repeated(VIEW_SECTIONS.map((s) => s.key))).toEqual([]);
  });

  it('every tab has a title of its own', () => {
    expect(VIEWS.every((v) => v.title.trim().length > 0)).toBe(true);
    expect(repeated(VIEWS.map((v) => v.title))).toEqual([]);
  });
});
