import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { ImportedDataset } from '../../src/data/importedData';
import { fetchManifest } from './fetchManifest';
import { importKept, loadServes, type Kept } from './useDataSource';

const imported = (classes: number, maskKind: ImportedDataset['maskKind'] = 'binary'): ImportedDataset => ({
  name: 'cells',
  pairs: [],
  channels: 1,
  classes,
  maskKind,
  hash: 'h',
  bytes: 0,
  problems: [],
});

const loaded = (status: 'ready' | 'loading' | 'missing' | 'error', classes: number, found: ImportedDataset | null = null) => ({
  source: 'local:cells',
  classes,
  scaling: 'dataset',
  status,
  name: 'cells',
  description: null,
  progress: null,
  imported: found,
  summary: null,
  problems: [],
  error: null,
});

describe('loadServes: whether what was loaded serves the settings without another import', () => {
  it('serves the same source, classes and scaling; not another source or scaling', () => {
    const l = loaded('ready', 2, imported(2));
    expect(loadServes(l, 'local:cells', 2, 'dataset')).toBe(true);
    expect(loadServes(l, 'local:other', 2, 'dataset')).toBe(false);
    expect(loadServes(l, 'local:cells', 2, 'image')).toBe(false);
  });

  it('serves a lower class limit that still holds every class found (the settings following the import)', () => {
    expect(loadServes(loaded('ready', 3, imported(2)), 'local:cells', 2, 'dataset')).toBe(true);
    expect(loadServes(loaded('ready', 3, imported(3)), 'local:cells', 2, 'dataset')).toBe(false);
    // Instance maps are read by the limit: another limit, another reading.
    expect(loadServes(loaded('ready', 3, imported(2, 'instance')), 'local:cells', 2, 'dataset')).toBe(false);
  });

  it('imports again for a higher limit: masks left out for their classes may now be taken', () => {
    expect(loadServes(loaded('ready', 2, imported(2)), 'local:cells', 3, 'dataset')).toBe(false);
    expect(loadServes(loaded('error', 2), 'local:cells', 3, 'dataset')).toBe(false);
  });

  it('does not retry what failed or is missing for the same settings, and restarts a load cut short', () => {
    expect(loadServes(loaded('error', 2), 'local:cells', 2, 'dataset')).toBe(true);
    expect(loadServes(loaded('missing', 2), 'local:cells', 3, 'dataset')).toBe(true);
    expect(loadServes(loaded('loading', 2), 'local:cells', 2, 'dataset')).toBe(false);
  });
});

describe('importKept: a manifest’s files imported as the manifest names them', () => {
  it('names the pairs by the manifest’s image paths and every file in a problem by its URL', async () => {
    const AT = 'https://course.example/data/set.json';
    const grey = (v: number) => encode({ width: 16, height: 16, channels: 1, depth: 8, data: new Uint8Array(256).fill(v) });
    const files: Record<string, Uint8Array | string> = {
      [AT]: JSON.stringify({
        name: 'set',
        pairs: [
          { image: 'img/a.png', mask: 'img/a_mask.png' },
          { image: 'img/b.png', mask: 'img/b_mask.png' },
          { image: 'img/c.png', mask: 'img/c_mask.png' },
        ],
      }),
      'https://course.example/data/img/a.png': grey(10),
      'https://course.example/data/img/a_mask.png': grey(255),
      'https://course.example/data/img/b.png': grey(20),
      'https://course.example/data/img/b_mask.png': 'not a png',
      'https://course.example/data/img/c.png': grey(30),
      'https://course.example/data/img/c_mask.png': grey(0),
    };
    const fetchFn = (async (input: RequestInfo | URL) => new Response(files[String(input)] as BodyInit)) as typeof fetch;
    const data = await fetchManifest(AT, { fetch: fetchFn });
    const kept: Kept = {
      source: AT,
      name: data.name,
      description: null,
      files: data.files,
      urlOf: data.urlOf,
      fetchProblems: data.problems,
    };
    const imported = await importKept(kept, 2, 'dataset', () => undefined);
    expect(imported.pairs.map((p) => p.name)).toEqual(['img/a', 'img/c']);
    const bad = imported.problems.find((p) => p.severity === 'error');
    expect(bad?.file).toBe('https://course.example/data/img/b_mask.png');
    expect(bad?.message).toContain('https://course.example/data/img/b.png');
    expect(bad?.message).not.toMatch(/images\/000|masks\/000/);
  });
});
