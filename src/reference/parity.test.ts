import { beforeAll, describe, expect, it } from 'vitest';
import vectors from './loss-vectors.json';
import { formatParity, runParity } from './parity';
import { checkVectorFile, type VectorFile } from './vectorFile';
import { useBackend } from '../testing/backends';

const doc = checkVectorFile(vectors);
const keyCount = [...(doc.binary_cases ?? []), ...(doc.multiclass_cases ?? [])].reduce(
  (n, c) => n + Object.keys(c.losses).length + Object.keys(c.metrics).length,
  0,
);

describe.each(['cpu', 'wasm'] as const)('reference parity on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('matches every loss and metric key of the reference vectors, none skipped', async () => {
    const report = await runParity(doc);
    expect(report.backend).toBe(backend);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(report.passed).toBe(keyCount);
    expect(keyCount).toBe(652);
    expect(formatParity(report)).toBe(`${keyCount} passed, 0 failed`);
  });
});

describe('parity failures', () => {
  beforeAll(() => useBackend('cpu'));

  it('counts an unknown key and a wrong value as failures and names them', async () => {
    const one = structuredClone(doc.binary_cases![0]);
    one.losses = { 'made_up_loss/batch': { value: 1 }, bce_mean: { ...one.losses.bce_mean, value: 0.5 } };
    one.metrics = { 'hard_fg_iou/batch/empty=exclude': 0.5 };
    const report = await runParity({ binary_cases: [one] } as VectorFile);
    const out = formatParity(report).split('\n');
    expect(out.at(-1)).toBe('0 passed, 3 failed');
    expect(out[0]).toMatch(/^FAIL mixed made_up_loss\/batch: unknown key$/);
    expect(out[1]).toMatch(/^FAIL mixed bce_mean: value got 0\.385\d+ want 0\.5/);
    expect(out[2]).toMatch(/^FAIL mixed hard_fg_iou\/batch\/empty=exclude: value got 0\.666/);
  });

  it('fails every key of a case whose inputs are invalid, saying which tensor is wrong', async () => {
    const one = structuredClone(doc.multiclass_cases![0]);
    one.labels[0][2] = 7;
    const report = await runParity({ multiclass_cases: [one] } as VectorFile);
    expect(report.passed).toBe(0);
    expect(report.failed).toBe(Object.keys(one.losses).length + Object.keys(one.metrics).length);
    expect(report.results[0].detail).toBe(
      'bad case input: labels: value 7 at flat index 2 is outside [0, 3) and is not the ignore label 255',
    );
  });

  it('catches a gradient that is off by more than the tolerance', async () => {
    const one = structuredClone(doc.binary_cases![0]);
    const grad = one.losses.bce_mean.grad as number[][];
    grad[1][3] += 1e-3;
    one.losses = { bce_mean: one.losses.bce_mean };
    one.metrics = {};
    const report = await runParity({ binary_cases: [one] } as VectorFile);
    expect(report.failed).toBe(1);
    expect(report.results[0].detail).toMatch(/^grad\[11\] got/);
  });
});
