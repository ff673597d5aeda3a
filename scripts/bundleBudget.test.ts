import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { entrySizes } from './bundleBudget';

describe('bundle budget', () => {
  it('measures the gzip size of entry chunks only, by entry name', () => {
    const code = 'export const x = 1;'.repeat(100);
    const sizes = entrySizes({
      'assets/main-1.js': { type: 'chunk', isEntry: true, name: 'main', code },
      'embed.js': { type: 'chunk', isEntry: true, name: 'embed', code: 'x' },
      'assets/lazy-2.js': { type: 'chunk', isEntry: false, name: 'lazy', code: code + code },
      'assets/style.css': { type: 'asset', name: 'style' },
    });
    expect(sizes).toEqual({ main: gzipSync(code).length, embed: gzipSync('x').length });
  });
});
