import { beforeAll, describe, expect, it, vi } from 'vitest';
import { POST_INTERVAL_MS, stepsPerPost } from '../train/clock';
import { tf } from '../tf';
import { useBackend } from '../testing/backends';
import { RaceSession, SetupCancelled, type SessionEvent } from './raceSession';

const config = { evalEvery: 10, data: { size: 16, train: 32, val: 8 }, batchSize: 4 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The speed cap (steps per second) and how long the faked clock runs, in the test of the session's clock. */
const [CAP, CLOCK_MS] = [200, 1200];

/**
 * Lets a playing session train until it waits on the faked clock (its next chunk is a timer), then moves the clock on
 * to that timer: the clock stands still while a chunk trains, so what the session measures is the clock's alone.
 */
async function tick() {
  while (vi.getTimerCount() === 0) await new Promise((r) => setImmediate(r));
  await vi.advanceTimersToNextTimerAsync();
}

describe('race session (the worker side of training)', { timeout: 60_000 }, () => {
  beforeAll(() => useBackend('wasm'));

  it('warms up, streams every step once at most once per post interval of the clock, reports the steps per second of the clock, and stops on pause', async () => {
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

    // The session's clock is faked: every chunk waits on it (setTimeout), and it reads it for the rate and the posts.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      events.length = 0;
      session.setSpeed(CAP);
      session.play();
      while (performance.now() < CLOCK_MS) await tick();
      // The chunk under way ends at the pause and waits on the clock like any other.
      const paused = session.pause();
      await tick();
      await paused;
      const updates = events.flatMap(({ at, event }) => (event.type === 'update' ? [{ at, ...event }] : []));
      expect(updates.length).toBeGreaterThan(5);
      expect(updates.length).toBeLessThanOrEqual(CLOCK_MS / POST_INTERVAL_MS + 1);
      // The last is the pause's, which sends what is left at once.
      updates.slice(1, -1).forEach((u, i) => expect(u.at - updates[i].at).toBeGreaterThanOrEqual(POST_INTERVAL_MS));
      // Every step reached the page exactly once, in order.
      const steps = updates.flatMap((u) => u.update.runs[0].steps.map((s) => s.step));
      expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
      // The cap is met on the clock, and the rate reported is the one trained (measured over the latest half second).
      expect(steps.length).toBeLessThanOrEqual((CAP * CLOCK_MS) / 1000 + stepsPerPost(CAP, Infinity));
      expect(updates.at(-1)!.stepsPerSecond).toBeGreaterThan(0.9 * CAP);
      expect(updates.at(-1)!.stepsPerSecond).toBeLessThan(1.2 * CAP);
      expect(events.at(-1)!.event).toMatchObject({ type: 'state', playing: false });

      // Paused, nothing more comes, however long the clock runs.
      const count = events.length;
      await vi.advanceTimersByTimeAsync(1000);
      expect(events.length).toBe(count);
    } finally {
      vi.useRealTimers();
    }
    await session.dispose();
  });

  it('a pause step stops Play exactly there, chunks included; Play from it trains on; it outlives a reset', async () => {
    const events: SessionEvent[] = [];
    const waiting: { until: (e: SessionEvent) => boolean; resolve: () => void }[] = [];
    const session = new RaceSession((event) => {
      events.push(event);
      for (const w of waiting.filter((w) => w.until(event))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    });
    const next = (until: (e: SessionEvent) => boolean) => new Promise<void>((resolve) => waiting.push({ until, resolve }));
    const stopped = () => next((e) => e.type === 'state' && !e.playing);
    const reached = (step: number) => next((e) => e.type === 'update' && e.update.step >= step);
    const stepsSent = () => events.flatMap((e) => (e.type === 'update' ? e.update.runs[0].steps.map((s) => s.step) : []));
    await session.configure({ ...config, losses: [{ id: 'bce' }] });
    // Far enough that the chunks have grown to many steps each by then: the last one must be cut at the pause step.
    session.setPauseAt(150);
    events.length = 0;
    let stop = stopped();
    session.play();
    await stop;
    expect(events.at(-1)).toEqual({ type: 'state', playing: false, step: 150 });
    expect(stepsSent()).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));

    // Play from the pause step: the reader keeps training, past it.
    events.length = 0;
    const past = reached(160);
    session.play();
    await past;
    await session.pause();
    expect(stepsSent()[0]).toBe(151);
    expect(stepsSent().at(-1)).toBeGreaterThanOrEqual(160);

    // After a reset the race stops at the same step again.
    await session.reset();
    events.length = 0;
    stop = stopped();
    session.play();
    await stop;
    expect(stepsSent().at(-1)).toBe(150);

    // A bad pause step is refused with the reason and the one set stays; null removes it.
    for (const bad of [0, 2.5, NaN, -3]) expect(() => session.setPauseAt(bad)).toThrow(/pause step: expected .* whole number/);
    await session.reset();
    events.length = 0;
    stop = stopped();
    session.play();
    await stop;
    expect(stepsSent().at(-1)).toBe(150);
    session.setPauseAt(null);
    await session.reset();
    const free = reached(151);
    session.play();
    await free;
    await session.pause();
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

  it('reports set-up progress by phase, and a cancel or a newer set-up gives the old one up, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const session = new RaceSession(() => {});
    const heavy = { ...config, data: { size: 16, train: 512, val: 64 }, losses: [{ id: 'bce' }, { id: 'softDice' }] };
    const phases: string[] = [];
    const info = await session.configure(heavy, (p) => phases.push(`${p.phase} ${p.done}/${p.total}`));
    expect(phases[0]).toBe('images 0/576');
    expect(phases).toContain('images 576/576');
    // Off webgpu two runs this light step jointly (jointWork.ts): the first step is one share of both.
    expect(phases.slice(-3)).toEqual(['evaluate 0/1', 'firstStep 0/2', 'firstStep 2/2']);
    expect(info.initial.runs.map((r) => r.evals.map((e) => e.step))).toEqual([[0], [0]]);

    // Cancelled while it makes images: it gives up and leaves no race behind.
    const cancelled = session.configure(heavy, (p) => p.phase === 'images' && p.done >= 128 && session.cancelSetup());
    await expect(cancelled).rejects.toBeInstanceOf(SetupCancelled);
    await expect(session.step()).rejects.toThrow('no race configured yet');

    // Replaced by a newer set-up: the older one gives up, the newer one is the race.
    const older = session.configure(heavy);
    const newer = session.configure({ ...config, losses: [{ id: 'logJaccard' }] });
    await expect(older).rejects.toBeInstanceOf(SetupCancelled);
    expect((await newer).config.losses.map((l) => l.id)).toEqual(['logJaccard']);
    await session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a pause is taken between the runs of a step, and Step completes the interrupted step', async () => {
    const updates: Extract<SessionEvent, { type: 'update' }>[] = [];
    const session = new RaceSession((e) => e.type === 'update' && updates.push(e));
    // Heavy enough that one lockstep step of four runs takes far longer than the session's 50 ms between yields.
    const slow = {
      ...config,
      batchSize: 32,
      data: { size: 64, train: 64, val: 8 },
      model: { width: 16 },
      losses: [{ id: 'bce' }, { id: 'bce' }, { id: 'bce' }, { id: 'bce' }],
    };
    await session.configure(slow);
    // Where a pause lands is a matter of timing; between the four runs of a step it lands mid-step three times in
    // four, so within ten tries it has (but for one chance in a million). A pause only between steps would never.
    let midStep = 0;
    for (let i = 0; i < 10 && midStep === 0; i++) {
      session.play();
      await sleep(150);
      await session.pause();
      midStep = session.runsIntoStep;
    }
    expect(midStep).toBeGreaterThan(0);
    expect(midStep).toBeLessThan(4);
    const last = updates.at(-1)!.update;
    for (const run of last.runs) expect(run.steps.every((s) => s.step <= last.step)).toBe(true);
    // Step finishes the interrupted step for the runs that had not taken it, and every run reports it.
    await session.step();
    expect(session.runsIntoStep).toBe(0);
    const done = updates.at(-1)!.update;
    expect(done.step).toBe(last.step + 1);
    for (const run of done.runs) expect(run.steps.at(-1)?.step).toBe(done.step);
    await session.dispose();
  });

  it('a checkpoint taken while training, restored into a new session, gives the same results file and trains on; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const two = { ...config, losses: [{ id: 'bce' }, { id: 'logJaccard' }] };
    let trained = () => {};
    const training = new Promise<void>((resolve) => (trained = resolve));
    const first = new RaceSession((e) => e.type === 'update' && e.update.step >= 20 && trained());
    await first.configure(two);
    first.play();
    await training;
    const checkpoint = await first.checkpoint();
    expect(first.runsIntoStep).toBe(0);
    const kept = first.results();
    expect(kept.steps).toBe(checkpoint.step);
    expect(kept.runs[0].history.step.at(-1)).toBe(checkpoint.step);
    await first.dispose();

    const updates: Extract<SessionEvent, { type: 'update' }>[] = [];
    const second = new RaceSession((e) => e.type === 'update' && updates.push(e));
    await second.configure(two);
    await second.restore(structuredClone(checkpoint));
    expect(second.results()).toEqual(kept);
    await second.step();
    expect(updates.at(-1)!.update.step).toBe(checkpoint.step + 1);
    expect(second.results().runs[1].history.step.slice(-2)).toEqual([checkpoint.step, checkpoint.step + 1]);
    await second.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('times the weight gradients at set-up unless told not to (a software GPU)', async () => {
    const session = new RaceSession(() => {});
    // wasm has one form only: no timing, and the forward-convolution form everywhere.
    expect((await session.configure(config)).convGradients).toEqual(['custom', 'custom', 'custom']);
    session.timeConvGradients = false;
    expect((await session.configure(config)).convGradients).toEqual(['auto', 'auto', 'auto']);
    await session.dispose();
  });
});
