import { describe, expect, it } from 'vitest';
import { datasetNameProblem } from './datasetName';

describe('datasetNameProblem', () => {
  it('takes names a link carries without escapes', () => {
    for (const name of ['nuclei', 'DSB 2018 tiles', 'cells_v2.1-b', 'x'.repeat(64)]) expect(datasetNameProblem(name)).toBeNull();
  });

  it.each([
    ['', /needs a name/],
    ['  ', /needs a name/],
    [' nuclei', /start or end with a space/],
    ['x'.repeat(65), /at most 64 characters \(this one has 65\)/],
    ['a/b', /only letters, digits/],
    ['<img>', /only letters, digits/],
    ['a:b', /only letters, digits/],
  ])('says why %j cannot be a name', (name, message) => {
    expect(datasetNameProblem(name)).toMatch(message);
  });
});
