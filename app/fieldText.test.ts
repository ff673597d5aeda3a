import { describe, expect, it } from 'vitest';
import type { Field } from '../src/schema/schema';
import { localeUsesDecimalComma, readFieldText } from './fieldText';

const lr = { key: 'lr', label: 'learning rate', kind: 'number', min: 1e-5, max: 100, default: 0.1, help: '' } as const satisfies Field;
const batch = { key: 'batchSize', label: 'batch size', kind: 'int', min: 1, max: 64, default: 8, help: '' } as const satisfies Field;
const clip = {
  key: 'clipNorm',
  label: 'clip',
  kind: 'nullableNumber',
  min: 0.001,
  max: 1000,
  default: null,
  help: '',
} as const satisfies Field;
const weights = {
  key: 'weights',
  label: 'w',
  kind: 'numberList',
  min: 0,
  max: 1000,
  default: undefined,
  help: '',
} as const satisfies Field;

describe('reading a typed number field', () => {
  it('takes plain decimals and exponents', () => {
    expect(readFieldText(lr, ' 0.05 ')).toEqual({ ok: true, value: 0.05 });
    expect(readFieldText(lr, '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(readFieldText(batch, '16')).toEqual({ ok: true, value: 16 });
  });

  it('refuses what is not a value, with a reason, instead of substituting one', () => {
    expect(readFieldText(lr, '')).toEqual({ ok: false, message: 'Enter a number.' });
    expect(readFieldText(batch, '')).toEqual({ ok: false, message: 'Enter a number.' });
    expect(readFieldText(lr, 'abc')).toEqual({ ok: false, message: '“abc” is not a number.' });
    expect(readFieldText(lr, 'Infinity')).toEqual({ ok: false, message: '“Infinity” is not a number.' });
    expect(readFieldText(batch, '0x10')).toEqual({ ok: false, message: '“0x10” is not a number in decimal notation.' });
    expect(readFieldText(lr, '1e999')).toEqual({ ok: false, message: '“1e999” is too large.' });
    expect(readFieldText(batch, '2.5')).toEqual({ ok: false, message: 'Enter a whole number.' });
    expect(readFieldText(lr, '500')).toEqual({ ok: false, message: 'Enter a number from 0.00001 to 100.' });
  });

  it('a decimal comma is 1.5 where the locale writes one, and a clear message elsewhere', () => {
    expect(readFieldText(lr, '1,5', true)).toEqual({ ok: true, value: 1.5 });
    expect(readFieldText(lr, '1,5', false)).toEqual({ ok: false, message: 'Write decimals with a point: 1.5.' });
    expect(localeUsesDecimalComma('de-DE')).toBe(true);
    expect(localeUsesDecimalComma('en-US')).toBe(false);
  });

  it('empty means off for a switchable number and unset for a list', () => {
    expect(readFieldText(clip, '')).toEqual({ ok: true, value: null });
    expect(readFieldText(clip, 'off')).toEqual({ ok: true, value: null });
    expect(readFieldText(weights, '')).toEqual({ ok: true, value: undefined });
    expect(readFieldText(weights, '1|2.5 3')).toEqual({ ok: true, value: [1, 2.5, 3] });
    expect(readFieldText(weights, '1|x')).toEqual({ ok: false, message: '“x” is not a number.' });
  });
});
