import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, type Scalar, type Tensor } from '../tf';
import { useBackend } from '../testing/backends';
import vectors from '../reference/loss-vectors.json';
import { runParity } from '../reference/parity';
import { checkVectorFile, type VectorFile } from '../reference/vectorFile';
import { lossForKey } from '../reference/vectorKeys';
import { buildLoss } from './buildLoss';
import type { LossDefinition, LossSpec } from './lossDefinition';
import { LOSSES, resolveLoss } from './registry';
import { setSyncRegionKernels } from './regionSyncKernels';

// The region losses' closed form on cpu and wasm, in both its forms (the two kernels of regionSyncKernels.ts, and
// the tfjs ops of regionClosedForm.ts that webgl runs), against tfjs's autodiff of the plain graph written out
// below, against the float64 reference vectors, and in kernels per step.

// Odd shapes: batch 3 of 5×7 images (image 1 empty of objects), binary and 3 classes (every 13th pixel ignored).
const [B, H, W] = [3, 5, 7];
const logit = (i: number) => 2.5 * Math.sin(0.61 * i + 0.3);

/**
 * Logits and targets; `dark` pushes the empty image's object logits to −16, so that its denominator (Σp < 1e-5)
 * falls under eps under empty 'keep' and the clamped branch is taken.
 */
function inputs(classes: number, dark = false): [Tensor, Tensor] {
  const pixels = B * H * W;
  const image = (pix: number) => Math.floor(pix / (H * W));
  const label = (i: number) => (image(i) === 1 ? 0 : ((i * 7) % 11) % classes);
  const channels = classes === 2 ? 1 : classes;
  const z = Array.from({ length: pixels * channels }, (_, i) => {
    const darkened = dark && image(Math.floor(i / channels)) === 1 && (channels === 1 || i % channels > 0);
    return darkened ? -16 : logit(i);
  });
  const logits = tf.tensor4d(z, [B, H, W, channels]);
  if (classes === 2)
    return [
      logits,
      tf.tensor4d(
        Array.from({ length: pixels }, (_, i) => label(i)),
        [B, H, W, 1],
      ),
    ];
  const labels = Array.from({ length: pixels }, (_, i) => (i % 13 === 5 ? 255 : label(i)));
  return [logits, tf.tensor3d(labels, [B, H, W], 'int32')];
}

type Options = Record<string, unknown>;
type Score = (i: Tensor, sp: Tensor, sy: Tensor, s: LossSpec) => [num: Tensor, den: Tensor];
const n = (s: LossSpec, key: string) => s[key] as number;
const smoothDen = (s: LossSpec) => (s.smoothDen as number | undefined) ?? n(s, 'smooth');

/** The scores, written out (region.ts's formula table). */
const JACCARD: Score = (i, sp, sy, s) => [tf.add(i, n(s, 'smooth')), tf.add(tf.sub(tf.add(sp, sy), i), smoothDen(s))];
const DICE: Score = (i, sp, sy, s) => [tf.add(tf.mul(i, 2), n(s, 'smooth')), tf.add(tf.add(sp, sy), smoothDen(s))];
const TVERSKY: Score = (i, sp, sy, s) => {
  const den = tf.add(tf.add(i, tf.mul(tf.sub(sp, i), n(s, 'alpha'))), tf.mul(tf.sub(sy, i), n(s, 'beta')));
  return [tf.add(i, n(s, 'smooth')), tf.add(den, smoothDen(s))];
};
const oneMinus = (score: Tensor) => tf.sub(1, score);
const negLog = (score: Tensor, s: LossSpec) => tf.neg(tf.log(n(s, 'eps') > 0 ? tf.maximum(score, n(s, 'eps')) : score));
const focal = (score: Tensor, s: LossSpec) => tf.pow(tf.maximum(tf.sub(1, score), 1e-7), n(s, 'gamma'));

/** Each region loss's score and outcome; the first test checks that it names exactly the registry's region losses. */
const PLAIN: Record<string, { score: Score; outcome: (score: Tensor, s: LossSpec) => Tensor }> = {
  softJaccard: { score: JACCARD, outcome: oneMinus },
  logJaccard: { score: JACCARD, outcome: negLog },
  softDice: { score: DICE, outcome: oneMinus },
  logDice: { score: DICE, outcome: negLog },
  tversky: { score: TVERSKY, outcome: (score, s) => (s.log ? negLog(score, s) : oneMinus(score)) },
  focalTversky: { score: TVERSKY, outcome: focal },
};

