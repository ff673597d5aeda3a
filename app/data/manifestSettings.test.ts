import { describe, expect, it } from 'vitest';
import { openingExperiment } from '../openingExperiment';
import { withManifestSettings } from './manifestSettings';

describe('withManifestSettings', () => {
  it('takes the manifest’s settings where the address left the first page’s', () => {
    const { experiment, applied, error } = withManifestSettings(openingExperiment(), {
      steps: 600,
      data: { size: 48 },
      optimizer: { name: 'adam', lr: 0.01 },
      losses: [{ id: 'bce' }],
    });
    expect(error).toBeNull();
    expect(experiment.steps).toBe(600);
    expect(experiment.data.size).toBe(48);
    expect(experiment.optimizer).toMatchObject({ name: 'adam', lr: 0.01 });
    expect(experiment.losses.map((l) => l.id)).toEqual(['bce']);
    expect(applied).toEqual(['steps 600', 'image size 48', 'optimiser adam', 'learning rate 0.01', 'losses bce']);
  });

  it('keeps what the address set', () => {
    const mine = openingExperiment();
    mine.data.size = 24;
    mine.losses = mine.losses.slice(0, 1);
    const { experiment, applied } = withManifestSettings(mine, { data: { size: 48, train: 128 }, losses: [{ id: 'bce' }] });
    expect(experiment.data.size).toBe(24);
    expect(experiment.data.train).toBe(128);
    expect(experiment.losses).toEqual(mine.losses);
    expect(applied).toEqual(['training images 128']);
  });

  it('gives a multi-class manifest the multi-class losses when it names none', () => {
    const { experiment, error } = withManifestSettings(openingExperiment(), { data: { classes: 3 } });
    expect(error).toBeNull();
    expect(experiment.data.classes).toBe(3);
    expect(experiment.losses.length).toBeGreaterThan(0);
  });

  it('takes none of them when they do not fit the address’s, and says why', () => {
    const mine = openingExperiment();
    mine.data.train = 8;
    const { experiment, applied, error } = withManifestSettings(mine, { batchSize: 64 });
    expect(experiment).toEqual(mine);
    expect(applied).toEqual([]);
    expect(error).toMatch(/batchSize/);
  });
});

describe('withManifestSettings on the first page’s own settings', () => {
  it('applies nothing, and says nothing, where the manifest repeats the first page’s race', () => {
    const opening = openingExperiment();
    const { experiment, applied } = withManifestSettings(opening, {
      data: { size: opening.data.size },
      losses: opening.losses.map((l) => ({ id: l.id })),
    });
    expect(applied).toEqual([]);
    expect(experiment).toEqual(opening);
  });
});
