import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import {
  isLiveField,
  liveSettingsOf,
  OPTIMIZER_FIELDS,
  parseExperimentConfig,
  raceIdentity,
  type OptimizerConfig,
} from '../config/experimentConfig';
import type { Field } from '../schema/schema';
import { useBackend, webGpuMissing } from '../testing/backends';
import { ADAM_EPSILON } from './adamEpsilon';
import { createOptimizer } from './createOptimizer';
import { OPTIMIZER_RULES, readsSetting, slotsOf, type OptimizerName } from './optimizerRules';
import { clipGradient } from './tfjsOptimizer';
import type { OptimizerState } from './optimizers';

// The optimisers are data (optimizerRules.ts); these tests hold what each rule means against float64 references
// written from PyTorch's documentation, and hold the kernels made from the same data to the tfjs version.
const NAMES = Object.keys(OPTIMIZER_RULES) as OptimizerName[];

const [RUNS, PARAMS] = [2, 37];

/** Settings that change while training, as a user changes them live: momentum off and on again, clipping on and off. */
function schedule(name: OptimizerName): OptimizerConfig[] {
  const base = parseExperimentConfig({ optimizer: { name, lr: 0.05, clipNorm: 0.5 } }).optimizer;
  return [
    base,
    base,
    { ...base, momentum: 0, lr: 0.02 },
    { ...base, momentum: 0, clipNorm: null },
    { ...base, beta1: 0.8, clipNorm: null },
    { ...base, beta2: 0.99, lr: 0.1 },
    base,
  ];
}

/** A deterministic gradient per step, of varied sizes (some big enough for the clipping to bite). */
const gradientAt = (step: number) => Float64Array.from({ length: RUNS * PARAMS }, (_, i) => Math.sin(1.7 * i + 3.1 * step) * (1 + (i % 5)));
const startParams = () => Float64Array.from({ length: RUNS * PARAMS }, (_, i) => Math.cos(0.3 * i));

interface Reference {
  params: Float64Array;
  slots: Float64Array[];
}

/** PyTorch's torch.optim.SGD (momentum, no dampening or Nesterov) and torch.optim.Adam, per run, in float64. */
const REFERENCE: Record<OptimizerName, (r: Reference, g: Float64Array, s: OptimizerConfig, t: number) => void> = {
  sgd: (r, g, s) => {
    r.params.forEach((p, i) => {
      // With momentum 0 PyTorch keeps no momentum_buffer and leaves one it has alone.
      if (s.momentum > 0) r.slots[0][i] = s.momentum * r.slots[0][i] + g[i];
      r.params[i] = p - s.lr * (s.momentum > 0 ? r.slots[0][i] : g[i]);
    });
  },
  adam: (r, g, s, t) => {
    const [m, v] = r.slots;
    r.params.forEach((p, i) => {
      m[i] = s.beta1 * m[i] + (1 - s.beta1) * g[i];
      v[i] = s.beta2 * v[i] + (1 - s.beta2) * g[i] * g[i];
      const mHat = m[i] / (1 - s.beta1 ** t);
      const vHat = v[i] / (1 - s.beta2 ** t);
      r.params[i] = p - (s.lr * mHat) / (Math.sqrt(vHat) + ADAM_EPSILON);
    });
  },
};

/** torch.nn.utils.clip_grad_norm_ on each run's gradient (its total norm over every parameter). */
function clipReference(g: Float64Array, s: OptimizerConfig): Float64Array {
  if (s.clipNorm === null) return g;
  const out = new Float64Array(g.length);
  for (let k = 0; k < RUNS; k++) {
    const run = g.subarray(k * PARAMS, (k + 1) * PARAMS);
    const norm = Math.sqrt(run.reduce((a, x) => a + x * x, 0));
    const scale = Math.min(1, s.clipNorm / (norm + 1e-6));
    run.forEach((x, i) => (out[k * PARAMS + i] = x * scale));
  }
  return out;
}

function referenceRun(name: OptimizerName) {
  const r: Reference = { params: startParams(), slots: Array.from({ length: slotsOf(name) }, () => new Float64Array(RUNS * PARAMS)) };
  schedule(name).forEach((s, step) => REFERENCE[name](r, clipReference(gradientAt(step), s), s, step + 1));
  return r;
}

/**
 * Trains [RUNS, PARAMS] parameters through `settings` (steps `from` on) with an Optimizer and the tfjs clipping,
 * from the start or from saved parameters and optimiser state.
 */
