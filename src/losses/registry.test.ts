import { existsSync } from 'node:fs';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import vectors from '../reference/loss-vectors.json';
import { checkVectorFile } from '../reference/vectorFile';
import { lossForKey } from '../reference/vectorKeys';
import { LOSSES, LossConfigError, PRESETS, lossesWithin, resolveLoss, type LossDefinition, type Task } from '.';

// Every test below walks the registry, so a loss added to LOSSES is checked without touching this file.
const doc = checkVectorFile(vectors);
const referenceKeys: [string, Task][] = [
  ...(doc.binary_cases ?? []).flatMap((c) => Object.keys(c.losses).map((k): [string, Task] => [k, 'binary'])),
  ...(doc.multiclass_cases ?? []).flatMap((c) => Object.keys(c.losses).map((k): [string, Task] => [k, 'multiclass'])),
];

/** The losses a reference key computes: the one it names and, for a combination, its terms. */
const idsOfKey = ([key, task]: [string, Task]): string[] => {
  const input = lossForKey(key, task, 255);
  return input ? lossesWithin(resolveLoss(input)).map((w) => w.loss.id) : [];
};
const checkedByReference = new Set(referenceKeys.flatMap(idsOfKey));
/** Keys the loss itself answers (its `vectorKey`), not through a preset. */
const ownKeys = (l: LossDefinition) => referenceKeys.filter(([key, task]) => l.vectorKey?.(key, task, 255) !== undefined);

/** The logits' channels the kernels see for a task (three classes stand for several). */
const CHANNELS: Record<Task, number> = { binary: 1, multiclass: 3 };

/** A combination's examples and defaults need terms; every other loss stands alone. */
const defaultsOf = (l: LossDefinition) =>
  resolveLoss(l.parts ? { id: l.id, terms: [{ weight: 1, loss: { id: LOSSES[0].id } }] } : { id: l.id });

describe.each(LOSSES.map((l) => [l.id, l] as const))('loss %s', (id, l) => {
  it('has a formula KaTeX renders, advice, and help on every option', () => {
    expect(() => katex.renderToString(l.formula, { throwOnError: true, output: 'mathml' })).not.toThrow();
    expect(l.about.length).toBeGreaterThan(30);
    for (const p of l.params) expect(p.help.length, p.key).toBeGreaterThan(5);
  });

  it('resolves its defaults and every example, and each example changes the options it names', () => {
    const base = defaultsOf(l);
    for (const e of l.examples ?? []) {
      const spec = resolveLoss({ ...base, ...e.options });
      expect(spec, e.label).not.toEqual(base);
      for (const [key, value] of Object.entries(e.options)) expect(spec[key], `${e.label}: ${key}`).toEqual(value);
    }
  });

  it.runIf(l.tail !== undefined)('gives the kernels a tail of its own for each option set that has one, on each task', () => {
    const specs = [defaultsOf(l), ...(l.examples ?? []).map((e) => resolveLoss({ ...defaultsOf(l), ...e.options }))];
    for (const task of l.tasks) {
      const tails = specs.map((s) => l.tail!(s, CHANNELS[task])).filter((t) => t !== null);
      // The kernels are cached by what their tail says: two option sets with one tail would share a shader.
      expect(new Set(tails.map((t) => JSON.stringify(t))).size, task).toBe(tails.length);
    }
  });

  it.runIf(l.tail !== undefined)('has a tail for some option set (a tail may exist for some options only: Lovász per image)', () => {
    const variants = [
      defaultsOf(l),
      ...(l.examples ?? []).map((e) => resolveLoss({ ...defaultsOf(l), ...e.options })),
      ...l.params.flatMap((p) => (p.kind === 'enum' ? p.options.map((o) => resolveLoss({ ...defaultsOf(l), [p.key]: o })) : [])),
    ];
    expect(l.tasks.some((task) => variants.some((s) => l.tail!(s, CHANNELS[task]) !== null))).toBe(true);
  });

  it.runIf(l.vectorKey !== undefined)('answers keys of the reference vectors, each one a valid spec of itself', () => {
    const keys = ownKeys(l);
    expect(keys.length).toBeGreaterThan(0);
    for (const [key, task] of keys) {
      const spec = resolveLoss(l.vectorKey!(key, task, 255), key);
      expect(spec.id, key).toBe(id);
      expect(l.tasks, key).toContain(task);
    }
  });

  it('is checked against a float64 reference: by the reference vectors or by a test of its own', () => {
    const ownTest = new URL(`./${id}.test.ts`, import.meta.url);
    expect(
      checkedByReference.has(id) || existsSync(ownTest),
      `${id}: no reference key computes it and ${ownTest.pathname} is missing`,
    ).toBe(true);
  });
});

describe('loss registry', () => {
  it('names each loss once', () => {
    const ids = LOSSES.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fills defaults', () => {
    expect(resolveLoss({ id: 'logJaccard' })).toEqual({
      id: 'logJaccard',
      aggregation: 'batch',
      empty: 'zero',
      smooth: 0,
      eps: 1e-7,
      includeBackground: true,
      ignoreIndex: 255,
    });
    expect(resolveLoss({ id: 'focal' })).toMatchObject({ gamma: 2, alpha: null, activation: 'softmax', classReduce: 'sum' });
  });

  it('names the field of a bad option', () => {
    expect(() => resolveLoss({ id: 'focal', gamma: -1 }, 'losses[2]')).toThrow(
      new LossConfigError('losses[2].gamma: expected a number in [0, 10], got -1'),
    );
    expect(() => resolveLoss({ id: 'softJaccard', aggregation: 'mean' })).toThrow(
      /loss\.aggregation: expected one of 'batch', 'perImage', got "mean"/,
    );
    expect(() => resolveLoss({ id: 'bce', gamma: 2 })).toThrow(/loss\.gamma: unknown option for bce; options: posWeight/);
    expect(() => resolveLoss({ id: 'iou' })).toThrow(/loss\.id: unknown loss 'iou'/);
    expect(() => resolveLoss({ id: 'combo', terms: [{ weight: 1, loss: { id: 'ce', weights: [] } }] })).toThrow(
      /loss\.terms\[0\]\.loss\.weights: expected a non-empty list/,
    );
  });

  it('resolves every library preset', () => {
    for (const p of PRESETS) expect(() => resolveLoss(p.loss, p.key)).not.toThrow();
  });
});
