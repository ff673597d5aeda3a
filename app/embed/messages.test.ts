import { describe, expect, it } from 'vitest';
import { readRequest, SOURCE } from './messages';

describe('messages from the host page', () => {
  it('accepts the known requests with their fields', () => {
    expect(readRequest({ source: SOURCE, type: 'play' })).toEqual({ type: 'play' });
    expect(readRequest({ source: SOURCE, type: 'setState', query: '?lr=0.05' })).toEqual({ type: 'setState', query: '?lr=0.05' });
  });

  it('refuses anything else, saying why', () => {
    expect(readRequest('play')).toBe('not an object');
    expect(readRequest(null)).toBe('not an object');
    expect(readRequest({ type: 'play' })).toMatch(/^source is not/);
    expect(readRequest({ source: SOURCE, type: 'eval', code: 'alert(1)' })).toMatch(/^unknown type/);
    expect(readRequest({ source: SOURCE, type: 'toString' })).toMatch(/^unknown type/);
    expect(readRequest({ source: SOURCE, type: 'setState', query: { html: '<img>' } })).toBe('setState.query: expected a string');
    expect(readRequest({ source: SOURCE, type: 'setState', query: 'x'.repeat(9000) })).toMatch(/longer than/);
  });
});
