import { describe, expect, it } from 'vitest';
import { decodedOrRaw, fileNameOf, manifestPaths, MAX_MANIFEST_BYTES, parseManifest } from './manifest';

const AT = 'https://course.example/lessons/data/nuclei.json';
const manifest = (m: unknown) => JSON.stringify(m);
const pairs = [{ image: 'tiles/a.png', mask: 'tiles/a_mask.png' }];

describe('parseManifest', () => {
  it('resolves the files against the manifest and keeps the split', () => {
    const m = parseManifest(
      manifest({
        name: 'nuclei',
        description: 'DSB 2018 tiles',
        pairs: [
          { image: 'tiles/a.png', mask: '../masks/a.png', split: 'train' },
          { image: '/other/b.tif', mask: 'https://cdn.example/b.png', split: 'val' },
          { image: 'c.png', mask: 'c%20mask.png' },
        ],
      }),
      AT,
    );
    expect(m.name).toBe('nuclei');
    expect(m.description).toBe('DSB 2018 tiles');
    expect(m.settings).toBeNull();
    expect(m.pairs).toEqual([
      { image: 'https://course.example/lessons/data/tiles/a.png', mask: 'https://course.example/lessons/masks/a.png', split: 'train' },
      { image: 'https://course.example/other/b.tif', mask: 'https://cdn.example/b.png', split: 'val' },
      { image: 'https://course.example/lessons/data/c.png', mask: 'https://course.example/lessons/data/c%20mask.png', split: null },
    ]);
  });

  it('keeps settings that a config file could hold', () => {
    const settings = { steps: 300, data: { size: 32 }, model: { outputPrior: 0.0001 }, losses: [{ id: 'bce' }] };
    expect(parseManifest(manifest({ name: 'n', pairs, settings }), AT).settings).toEqual(settings);
  });

  it.each([
    ['not JSON', '{ name: ', /not JSON/],
    ['not an object', '[1, 2]', /not a JSON object/],
    [
      'a web page (a wrong path on a server that answers every path)',
      '<!doctype html><html></html>',
      /gives a web page, not a manifest JSON/,
    ],
    ['an unknown key', manifest({ name: 'n', pairs, images: [] }), /"images": not a manifest key/],
    ['no name', manifest({ pairs }), /^name: expected/],
    ['a name a link cannot carry', manifest({ name: 'a/b', pairs }), /^name: a data set name has only/],
    ['no pairs', manifest({ name: 'n', pairs: [] }), /^pairs: expected a list/],
    ['a pair without a mask', manifest({ name: 'n', pairs: [{ image: 'a.png' }] }), /^pairs\[0\]\.mask: expected a file's URL/],
    ['a pair with an unknown key', manifest({ name: 'n', pairs: [{ ...pairs[0], label: 'x' }] }), /^pairs\[0\]\."label": not/],
    ['a bad split', manifest({ name: 'n', pairs: [{ ...pairs[0], split: 'test' }] }), /^pairs\[0\]\.split: expected "train" or "val"/],
    [
      'a javascript: URL',
      manifest({ name: 'n', pairs: [{ image: 'javascript:alert(1)', mask: 'm.png' }] }),
      /^pairs\[0\]\.image: javascript:/,
    ],
    ['a data: URL', manifest({ name: 'n', pairs: [{ image: 'a.png', mask: 'data:image/png;base64,AA' }] }), /^pairs\[0\]\.mask: data:/],
    ['a long description', manifest({ name: 'n', pairs, description: 'x'.repeat(501) }), /^description: expected a text of at most 500/],
    ['settings that are not an object', manifest({ name: 'n', pairs, settings: 3 }), /^settings: expected an object/],
    ['a setting out of range', manifest({ name: 'n', pairs, settings: { data: { size: 4 } } }), /^settings\.data\.size: expected/],
    ['a setting that is no setting', manifest({ name: 'n', pairs, settings: { data: { colour: 1 } } }), /^settings\.data/],
    [
      'another data source',
      manifest({ name: 'n', pairs, settings: { data: { source: 'synthetic' } } }),
      /^settings\.data\.source: a manifest is its own/,
    ],
  ])('refuses %s, naming where', (_, text, message) => {
    expect(() => parseManifest(text, AT)).toThrow(message);
  });

  it('states its limits: the text read and the pairs taken', () => {
    expect(() => parseManifest(' '.repeat(MAX_MANIFEST_BYTES + 1), AT)).toThrow(/at most 1000000 are read/);
    const many = manifest({ name: 'n', pairs: Array.from({ length: 11 }, () => pairs[0]) });
    expect(() => parseManifest(many, AT, 10)).toThrow('pairs: 11 pairs; at most 10 are imported');
    expect(parseManifest(many, AT, 11).pairs).toHaveLength(11);
  });
});

describe('manifestPaths', () => {
  it('places a pair where the import pairs it, under its split, whatever the server calls the files', () => {
    const m = parseManifest(
      manifest({
        name: 'n',
        pairs: [
          { image: 'x/a.png', mask: 'y/seg.png?v=2', split: 'val' },
          { image: 'z/a.png', mask: 'w/a.png' },
        ],
      }),
      AT,
    );
    expect(manifestPaths(m.pairs[0], 0, { image: 'png', mask: 'png' })).toEqual({
      image: 'val/images/0001-a.png',
      mask: 'val/masks/0001-a.png',
    });
    expect(manifestPaths(m.pairs[1], 1, { image: 'tiff', mask: 'png' })).toEqual({ image: 'images/0002-a.tiff', mask: 'masks/0002-a.png' });
  });

  it('names a file by the last segment of its path', () => {
    expect(fileNameOf('https://a.example/d/cell%201.png?x=1')).toBe('cell 1.png');
  });

  it('names a file with a malformed escape by its raw text, and places its pair', () => {
    expect(decodedOrRaw('a%ZZ.png')).toBe('a%ZZ.png');
    expect(decodedOrRaw('a%E0%A4%A.png')).toBe('a%E0%A4%A.png');
    expect(decodedOrRaw('cell%201.png')).toBe('cell 1.png');
    expect(fileNameOf('https://a.example/d/a%ZZ.png')).toBe('a%ZZ.png');
    const m = parseManifest(manifest({ name: 'n', pairs: [{ image: 'a%ZZ.png', mask: 'm/a%ZZ.png' }] }), AT);
    expect(manifestPaths(m.pairs[0], 0, { image: 'png', mask: 'png' })).toEqual({
      image: 'images/0001-a%ZZ.png',
      mask: 'masks/0001-a%ZZ.png',
    });
  });
});
