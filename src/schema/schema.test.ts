import { describe, expect, it } from 'vitest';
import { checkField, ConfigError, defaultsOf, fieldText, readFieldText, type Field } from './schema';

const NAME = { key: 'name', label: 'name', help: '', kind: 'text', maxLength: 8, default: 'none' } as const satisfies Field;

describe('a text field', () => {
  it('takes a string up to its length and names itself otherwise', () => {
    expect(checkField(NAME, 'local:a', 'data.name')).toBe('local:a');
    expect(() => checkField(NAME, 'local:abc', 'data.name')).toThrow(ConfigError);
    expect(() => checkField(NAME, 'local:abc', 'data.name')).toThrow(/^data\.name: expected text of at most 8 characters/);
    expect(() => checkField(NAME, 7, 'data.name')).toThrow(/got 7$/);
    expect(defaultsOf([NAME])).toEqual({ name: 'none' });
  });

  it('reads from a URL as written and back, and falls back with a correction when too long or blank', () => {
    const corrections: string[] = [];
    expect(readFieldText(NAME, 'a b', 'n', NAME.default, corrections)).toBe('a b');
    expect(fieldText('a b')).toBe('a b');
    expect(readFieldText(NAME, 'x'.repeat(9), 'n', NAME.default, corrections)).toBe('none');
    expect(readFieldText(NAME, '  ', 'n', NAME.default, corrections)).toBe('none');
    expect(corrections).toEqual([
      'n=xxxxxxxxx is not text of 1 to 8 characters; using none',
      'n=   is not text of 1 to 8 characters; using none',
    ]);
  });
});
