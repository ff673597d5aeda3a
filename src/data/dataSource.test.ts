import { describe, expect, it } from 'vitest';
import { DataSourceError, dataSourceOf, dataSourceText } from './dataSource';

describe('data source', () => {
  it.each([
    ['synthetic', { kind: 'synthetic' }],
    ['', { kind: 'synthetic' }],
    ['local:nuclei tiles', { kind: 'local', name: 'nuclei tiles' }],
    ['local:cells_v2.1-b', { kind: 'local', name: 'cells_v2.1-b' }],
    ['dir:../shared/data/nuclei/tiles', { kind: 'dir', name: '../shared/data/nuclei/tiles' }],
    ['/examples/nuclei.json', { kind: 'url', url: '/examples/nuclei.json' }],
    ['./x.json', { kind: 'url', url: './x.json' }],
    ['examples/cells.json', { kind: 'url', url: 'examples/cells.json' }],
    ['../data/set.json?v=2', { kind: 'url', url: '../data/set.json?v=2' }],
    ['https://example.org/data/set.json', { kind: 'url', url: 'https://example.org/data/set.json' }],
  ])('reads %j', (text, source) => {
    expect(dataSourceOf(text)).toEqual(source);
  });

  it('writes back what it reads', () => {
    for (const text of ['synthetic', 'local:a b', 'dir:tiles', '/examples/x.json', 'https://example.org/x.json'])
      expect(dataSourceText(dataSourceOf(text))).toBe(text);
  });

  it.each([
    ['local:', /^data=“local:”: a data set needs a name\.$/],
    ['local:a/b', /^data=“local:a\/b”: a data set name has only letters, digits, spaces and _ - \.\.$/],
    [`local:${'x'.repeat(65)}`, /at most 64 characters \(this one has 65\)/],
    ['local: padded', /cannot start or end with a space/],
    ['dir:', /names no folder/],
    ['nuclei', /“nuclei” is not a data source: use synthetic, local:NAME/],
    ['examples/cells.png', /is not a data source/],
    ['ftp://example.org/x.json', /is not a data source/],
    ['https://exa mple.org/x.json', /is not a valid address/],
  ])('refuses %j with words', (text, message) => {
    expect(() => dataSourceOf(text)).toThrow(DataSourceError);
    expect(() => dataSourceOf(text)).toThrow(message);
  });
});
