import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { MAX_LOSSES, parseExperimentConfig } from '../config/experimentConfig';
import { suggestedCombo } from '../losses/lesson';
import { LOSSES, lossInfo } from '../losses/registry';
import { parameterCountOf } from '../model/layerPlan';
import { useBackend } from '../testing/backends';
import { Race } from './race';
import { jointStepIsShort } from './jointWork';

const small = (extra: object = {}) =>
  parseExperimentConfig({ batchSize: 4, evalEvery: 5, data: { size: 16, train: 32, val: 8, foreground: 0.1 }, ...extra });

const series = (race: Race) => race.histories.map((h) => ({ loss: h.loss, grad: h.gradNorm, fg: h.logitGradFg, iou: h.val.iou }));

// On wasm: the race's bookkeeping is the same on every backend, and tfjs's pure-JS cpu kernels take about a second
// per step under Vitest.
describe('race', () => {
  beforeAll(() => useBackend('wasm'));

  it('is deterministic: the same config and seed give identical series twice', async () => {
    const run = async () => {
      const race = new Race(small({ seed: 7, evalEvery: 10 }));
      await race.advance(12);
      const s = series(race);
      race.dispose();
      return s;
    };
    const [a, b] = [await run(), await run()];
    expect(a[0].loss.length).toBe(12);
    expect(b).toEqual(a);
    const other = new Race(small({ seed: 8, evalEvery: 10 }));
    await other.advance(3);
    expect(series(other)[0].loss).not.toEqual(a[0].loss.slice(0, 3));
    other.dispose();
  });

  it('trains every run from the same weights on the same batches', async () => {
    const race = new Race(small({ losses: [{ id: 'bce' }, { id: 'bce' }, { id: 'logJaccard' }] }));
    await race.advance(6);
    const [a, b, c] = series(race);
    expect(b).toEqual(a);
    expect(c.loss).not.toEqual(a.loss);
    // Step 0 is evaluated before training: identical weights give identical validation IoU.
    expect(c.iou[0]).toBe(a.iou[0]);
    race.dispose();
  });

  it('reset returns to the start: the same steps give the same series again', async () => {
    const race = new Race(small());
    await race.advance(8);
    const before = series(race);
    race.reset();
    expect(race.step).toBe(0);
    expect(race.histories[0].loss).toEqual([]);
    await race.advance(8);
    expect(series(race)).toEqual(before);
    race.dispose();
  });

  it('trains on three input channels: the first layer takes them, and the loss falls', async () => {
    const cfg = small({ evalEvery: 40, data: { size: 16, train: 32, val: 8, foreground: 0.1, channels: 3 }, losses: [{ id: 'bce' }] });
    await useBackend('cpu');
    const race = new Race(cfg);
    expect(race.dataset.channels).toBe(3);
    // Two more input channels: two more 3 × 3 slices of the first convolution's kernel for each of its 8 outputs.
    expect(race.parameterCount).toBe(parameterCountOf(cfg.model, 1) + 2 * 3 * 3 * 8);
    await race.advance(40);
    const loss = race.histories[0].loss;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(loss.slice(-5))).toBeLessThan(0.7 * mean(loss.slice(0, 5)));
    race.dispose();
    await useBackend('wasm');
  });

  it('a learning rate changed mid-run applies from the next step without a reset', async () => {
    const race = new Race(small({ evalEvery: 1, losses: [{ id: 'bce' }] }));
    await race.advance(3);
    race.setOptimizer({ lr: 0 });
    await race.advance(4);
    const iou = race.histories[0].val.iou;
    // With lr 0 the weights stop moving, so the validation IoU freezes.
    expect(new Set(iou.slice(-4)).size).toBe(1);
    expect(race.optimizerSettings.lr).toBe(0);
    race.dispose();
  });
});

describe('divergence', () => {
  beforeAll(() => useBackend('wasm'));

  it('lr 50 marks BCE diverged with the step and the reason; the other runs keep training', async () => {
    const race = new Race(
      parseExperimentConfig({
        evalEvery: 10,
        optimizer: { lr: 50 },
        model: { outputPrior: 3e-4 },
        losses: [{ id: 'bce' }, { id: 'softJaccard' }],
      }),
    );
    await race.advance(30);
    expect(race.diverged[0]).toBeGreaterThan(0);
    expect(race.divergedBecause[0]).toMatch(/^the loss (exploded to .* from .*|became (NaN|Infinity))$/);
    expect(race.histories[0].step.at(-1)).toBe(race.diverged[0]! - 1);
    expect(race.diverged[1]).toBeNull();
    expect(race.histories[1].loss.length).toBe(30);
    race.dispose();
  });
});

describe("a race with a history limit (the worker's)", () => {
  beforeAll(() => useBackend('wasm'));

  it('holds at most the limit, thinned to exact records of every 2nd, 4th… step and the latest, and still catches a divergence', async () => {
    const config = (lr: number) =>
      parseExperimentConfig({
        evalEvery: 2,
        optimizer: { lr },
        model: { outputPrior: 3e-4 },
        losses: [{ id: 'bce' }, { id: 'softJaccard' }],
      });
    const full = new Race(config(0.05));
    await full.advance(30);
    const everything = full.histories[1];
    full.dispose();

    const bounded = new Race(config(0.05), undefined, { historyLimit: 8 });
    await bounded.advance(30);
    const h = bounded.histories[1];
    expect(h.step.length).toBeLessThanOrEqual(8);
    expect(h.stepStride).toBe(8);
    expect(h.step.at(-1)).toBe(30);
    for (const s of h.step.slice(0, -1)) expect((s - 1) % 8).toBe(0);
    expect(h.loss).toEqual(h.step.map((s) => everything.loss[s - 1]));
    expect(h.val.step.length).toBeLessThanOrEqual(8);
    expect(h.val.step.at(-1)).toBe(30);
    expect(h.val.iou).toEqual(h.val.step.map((s) => everything.val.iou[everything.val.step.indexOf(s)]));
    bounded.dispose();

    const exploding = new Race(config(50), undefined, { historyLimit: 8 });
    const update = await exploding.advance(30);
    expect(exploding.diverged[0]).toBeGreaterThan(0);
    expect(update.runs[1].steps).toHaveLength(30);
    exploding.dispose();
  });
});

