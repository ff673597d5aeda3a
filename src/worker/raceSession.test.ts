import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { useBackend } from '../testing/backends';
import { RaceSession, type SessionEvent } from './raceSession';

const config = { evalEvery: 10, data: { size: 16, train: 32, val: 8 }, batchSize: 4 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('race session (the worker side of training)', { timeout: 60_000 }, () => {
  beforeAll(() => useBackend('wasm'));

  it('warms up, streams updates at most ~30 times a second while playing, and stops on pause', async () => {
    const events: { at: number; event: SessionEvent }[] = [];
    const session = new RaceSession((event) => events.push({ at: performance.now(), event }));
    const info = await session.configure(config);
    expect(info.parameterCount).toBeGreaterThan(0);
    expect(info.previewImages.length).toBe(4 * 16 * 16);
    expect(info.warmUpMs).toBeGreaterThan(0);
    // After warm-up the race is back at step 0, and the answer carries the step-0 evaluation.
    expect(info.initial.step).toBe(0);
    expect(info.initial.runs[0].evals.map((e) => e.step)).toEqual([0]);
    expect(info.initial.runs[0].steps).toEqual([]);

    events.length = 0;
    session.play();
    await sleep(1500);
    await session.pause();
    const updates = events.filter((e) => e.event.type === 'update');
    const span = (updates.at(-1)!.at - updates[0].at) / 1000;
    expect(updates.length).toBeGreaterThan(5);
    expect((updates.length - 1) / span).toBeLessThan(35);
    // Every step reached the page exactly once, in order.
    const steps = updates.flatMap((u) => (u.event as Extract<SessionEvent, { type: 'update' }>).update.runs[0].steps.map((s) => s.step));
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
    expect(events.at(-1)!.event).toMatchObject({ type: 'state', playing: false });

    const count = events.length;
    await sleep(300);
    expect(events.length).toBe(count);
    await session.dispose();
  });

  it('single step, reset and live settings; dispose frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const updates: Extract<SessionEvent, { type: 'update' }>[] = [];
    const session = new RaceSession((e) => e.type === 'update' && updates.push(e));
    await session.configure(config);
    await session.step();
    await session.step();
    expect(updates.at(-1)!.update.step).toBe(2);
    session.setOptimizer({ lr: 0.5, clipNorm: 1 });
    await session.reset();
    expect(updates.at(-1)!.update.step).toBe(0);
    await session.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(session.step()).rejects.toThrow('no race configured yet');
  });

  it('rejects a bad config with the field named, keeping the previous race', async () => {
    const session = new RaceSession(() => {});
    await session.configure(config);
    await expect(session.configure({ optimizer: { lr: 'fast' } })).rejects.toThrow(/^optimizer\.lr: expected a number/);
    await expect(session.step()).resolves.toBeUndefined();
    await session.dispose();
  });
});