async function optimiserRun(
  name: OptimizerName,
  fused: boolean,
  settings = schedule(name),
  { from = 0, start = null as { params: Float32Array; state: OptimizerState } | null } = {},
) {
  const optimizer = createOptimizer(name, { fused });
  let params = tf.tensor2d(start?.params ?? Float32Array.from(startParams()), [RUNS, PARAMS]);
  if (start) optimizer.load(start.state, [RUNS, PARAMS]);
  settings.forEach((s, i) => {
    const next = tf.tidy(() => {
      const grad = tf.tensor2d(Float32Array.from(gradientAt(from + i)), [RUNS, PARAMS]);
      const clipped = clipGradient(grad, () => tf.sum(tf.square(grad), 1, true), s);
      return optimizer.step(params, clipped, s);
    });
    params.dispose();
    params = next as typeof params;
  });
  const out = { params: (await params.data()) as Float32Array, state: await optimizer.save() };
  params.dispose();
  optimizer.dispose();
  return out;
}

const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number) => {
  expect(actual.length).toBe(expected.length);
  const worst = Array.from(actual).reduce((w, a, i) => Math.max(w, Math.abs(a - expected[i]) / Math.max(1e-3, Math.abs(expected[i]))), 0);
  expect(worst).toBeLessThan(relative);
};

describe('each optimiser rule, run with tfjs ops, is PyTorch’s update', () => {
  beforeAll(() => useBackend('cpu'));

  it.each(NAMES)('%s with clipping, through live changes of its settings, matches a float64 reference', async (name) => {
    const before = tf.memory().numTensors;
    const { params, state } = await optimiserRun(name, false);
    const reference = referenceRun(name);
    expectClose(params, reference.params, 1e-5);
    state.slots.forEach((slot, i) => expectClose(slot!, reference.slots[i], 1e-4));
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(NAMES)('%s: parameters and a saved state taken back train on exactly as without the break', async (name) => {
    const settings = schedule(name);
    const whole = await optimiserRun(name, false, settings);
    const head = await optimiserRun(name, false, settings.slice(0, 3));
    const resumed = await optimiserRun(name, false, settings.slice(3), { from: 3, start: head });
    expect(resumed.params).toEqual(whole.params);
    expect(resumed.state).toEqual(whole.state);
  });
});

describe('the settings an optimiser reads are the ones that change its steps', () => {
  beforeAll(() => useBackend('cpu'));

  const live = (OPTIMIZER_FIELDS as readonly Field[]).filter(isLiveField);

  /** Another value of a numeric field than `value`, inside its range. */
  const other = (f: Field, value: unknown) => {
    if (!('min' in f)) throw new Error(`${f.key} is not numeric`);
    return value === null || value === f.max ? f.min : f.max;
  };

  it.each(NAMES.flatMap((name) => live.map((f) => [name, f.key] as const)))('%s, %s', async (name, key) => {
    const settings = schedule(name).map((s) => ({ ...s, clipNorm: 0.5 }));
    const field = live.find((f) => f.key === key)!;
    const changed = settings.map((s) => ({ ...s, [key]: other(field, s[key as keyof OptimizerConfig]) }));
    const [a, b] = [await optimiserRun(name, false, settings), await optimiserRun(name, false, changed)];
    const same = a.params.every((v, i) => v === b.params[i]);
    expect(same).toBe(!readsSetting(name, key));
  });
});

describe('the live optimiser settings (the fields marked live)', () => {
  const base = parseExperimentConfig({});

  it.each((OPTIMIZER_FIELDS as readonly Field[]).map((f) => [f.key, f] as const))(
    '%s: a change keeps the race (live) or makes a new one',
    (key, f) => {
      const value = base.optimizer[key as keyof OptimizerConfig];
      const changedValue = f.kind === 'enum' ? f.options.find((o) => o !== value) : 'min' in f ? (value === f.max ? f.min : f.max) : null;
      const changed = { ...base, optimizer: { ...base.optimizer, [key]: changedValue } };
      expect(raceIdentity(changed) === raceIdentity(base)).toBe(isLiveField(f));
      expect(key in liveSettingsOf(base.optimizer)).toBe(isLiveField(f));
    },
  );
});

const noAdapter = await webGpuMissing('the optimiser kernel is');

describe.skipIf(noAdapter !== null)('the optimiser kernel made from the same rules (Dawn in Node)', () => {
  afterAll(() => useBackend('cpu'));

  it.each(NAMES)('%s: the same parameters and state as the tfjs version, live changes included', async (name) => {
    await useBackend('cpu');
    const reference = await optimiserRun(name, false);
    await useBackend('webgpu');
    const before = tf.memory().numTensors;
    const fused = await optimiserRun(name, true);
    // A few float32 ulps: the clipping's norm sums in another order on the GPU (the rule itself computes as tfjs).
    expectClose(fused.params, reference.params, 1e-6);
    expect(fused.state.t).toBe(reference.state.t);
    fused.state.slots.forEach((slot, i) => expectClose(slot!, reference.state.slots[i]!, 1e-6));
    expect(tf.memory().numTensors).toBe(before);
  });
});