describe('checkpoints', () => {
  beforeAll(() => useBackend('wasm'));

  it.each(['sgd', 'adam'] as const)(
    '%s: a race restored from a checkpoint into a new race trains on exactly as the old one, and frees everything',
    async (optimizer) => {
      const config = small({ seed: 5, evalEvery: 4, optimizer: { name: optimizer }, losses: [{ id: 'bce' }, { id: 'logJaccard' }] });
      const straight = new Race(config);
      await straight.advance(14);
      const expected = series(straight);
      straight.dispose();

      const before = tf.memory().numTensors;
      const first = new Race(config);
      await first.advance(9);
      first.setOptimizer({ lr: config.optimizer.lr });
      const checkpoint = await first.checkpoint();
      first.dispose();
      const second = new Race(config);
      await second.advance(2);
      second.restore(checkpoint);
      expect(second.step).toBe(9);
      await second.advance(5);
      expect(series(second)).toEqual(expected);
      second.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('keeps live optimiser changes, and refuses a race of other settings or a step under way', async () => {
    const config = small({ losses: [{ id: 'bce' }] });
    const race = new Race(config);
    await race.advance(3);
    race.setOptimizer({ lr: 0.123 });
    const checkpoint = await race.checkpoint();
    const other = new Race(small({ seed: 99, losses: [{ id: 'bce' }] }));
    expect(() => other.restore(checkpoint)).toThrow(/other settings/);
    other.dispose();
    const again = new Race(config);
    again.restore(checkpoint);
    expect(again.optimizerSettings.lr).toBe(0.123);
    again.dispose();
    // Heavy enough that each run is a share of its own (jointStepIsShort), which a pause can come between.
    const heavy = { batchSize: 32, data: { size: 32, train: 32, val: 8, foreground: 0.1 }, model: { width: 16 } };
    expect(jointStepIsShort(heavy.batchSize, heavy.data.size, heavy.model.width)).toBe(false);
    const twoRuns = new Race(small({ ...heavy, losses: [{ id: 'bce' }, { id: 'softDice' }] }));
    await twoRuns.advance(
      1,
      (() => {
        let asked = 0;
        return () => ++asked === 2;
      })(),
    );
    await expect(twoRuns.checkpoint()).rejects.toThrow(/between steps/);
    twoRuns.dispose();
    race.dispose();
  });
});

describe('memory', { timeout: 240_000 }, () => {
  beforeAll(() => useBackend('wasm'));

  const binary = LOSSES.filter((l) => l.tasks.includes('binary')).map((l) => l.id);
  const multiclass = LOSSES.filter((l) => l.tasks.includes('multiclass')).map((l) => l.id);
  // A loss made of others (a combination) races as the suggested one.
  const asInput = (id: string, classes: number) => (lossInfo(id)?.parts ? suggestedCombo(classes === 2 ? 'binary' : 'multiclass') : { id });

  // Every loss of the registry, in races of at most MAX_LOSSES.
  const chunks = (ids: string[]) =>
    Array.from({ length: Math.ceil(ids.length / MAX_LOSSES) }, (_, i) => ids.slice(i * MAX_LOSSES, (i + 1) * MAX_LOSSES));
  it.each([
    ...chunks(binary).map((ids) => ['binary', 2, ids] as const),
    ...chunks(multiclass).map((ids) => ['multi-class', 3, ids] as const),
  ] as const)('%s race of %s: tensor count flat from step 10 to 200, all freed on dispose', async (_, classes, ids) => {
    const start = tf.memory().numTensors;
    const race = new Race(small({ data: { size: 16, train: 32, val: 8, classes }, losses: ids.map((id) => asInput(id, classes)) }));
    await race.advance(10);
    const at10 = tf.memory().numTensors;
    for (let i = 0; i < 19; i++) await race.advance(10);
    expect(race.step).toBe(200);
    expect(tf.memory().numTensors).toBe(at10);
    race.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('stopping between runs', () => {
  beforeAll(() => useBackend('wasm'));

  it('a race stopped mid-step and resumed trains exactly as one that ran straight through, and frees everything', async () => {
    const config = small({ seed: 3, evalEvery: 4, losses: [{ id: 'bce' }, { id: 'logJaccard' }, { id: 'softDice' }] });
    const straight = new Race(config);
    await straight.advance(9);
    const expected = series(straight);
    straight.dispose();

    const before = tf.memory().numTensors;
    const race = new Race(config);
    // Stop after every second run's share: steps complete across calls, never with a run ahead of the counter.
    let asked = 0;
    const stopEveryOther = () => ++asked % 2 === 0;
    const counters: number[] = [];
    while (race.step < 9) {
      const update = await race.advance(9 - race.step, stopEveryOther);
      counters.push(update.step);
      for (const run of update.runs) expect(run.steps.every((s) => s.step <= update.step)).toBe(true);
    }
    expect(counters.length).toBeGreaterThan(5);
    expect(series(race)).toEqual(expected);
    race.reset();
    race.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
