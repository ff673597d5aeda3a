import { describe, expect, it } from 'vitest';
import { formatBytes, sci } from './numberText';

describe('sci', () => {
  it('writes plain digits in the readable range and the exponent form outside it', () => {
    expect(sci(0.1234)).toBe('0.123');
    expect(sci(1234)).toBe('1.23e+3');
    expect(sci(-0.000123)).toBe('-1.23e-4');
    expect(sci(0)).toBe('0');
  });

  it('never prints NaN or Infinity to a reader', () => {
    expect(sci(Number.NaN)).toBe('–');
    expect(sci(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('takes a style: a tick label drops trailing zeros, a table reads smaller values plainly', () => {
    expect(sci(0.5, { digits: 2, trim: true })).toBe('0.5');
    expect(sci(0.5, { digits: 2 })).toBe('0.50');
    expect(sci(0.005)).toBe('5.00e-3');
    expect(sci(0.005, { smallest: 0.001 })).toBe('0.00500');
    expect(sci(2e-7, { exponentDigits: 0 })).toBe('2e-7');
  });
});

describe('formatBytes', () => {
  it('uses the unit that keeps the figure short', () => {
    expect(formatBytes(252_000)).toBe('252 kB');
    expect(formatBytes(37.4e6)).toBe('37 MB');
    expect(formatBytes(1.43e9)).toBe('1.4 GB');
    expect(formatBytes(10)).toBe('1 kB');
  });
});
