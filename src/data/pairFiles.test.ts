import { describe, expect, it } from 'vitest';
import { isIgnoredPath, pairFiles } from './pairFiles';

const pairsOf = (paths: string[]) => pairFiles(paths).pairs.map((p) => [p.image, p.mask, p.split]);

describe('pairFiles', () => {
  it.each(['_mask', '-mask', '_label', '_seg', '_MASK', '-Mask', '-label', '-SEG'])('pairs name.png with name%s.png', (suffix) => {
    const { pairs, problems } = pairFiles([`cell${suffix}.png`, 'cell.png']);
    expect(pairs).toEqual([{ name: 'cell', image: 'cell.png', mask: `cell${suffix}.png`, split: null }]);
    expect(problems).toEqual([]);
  });

  it('pairs by name case-insensitively and across extensions', () => {
    expect(pairsOf(['Tile_01.TIF', 'tile_01_Mask.png', 'b.jpeg', 'B_mask.PNG'])).toEqual([
      ['Tile_01.TIF', 'tile_01_Mask.png', null],
      ['b.jpeg', 'B_mask.PNG', null],
    ]);
  });

  it.each(['masks', 'labels', 'annotations', 'Masks', 'mask', 'label', 'annotation'])('pairs images/x.png with %s/x.png', (folder) => {
    expect(pairsOf([`data/images/x.png`, `data/${folder}/x.png`, 'data/images/y.png', `data/${folder}/y.tif`])).toEqual([
      ['data/images/x.png', `data/${folder}/x.png`, null],
      ['data/images/y.png', `data/${folder}/y.tif`, null],
    ]);
  });

  it('a folder decides over a suffix: images/cell_seg.png is an image, masks/cell_mask.png its mask', () => {
    expect(pairsOf(['images/cell_seg.png', 'masks/cell_seg.png', 'images/a.png', 'masks/a_mask.png'])).toEqual([
      ['images/a.png', 'masks/a_mask.png', null],
      ['images/cell_seg.png', 'masks/cell_seg.png', null],
    ]);
  });

  it.each(['images', 'Images', 'masks', 'labels', 'annotations'])(
    'a lone %s/ folder (the picked folder itself) pairs its files by suffix',
    (folder) => {
      const { pairs, problems } = pairFiles([`${folder}/a.png`, `${folder}/a_mask.png`]);
      expect(pairs).toEqual([{ name: `${folder}/a`, image: `${folder}/a.png`, mask: `${folder}/a_mask.png`, split: null }]);
      expect(problems).toEqual([]);
    },
  );

  it('a folder decides only where its partner folder sits beside it', () => {
    expect(pairsOf(['images/a.png', 'masks/a.png'])).toEqual([['images/a.png', 'masks/a.png', null]]);
    expect(pairsOf(['masks/a_mask.png', 'images/a.png'])).toEqual([['images/a.png', 'masks/a_mask.png', null]]);
    // The picked folder is called images; inside it, images/ and masks/ side by side still pair by folder.
    expect(pairsOf(['images/images/b.png', 'images/masks/b.png', 'images/c.png', 'images/c_mask.png'])).toEqual([
      ['images/c.png', 'images/c_mask.png', null],
      ['images/images/b.png', 'images/masks/b.png', null],
    ]);
    // A masks/ folder elsewhere in the import does not make a lone images/ folder a role folder.
    expect(pairsOf(['x/images/d.png', 'x/images/d_mask.png', 'y/masks/e.png', 'y/e.png'])).toEqual([
      ['x/images/d.png', 'x/images/d_mask.png', null],
    ]);
  });

  it('train/ and val/ folders set the split, above or below the images/masks folders', () => {
    expect(
      pairsOf([
        'set/train/images/a.png',
        'set/train/masks/a.png',
        'set/val/images/a.png',
        'set/val/masks/a.png',
        'images/Validation/c.png',
        'masks/Validation/c.png',
        'Training/d.png',
        'Training/d_mask.png',
        'e.png',
        'e_mask.png',
      ]),
    ).toEqual([
      ['Training/d.png', 'Training/d_mask.png', 'train'],
      ['e.png', 'e_mask.png', null],
      ['images/Validation/c.png', 'masks/Validation/c.png', 'val'],
      ['set/train/images/a.png', 'set/train/masks/a.png', 'train'],
      ['set/val/images/a.png', 'set/val/masks/a.png', 'val'],
    ]);
  });

  it('does not pair across train/ and val/: a mask in the other folder leaves both unpaired', () => {
    const { pairs, problems } = pairFiles(['train/a.png', 'val/a_mask.png']);
    expect(pairs).toEqual([]);
    expect(problems.map((p) => p.file).sort()).toEqual(['train/a.png', 'val/a_mask.png']);
  });

  it('names each file left out: not an image, image without mask, mask without image, a second image of the same name', () => {
    const { pairs, problems } = pairFiles(['a.png', 'a_mask.png', 'notes.txt', 'README', 'lonely.png', 'orphan_mask.png', 'a.jpg']);
    expect(pairs.map((p) => p.name)).toEqual(['a']);
    const byFile = Object.fromEntries(problems.map((p) => [p.file, p.message]));
    expect(Object.keys(byFile).sort()).toEqual(['README', 'a.jpg', 'lonely.png', 'notes.txt', 'orphan_mask.png']);
    expect(byFile['notes.txt']).toMatch(/not an image \(\.txt\)/);
    expect(byFile['README']).toMatch(/not an image \(no extension\)/);
    expect(byFile['lonely.png']).toMatch(/image without a mask/);
    expect(byFile['orphan_mask.png']).toMatch(/mask without an image/);
    expect(byFile['a.jpg']).toMatch(/another image has the same name \(a\.png\)/);
    expect(problems.every((p) => p.severity === 'error')).toBe(true);
  });

  it('skips hidden files and OS junk silently', () => {
    const junk = [
      '.DS_Store',
      'set/.DS_Store',
      'Thumbs.db',
      'set/thumbs.db',
      'desktop.ini',
      '.git/config',
      '__MACOSX/a.png',
      'set/._a.png',
    ];
    expect(pairFiles([...junk, 'set/a.png', 'set/a_mask.png'])).toEqual({
      pairs: [{ name: 'set/a', image: 'set/a.png', mask: 'set/a_mask.png', split: null }],
      problems: [],
    });
    expect(junk.every(isIgnoredPath)).toBe(true);
    expect(isIgnoredPath('set/a.png')).toBe(false);
  });

  it('pairs the same whatever order the paths come in, and sorts pairs by name', () => {
    const paths = ['b.png', 'a_mask.png', 'z.png', 'c_mask.png', 'a.png', 'notes.md', 'c.png', 'b_mask.png'];
    expect(pairFiles(paths)).toEqual(pairFiles([...paths].reverse()));
    expect(pairFiles(paths).pairs.map((p) => p.name)).toEqual(['a', 'b', 'c']);
  });
});
