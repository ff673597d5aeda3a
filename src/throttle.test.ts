import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

const WAIT = 250;

describe('the throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const now = () => Date.now();

  it('makes the first call at once and at most one call per wait, ending on the latest value', () => {
    const seen: number[] = [];
    const report = throttle((v: number) => seen.push(v), WAIT, { now });
    for (let v = 1; v <= 10; v++) {
      report(v);
      vi.advanceTimersByTime(40);
    }
    vi.advanceTimersByTime(WAIT);
    // Ten calls 40 ms apart: the first at once, at 250 ms the latest held then (the 7th, made at 240 ms), and at
    // 500 ms the last.
    expect(seen).toEqual([1, 7, 10]);
  });

  it('drops calls inside the wait when not trailing, but lets urgent ones (the last, a new phase) through at once', () => {
    const seen: [number, number][] = [];
    const report = throttle((done: number, total: number) => seen.push([done, total]), WAIT, {
      trailing: false,
      urgent: (done, total) => done === total,
      now,
    });
    report(1, 5);
    report(2, 5);
    report(3, 5);
    report(5, 5);
    vi.advanceTimersByTime(10 * WAIT);
    expect(seen).toEqual([
      [1, 5],
      [5, 5],
    ]);
  });

  it('makes no held call once cancelled', () => {
    const seen: number[] = [];
    const report = throttle((v: number) => seen.push(v), WAIT, { now });
    report(1);
    report(2);
    report.cancel();
    vi.advanceTimersByTime(10 * WAIT);
    expect(seen).toEqual([1]);
  });
});
