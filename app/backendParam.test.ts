import { describe, expect, it } from 'vitest';
import { readBackendParam } from './backendParam';

describe('?backend= parameter', () => {
  it('accepts the four backends, in any case', () => {
    expect(readBackendParam('?backend=webgpu')).toEqual({ requested: 'webgpu' });
    expect(readBackendParam('?x=1&backend=WASM')).toEqual({ requested: 'wasm' });
  });
  it('treats absent, empty and auto as the automatic choice', () => {
    expect(readBackendParam('')).toEqual({});
    expect(readBackendParam('?backend=')).toEqual({});
    expect(readBackendParam('?backend=auto')).toEqual({});
  });
  it('explains an unknown value instead of failing', () => {
    const r = readBackendParam('?backend=cuda');
    expect(r.requested).toBeUndefined();
    expect(r.notice).toMatch(/“cuda”, which is not one of webgpu, webgl, wasm, cpu; choosing automatically/);
  });
});
