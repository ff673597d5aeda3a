import { describe, expect, it } from 'vitest';
import { gradientComparison, ratioText } from './gradientRatio';

const log = (grad: number) => ({ name: '−log IoU', grad });
const flat = (grad: number) => ({ name: '1 − IoU', grad });

describe('the live gradient ratio', () => {
  it('says how many times larger −log IoU’s gradient is while 1 − IoU sits on its plateau', () => {
    expect(gradientComparison(log(0.3), flat(1e-4))).toBe('Now −log IoU’s gradient is 3000× 1 − IoU’s.');
    expect(gradientComparison(log(0.25), flat(0.1))).toBe('Now −log IoU’s gradient is 2.5× 1 − IoU’s.');
  });

  it('never prints 0.0×: once 1 − IoU’s gradient is the larger it says so, by its own factor', () => {
    for (const ratio of [0.5, 0.09, 0.04, 1e-3, 1e-6]) {
      const text = gradientComparison(log(ratio), flat(1));
      expect(text).not.toMatch(/(^|[^\d.])0(\.0+)?×/);
      expect(text).toMatch(/^Now 1 − IoU’s gradient is \d+(\.\d)?× −log IoU’s\.$/);
    }
    expect(gradientComparison(log(0.04), flat(1))).toBe('Now 1 − IoU’s gradient is 25× −log IoU’s.');
    expect(gradientComparison(log(1), flat(0.98))).toBe('Now −log IoU’s and 1 − IoU’s gradients are about the same size.');
  });

  it('prints nothing for a gradient that is unknown, zero or not finite', () => {
    for (const g of [NaN, 0, Infinity]) {
      expect(gradientComparison(log(g), flat(1))).toBe('');
      expect(gradientComparison(log(1), flat(g))).toBe('');
    }
  });

  it('keeps one decimal below 10 and whole numbers above', () => {
    expect(ratioText(1.06)).toBe('1.1');
    expect(ratioText(9.94)).toBe('9.9');
    expect(ratioText(12.4)).toBe('12');
  });

  it('keeps the decimals a readout asks for below 10, and whole numbers above', () => {
    expect(ratioText(2.5, 2)).toBe('2.50');
    expect(ratioText(9.994, 2)).toBe('9.99');
    expect(ratioText(12.4, 2)).toBe('12');
  });
});
