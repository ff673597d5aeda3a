import { describe, expect, it } from 'vitest';
import { RunHistory, type StepRecord } from './history';

const record = (step: number): StepRecord => ({
  step,
  loss: 1 / step,
  gradNorm: step,
  layerNorms: [step, -step],
  logitGradFg: 0,
  logitGradBg: 0,
  trainIoU: 0,
  fgFraction: 0,
});

describe('RunHistory', () => {
  it('keeps every record without a limit', () => {
    const h = new RunHistory();
    for (let s = 1; s <= 1000; s++) h.push(record(s));
    expect(h.step).toHaveLength(1000);
    expect(h.stepStride).toBe(1);
  });

  it.each([7, 16, 100, 1000, 4097])('with limit 16 after %i records: at most 16, on a power-of-two stride, ending at the latest', (n) => {
    const h = new RunHistory(16);
    for (let s = 1; s <= n; s++) h.push(record(s));
    expect(h.step.length).toBeLessThanOrEqual(16);
    expect(h.step.length).toBeGreaterThanOrEqual(Math.min(n, 8));
    expect(h.step.at(-1)).toBe(n);
    const stride = h.stepStride;
    expect(Math.log2(stride) % 1).toBe(0);
    // Every kept record but the latest is record k·stride (the first record is number 0).
    h.step.slice(0, -1).forEach((s, i) => expect(s).toBe(1 + i * stride));
    // The columns stay aligned and exact.
    expect(h.loss).toEqual(h.step.map((s) => 1 / s));
    expect(h.layerNorms).toEqual(h.step.map((s) => [s, -s]));
  });

  it('carries its records and its thinning across a state round trip', () => {
    const a = new RunHistory(16);
    const b = new RunHistory(16);
    for (let s = 1; s <= 50; s++) a.push(record(s));
    const copy = RunHistory.from(structuredClone(a.state), 16);
    for (let s = 51; s <= 300; s++) {
      a.push(record(s));
      copy.push(record(s));
    }
    for (let s = 1; s <= 300; s++) b.push(record(s));
    expect(copy.state).toEqual(a.state);
    expect(copy.step).toEqual(b.step);
  });
});
