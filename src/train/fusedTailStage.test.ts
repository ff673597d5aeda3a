import { describe, expect, it } from 'vitest';
import { DATA_FIELDS, TOP_FIELDS } from '../config/experimentConfig';
import { outputChannels } from '../domain/task';
import { TailStage } from './fusedTailStage';

const maxOf = (fields: readonly { key: string; max?: number }[], key: string) => fields.find((f) => f.key === key)!.max!;

// The stage keeps each image's (and class's) coefficients in workgroup memory, of which WebGPU guarantees 16 KB.
describe('the loss stage’s workgroup memory', () => {
  it('takes a race’s largest batch with the most classes the settings allow', () => {
    const batch = maxOf(TOP_FIELDS, 'batchSize');
    for (let classes = 2; classes <= maxOf(DATA_FIELDS, 'classes'); classes++) {
      expect(TailStage.fits(outputChannels(classes), batch), `${classes} classes`).toBe(true);
    }
  });

  it('refuses a landscape’s 512 validation images of three classes (the landscape then takes the losses’ own kernels)', () => {
    expect(TailStage.fits(1, 512)).toBe(true);
    expect(TailStage.fits(3, 256)).toBe(true);
    expect(TailStage.fits(3, 512)).toBe(false);
  });
});