/** The region loss as a plain tfjs graph: per-group sums, scores, the weighted mean over the groups. */
function plainLoss(s: LossSpec, logits: Tensor, targets: Tensor): Scalar {
  const [b, h, w, c] = logits.shape;
  const z = tf.reshape(logits, [b, h * w, c]);
  const multi = c > 1;
  const labels = tf.reshape(targets, [b, h * w]);
  const valid = multi ? tf.expandDims(tf.cast(tf.notEqual(labels, n(s, 'ignoreIndex')), 'float32'), 2) : tf.onesLike(z);
  const y = multi ? tf.mul(tf.oneHot(tf.cast(labels, 'int32'), c), valid) : tf.reshape(targets, [b, h * w, 1]);
  const p = tf.mul(multi ? tf.softmax(z, -1) : tf.sigmoid(z), valid);
  const axes = s.aggregation === 'perImage' ? [1] : [0, 1];
  const sy = tf.sum(y, axes);
  const [num, den] = PLAIN[s.id].score(tf.sum(tf.mul(p, y), axes), tf.sum(s.squaredPred ? tf.square(p) : p, axes), sy, s);
  const chosen = s.classes as number[] | undefined;
  const mask = Array.from({ length: c }, (_, k) => (!multi || ((!chosen || chosen.includes(k)) && (s.includeBackground || k > 0)) ? 1 : 0));
  const sel = tf.broadcastTo(tf.tensor1d(mask), sy.shape);
  const weight = s.empty === 'keep' ? sel : tf.mul(sel, tf.cast(tf.greater(sy, 0), 'float32'));
  const count = tf.maximum(tf.sum(s.empty === 'skip' ? weight : sel), 1);
  const clamped = n(s, 'eps') > 0 ? tf.maximum(den, n(s, 'eps')) : den;
  const score = tf.where(tf.greater(weight, 0), tf.div(num, clamped), tf.onesLike(weight));
  return tf.div(tf.sum(tf.mul(PLAIN[s.id].outcome(score, s), weight)), count) as Scalar;
}

const regionTailed = (l: LossDefinition) => l.tail?.(resolveLoss({ id: l.id }), 1)?.kind === 'region';
const REGION = LOSSES.filter(regionTailed);
const optionSets = (l: LossDefinition): Options[] => [{}, ...(l.examples ?? []).map((e) => e.options)];
const classCounts = (l: LossDefinition) => [2, ...(l.tasks.includes('multiclass') ? [3] : [])];

/** Options that take the closed form down its other branches (as lossKernels.test.ts's table); `dark`: see inputs. */
const BRANCHES: readonly { options: Options; classes: readonly number[]; dark?: boolean }[] = [
  { options: { aggregation: 'perImage', empty: 'skip' }, classes: [2, 3] },
  { options: { aggregation: 'perImage', empty: 'keep', smooth: 1 }, classes: [2, 3] },
  { options: { aggregation: 'perImage', empty: 'keep' }, classes: [2, 3], dark: true },
  { options: { empty: 'keep' }, classes: [2, 3], dark: true },
  // A numerator that is not 0 on the clamped group: its gradient through the denominator must be 0.
  { options: { aggregation: 'perImage', empty: 'keep', eps: 1e-3, smooth: 1e-4, smoothDen: 0 }, classes: [2, 3], dark: true },
  { options: { eps: 0, smooth: 0.5 }, classes: [2, 3] },
  { options: { eps: 0, smooth: 0.5, empty: 'skip', aggregation: 'perImage' }, classes: [2, 3] },
  { options: { squaredPred: true, smoothDen: 2 }, classes: [2, 3] },
  { options: { smoothDen: 0.5, smooth: 2 }, classes: [2, 3] },
  { options: { includeBackground: false }, classes: [3] },
  { options: { classes: [0, 2], empty: 'skip', aggregation: 'perImage' }, classes: [3] },
  { options: { classes: [1], aggregation: 'perImage' }, classes: [3] },
  { options: { gamma: 0.5, alpha: 0.25 }, classes: [2, 3] },
  { options: { gamma: 1.5, alpha: 0.7 }, classes: [2] },
  { options: { alpha: 0.2, beta: 0.8, log: true }, classes: [2, 3] },
  { options: { alpha: 0, beta: 1 }, classes: [2] },
];
const takes = (l: LossDefinition, o: Options) => Object.keys(o).every((k) => l.params.some((p) => p.key === k));

type Case = readonly [id: string, options: Options, classes: number, dark: boolean];
/** Every region loss at its defaults and examples, binary and on 3 classes; each branch on every loss that has its options. */
const CASES: Case[] = [
  ...REGION.flatMap((l) => optionSets(l).flatMap((o) => classCounts(l).map((c): Case => [l.id, o, c, false]))),
  ...BRANCHES.flatMap(({ options, classes, dark }) =>
    REGION.filter((l) => takes(l, options)).flatMap((l) =>
      classes.filter((c) => classCounts(l).includes(c)).map((c): Case => [l.id, options, c, dark ?? false]),
    ),
  ),
];

