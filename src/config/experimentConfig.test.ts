import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../schema/schema';
import { parseExperimentConfig } from './experimentConfig';

describe('experiment config', () => {
  it('accepts the documented example and fills the rest with defaults', () => {
    const cfg = parseExperimentConfig({
      seed: 1,
      steps: 300,
      batchSize: 8,
      evalEvery: 25,
      data: { shape: 'disks', classes: 2, size: 32, foreground: 0.06, empty: 0, noise: 0.25, train: 256, val: 64 },
      model: { width: 8, outputPrior: 0.5 },
      optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, clipNorm: 1 },
      losses: [{ id: 'softJaccard' }, { id: 'logJaccard', aggregation: 'perImage' }, { id: 'bce' }],
    });
    expect(cfg.model.depth).toBe('shallow');
    expect(cfg.data.contrast).toBe(0.6);
    expect(cfg.data).toMatchObject({ source: 'synthetic', channels: 1, crop: 'crop', scaling: 'dataset', valShare: 0.2 });
    expect(cfg.optimizer.beta2).toBe(0.999);
    expect(cfg.losses[1]).toMatchObject({ id: 'logJaccard', aggregation: 'perImage', empty: 'zero' });
  });

  it('an empty object is the default race: 1 − IoU, −log IoU and BCE on disks', () => {
    const cfg = parseExperimentConfig({});
    expect(cfg.losses.map((l) => l.id)).toEqual(['softJaccard', 'logJaccard', 'bce']);
    expect(cfg.optimizer.clipNorm).toBeNull();
    expect(parseExperimentConfig({ data: { classes: 3 } }).losses.map((l) => l.id)).toEqual(['softJaccard', 'logJaccard', 'ce']);
  });

  it.each([
    [{ stepz: 3 }, /^stepz: unknown setting; known: seed, steps, batchSize, evalEvery$/],
    [{ data: { size: 100 } }, /^data\.size: expected an integer in \[16, 64\], got 100$/],
    [{ data: { shape: 'stars' } }, /^data\.shape: expected one of 'disks', 'squares', 'bars', 'mixed'/],
    [{ model: { outputPrior: 0 } }, /^model\.outputPrior: expected a number in/],
    [{ optimizer: { name: 'rmsprop' } }, /^optimizer\.name: expected one of 'sgd', 'adam'/],
    [{ losses: [] }, /^losses: expected a list of 1 to 6 losses/],
    [{ losses: [{ id: 'bce', gamma: 2 }] }, /^losses\[0\]\.gamma: unknown option for bce/],
    [{ data: { classes: 3 }, losses: [{ id: 'bce' }] }, /^losses\[0\]\.id: bce is for binary data, but data\.classes is 3$/],
    [
      { losses: [{ id: 'combo', terms: [{ weight: 1, loss: { id: 'bce' } }] }], data: { classes: 3 } },
      /^losses\[0\]\.terms\[0\]\.loss\.id: bce is for binary data/,
    ],
    [{ batchSize: 16, data: { train: 8 } }, /^batchSize: 16 is larger than the training set/],
    [{ data: { source: 3 } }, /^data\.source: expected text of at most 2000 characters, got 3$/],
    [{ data: { source: 'x'.repeat(2001) } }, /^data\.source: expected text of at most 2000 characters/],
    [{ data: { channels: 2.5 } }, /^data\.channels: expected an integer in \[1, 3\]/],
    [{ data: { valShare: 0.9 } }, /^data\.valShare: expected a number in \[0\.05, 0\.5\]/],
    [{ data: { crop: 'pad' } }, /^data\.crop: expected one of 'crop', 'resize'/],
    [[1, 2], /^config: expected a JSON object$/],
  ])('rejects %j with a message naming the field', (input, message) => {
    expect(() => parseExperimentConfig(input)).toThrow(ConfigError);
    expect(() => parseExperimentConfig(input)).toThrow(message);
  });
});

// A manifest of one's own images (it lists `pairs`) sits beside the configs; its own test reads it.
const exampleConfigs = readdirSync('public/examples')
  .filter((f) => f.endsWith('.json'))
  .filter((f) => !('pairs' in (JSON.parse(readFileSync(join('public/examples', f), 'utf8')) as object)));

describe('example configs shipped in public/examples', () => {
  it.each(exampleConfigs)('%s is a valid config', (file) => {
    expect(() => parseExperimentConfig(JSON.parse(readFileSync(join('public/examples', file), 'utf8')))).not.toThrow();
  });
});
