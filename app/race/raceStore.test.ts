import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseExperimentConfig } from '../../src/config/experimentConfig';
import type { StepRecord } from '../../src/train/history';
import type { RaceInfo } from '../../src/worker/raceSession';
import { DRAW_INTERVAL_MS } from '../../src/train/clock';
import { RaceStore, runMetric } from './raceStore';

const config = parseExperimentConfig({ losses: [{ id: 'softJaccard' }, { id: 'bce' }] });
const info: RaceInfo = {
  config,
  parameterCount: 0,
  layerNames: ['conv1', 'out'],
  size: 32,
  classes: 2,
  channels: 1,
  previewImages: new Float32Array(0),
  previewLabels: new Uint8Array(0),
  dataProblems: [],
  warmUpMs: 0,
  initial: { step: 0, runs: [] },
  convGradients: ['custom', 'custom'],
};
const record = (step: number, loss: number): StepRecord => ({
  step,
  loss,
  gradNorm: 1 / step,
  layerNorms: [step, -step],
  logitGradFg: 0,
  logitGradBg: 0,
  trainIoU: 0,
  fgFraction: 0,
});

/** Posts `steps` more steps for both runs, `chunk` at a time, as the worker does. */
function train(store: RaceStore, from: number, steps: number, chunk = 25, loss = (s: number) => Math.sin(s / 100)) {
  for (let start = from; start < from + steps; start += chunk) {
    const records = Array.from({ length: Math.min(chunk, from + steps - start) }, (_, k) => record(start + k + 1, loss(start + k + 1)));
    store.apply({
      type: 'update',
      stepsPerSecond: 30,
      memory: { tensors: 0, bytes: 0 },
      update: {
        step: records.at(-1)!.step,
        runs: [0, 1].map((index) => ({ index, steps: records, evals: [], diverged: null, divergedBecause: null })),
      },
    });
  }
}

describe('race store chart series', () => {
  it('keep a 20 000-step run within 2000 points per series, with its spikes and its latest value', () => {
    const store = new RaceStore();
    store.start(info);
    const spike = (s: number) => (s === 12_345 ? 50 : Math.sin(s / 100));
    for (let from = 0; from < 20_000; from += 1000) {
      train(store, from, 1000, 25, spike);
      runMetric(store.runs[0], 'loss');
    }
    const loss = runMetric(store.runs[0], 'loss');
    expect(store.runs[0].first?.step).toBe(1);
    expect(store.runs[0].last?.step).toBe(20_000);
    // Nothing but the decimated views is kept of the records: every metric within its 2000 points.
    for (const v of store.runs[0].views.values()) expect(v.points().x.length).toBeLessThanOrEqual(2000);
    expect(loss.x.length).toBeLessThanOrEqual(2000);
    expect(loss.y).toContain(50);
    expect(loss.x.at(-1)).toBe(20_000);
    const layer = runMetric(store.runs[1], 'layer:1');
    expect(layer.y.at(-1)).toBe(-20_000);
    expect(Math.min(...layer.y)).toBe(-20_000);
  });

  it('start again from nothing after a reset', () => {
    const store = new RaceStore();
    store.start(info);
    train(store, 0, 300);
    expect(runMetric(store.runs[0], 'gradNorm').x.at(-1)).toBe(300);
    store.apply({ type: 'update', stepsPerSecond: 0, memory: { tensors: 0, bytes: 0 }, update: { step: 0, runs: [] } });
    expect(runMetric(store.runs[0], 'gradNorm').x).toEqual([]);
    train(store, 0, 40);
    expect(runMetric(store.runs[0], 'gradNorm').x).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});

describe('race store redraw rate', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('redraws ten times a second while training, shows the last step after a pause, and answers play/pause at the next frame', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 16));
    const store = new RaceStore();
    store.start(info);
    const draws: number[] = [];
    store.subscribe(() => draws.push(store.step));
    // The worker posts every 5 ms for one second.
    for (let t = 0; t < 1000; t += 5) {
      train(store, store.step, 1, 1);
      vi.advanceTimersByTime(5);
    }
    expect(draws.length).toBeGreaterThanOrEqual(1000 / DRAW_INTERVAL_MS - 1);
    expect(draws.length).toBeLessThanOrEqual(1000 / DRAW_INTERVAL_MS + 1);

    // One last step lands just after a draw, then the worker falls silent: that step must still be drawn.
    const drawn = draws.length;
    while (draws.length === drawn) {
      train(store, store.step, 1, 1);
      vi.advanceTimersByTime(1);
    }
    train(store, store.step, 1, 1);
    vi.advanceTimersByTime(DRAW_INTERVAL_MS + 20);
    expect(draws.at(-1)).toBe(store.step);

    // Pausing right after a draw shows "Play" again at the next frame, not a tenth of a second later.
    store.apply({ type: 'state', playing: false, step: store.step });
    const before = draws.length;
    vi.advanceTimersByTime(17);
    expect(draws.length).toBe(before + 1);
  });

  it('a pause by the user shows at the next frame, before the worker confirms, and later steps still arrive', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 16));
    const store = new RaceStore();
    store.start(info);
    store.apply({ type: 'state', playing: true, step: 0 });
    train(store, 0, 10);
    vi.advanceTimersByTime(DRAW_INTERVAL_MS + 20);
    const seen: boolean[] = [];
    store.subscribe(() => seen.push(store.playing));
    store.pausedByUser();
    vi.advanceTimersByTime(17);
    expect(seen).toEqual([false]);
    // The run the worker was training finishes its step: drawn, and the race stays paused.
    train(store, 10, 1);
    vi.advanceTimersByTime(DRAW_INTERVAL_MS + 20);
    expect(store.step).toBe(11);
    expect(store.playing).toBe(false);
  });
});