async function valueAndGrad(f: (z: Tensor, t: Tensor) => Scalar, classes: number, dark: boolean) {
  const [z, t] = inputs(classes, dark);
  const { value, grad } = tf.valueAndGrad((x: Tensor) => f(x, t))(z);
  const out = { value: (await value.data())[0], grad: Array.from(await grad.data()) };
  tf.dispose([z, t, value, grad]);
  return out;
}

/** What tf.profile lists that runs nothing (views, custom-gradient scopes): scripts/bench/benchCases.ts's list. */
const NO_DISPATCH = new Set(['Reshape', 'Identity', 'ExpandDims', 'Squeeze', 'unnamed scope', 'forward']);

async function dispatches(id: string, classes: number): Promise<string[]> {
  const loss = buildLoss(resolveLoss({ id }));
  const [z, t] = inputs(classes);
  const profile = await tf.profile(() => tf.grad((x: Tensor) => loss(x, t))(z));
  tf.dispose([z, t]);
  return profile.kernels.map((k) => k.name).filter((name) => !NO_DISPATCH.has(name));
}

it('the plain graphs cover every region loss of the registry, and the cases reach each of them', () => {
  expect(REGION.length).toBeGreaterThan(0);
  expect(Object.keys(PLAIN).sort()).toEqual(REGION.map((l) => l.id).sort());
  for (const l of REGION) expect(CASES.filter(([id, , c]) => id === l.id && c === 3).length).toBeGreaterThan(0);
});

/** The forms and the kernels a loss's value and gradient may take in each, on one channel and on three. */
const FORMS = { kernels: [3, 3], ops: [32, 40] } as const;

describe.each([
  ['cpu', 'kernels'],
  ['wasm', 'kernels'],
  ['cpu', 'ops'],
  ['wasm', 'ops'],
] as const)('the closed form on %s, as %s', (backend, form) => {
  beforeAll(async () => {
    await useBackend(backend);
    setSyncRegionKernels(form === 'kernels');
  });
  afterAll(() => setSyncRegionKernels(true));

  it.each(CASES)('%s %o, %i classes (dark %s): the plain graph’s value and logit gradient', async (id, options, classes, dark) => {
    const spec = resolveLoss({ id, ...options });
    const want = await valueAndGrad((z, t) => tf.tidy(() => plainLoss(spec, z, t)), classes, dark);
    const before = tf.memory().numTensors;
    const got = await valueAndGrad(buildLoss(spec), classes, dark);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(want.value)).toBe(true);
    expect(Math.abs(got.value - want.value)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want.value)));
    const scale = Math.max(...want.grad.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    got.grad.forEach((g, i) => expect(Math.abs(g - want.grad[i])).toBeLessThanOrEqual(1e-5 * scale));
  });

  it('matches the float64 reference vectors on every region loss key', async () => {
    const doc = checkVectorFile(vectors);
    const region = new Set(REGION.map((l) => l.id));
    const keep = <C extends { losses: Record<string, unknown>; metrics: Record<string, unknown> }>(
      c: C,
      task: 'binary' | 'multiclass',
      ignore: number | null,
    ): C => ({
      ...c,
      losses: Object.fromEntries(Object.entries(c.losses).filter(([k]) => region.has(lossForKey(k, task, ignore)?.id ?? ''))),
      metrics: {},
    });
    const only: VectorFile = {
      ...doc,
      binary_cases: (doc.binary_cases ?? []).map((c) => keep(c, 'binary', null)),
      multiclass_cases: (doc.multiclass_cases ?? []).map((c) => keep(c, 'multiclass', c.ignore_index)),
    };
    const report = await runParity(only);
    expect(report.backend).toBe(backend);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    const ids = new Set(report.results.map((r) => r.key.split('/')[0]));
    expect(report.passed).toBeGreaterThan(50);
    expect(ids.size).toBeGreaterThanOrEqual(5);
  });

  // Autodiff of the group sums took 58–79 kernels on one channel and 66–87 on three (wasm, at the defaults).
  it.each(REGION.flatMap((l) => classCounts(l).map((c) => [l.id, c, FORMS[form][c === 2 ? 0 : 1]] as const)))(
    '%s on %i classes: value and gradient in at most %i kernels',
    async (id, classes, most) => {
      const kernels = await dispatches(id, classes);
      expect(kernels.length, kernels.join(' ')).toBeLessThanOrEqual(most);
    },
  );
});
