import { describe, expect, it } from 'vitest';
import { defaultName } from './ImportPanel';

const files = (...paths: string[]) => paths.map((path) => ({ path }));

describe('defaultName', () => {
  it('is the folder the files came in, made of the characters a name may have', () => {
    expect(defaultName({ folder: 'tiles', files: files('tiles/a.png') })).toBe('tiles');
    expect(defaultName({ folder: 'run #3 (final)', files: files('run #3 (final)/a.png') })).toBe('run -3 -final-');
  });

  it("is what loose files' names share, up to its last separator", () => {
    expect(defaultName({ folder: null, files: files('nuclei_r0c0.png', 'nuclei_r0c0_mask.png', 'nuclei_r7c7.png') })).toBe('nuclei');
    expect(defaultName({ folder: null, files: files('cell1.png', 'cell1_mask.png', 'cell2.png') })).toBe('cell');
  });

  it('falls back to a plain name when the files share too little', () => {
    expect(defaultName({ folder: null, files: files('a.png', 'b_mask.png') })).toBe('my images');
  });
});
