import { describe, expect, it } from 'vitest';
import type { ImportedDataset } from '../../src/data/importedData';
import { loadServes } from './useDataSource';

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
