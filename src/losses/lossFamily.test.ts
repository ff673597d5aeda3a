import { describe, expect, it } from 'vitest';
import { colourNameOf, familyOf } from './familyOf';
import { LOSS_FAMILIES } from './lossFamily';
import { LOSSES } from './registry';

describe('loss families', () => {
  it('every family colours some loss, and each has its own colour and colour name', () => {
    const used = new Set(LOSSES.map((l) => l.family));
    expect([...used].sort()).toEqual(Object.keys(LOSS_FAMILIES).sort());
    const families = Object.values(LOSS_FAMILIES);
    expect(new Set(families.map((f) => f.colour)).size).toBe(families.length);
    expect(new Set(families.map((f) => f.colourName)).size).toBe(families.length);
  });

  it('a Tversky whose weights make it Dice or IoU is coloured as what it computes', () => {
    expect(familyOf({ id: 'tversky' })).toBe('tversky');
    expect(familyOf({ id: 'tversky', alpha: 0.5, beta: 0.5 })).toBe('dice');
    expect(familyOf({ id: 'tversky', alpha: 1, beta: 1 })).toBe('softIoU');
    expect(familyOf({ id: 'tversky', alpha: 1, beta: 1, log: true })).toBe('logIoU');
  });

  it('names the colour the tour’s text can point at', () => {
    expect(colourNameOf({ id: 'softJaccard' })).toBe('blue');
    expect(colourNameOf({ id: 'bce' })).toBe(colourNameOf({ id: 'ce' }));
  });
});
