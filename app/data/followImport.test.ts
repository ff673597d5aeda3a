import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/config/experimentConfig';
import type { ImportedDataset } from '../../src/data/importedData';
import { followImport, followNotice, followsImport } from './followImport';

const imported = (channels: 1 | 3, classes: number): ImportedDataset => ({
  name: 'cells',
  pairs: [],
  channels,
  classes,
  maskKind: 'binary',
  hash: 'h',
  bytes: 0,
  problems: [],
});

describe('followImport', () => {
  const grey = parseExperimentConfig({ losses: [{ id: 'bce' }, { id: 'logJaccard' }] });

  it('leaves settings that already fit the data as they are', () => {
    expect(followImport(grey, imported(1, 2))).toBe(grey);
    expect(followsImport(grey, imported(1, 2))).toBe(true);
    expect(followNotice(grey, imported(1, 2))).toBeNull();
  });

  it('takes colour images in as three channels, keeping the losses of the same task', () => {
    const next = followImport(grey, imported(3, 2));
    expect(next.data.channels).toBe(3);
    expect(next.losses).toBe(grey.losses);
    expect(followsImport(grey, imported(3, 2))).toBe(false);
    expect(followNotice(grey, imported(3, 2))).toBe('cells has colour images, so the net takes 3 input channels.');
  });

  it('sets the classes from the masks and gives the race losses of the new task', () => {
    const three = parseExperimentConfig({ data: { classes: 3 } });
    const next = followImport(three, imported(1, 2));
    expect(next.data.classes).toBe(2);
    expect(next.losses).toEqual(parseExperimentConfig({}).losses);
    expect(followNotice(three, imported(1, 2))).toBe(
      'cells’s masks have 2 classes (background included), so the classes setting is 2 and the race the binary losses.',
    );
  });

  it('keeps a higher classes setting when the same data is imported again under it', () => {
    const three = parseExperimentConfig({ data: { classes: 3 } });
    expect(followImport(three, imported(1, 2), false)).toBe(three);
    expect(followNotice(three, imported(1, 2), false)).toBeNull();
    expect(followsImport(three, imported(1, 2))).toBe(true);
    expect(followsImport(grey, imported(1, 3))).toBe(false);
  });

  it('keeps two classes when every mask is empty', () => {
    expect(followImport(grey, imported(1, 1)).data.classes).toBe(2);
  });
});
