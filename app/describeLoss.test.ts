import { describe, expect, it } from 'vitest';
import { describeLoss } from './describeLoss';

describe('describeLoss', () => {
  it('names the loss and the options a preset sets', () => {
    expect(describeLoss({ id: 'tversky', alpha: 0.5, beta: 0.5, classes: [1, 2] })).toBe(
      'Tversky (α (false positives) 0.5, β (false negatives) 0.5, classes [1, 2])',
    );
    expect(describeLoss({ id: 'bce' })).toBe('Binary cross-entropy');
  });
  it('spells out a combination term by term', () => {
    expect(
      describeLoss({
        id: 'combo',
        terms: [
          { weight: 1, loss: { id: 'ce' } },
          { weight: 0.5, loss: { id: 'logJaccard' } },
        ],
      }),
    ).toBe('Cross-entropy + 0.5 × −log IoU');
  });
});
