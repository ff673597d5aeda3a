// The soft region losses: 1 − IoU, −log IoU, 1 − Dice, −log Dice and Tversky. They share one score
// computation; what differs is the score's coefficients and what turns a score into a loss (an Outcome).
import type { Field } from '../schema/schema';
import { LossInputError } from './errors';
import { defineLoss, type LossFn, type LossInput, type SpecOf, type Task } from './lossDefinition';
import type { LossKit } from './lossKit';
import { wgslFloat } from './wgslFloat';
import type { Outcome } from './outcome';
import type { RegionTail } from './regionKernels';
import type { LossTail } from './lossTail';
import type { LossFamilyId } from './lossFamily';
import type { EmptyRule } from './groupMean';
import { regionClosedForm } from './regionClosedForm';
import { writeToy, toyResult, type Toy, type ToyLossFn, type ToyResult } from './toy';

export const ignoreIndexField = {
  key: 'ignoreIndex',
  label: 'ignore label',
  advanced: true,
  kind: 'int',
  min: 0,
  max: 65535,
  default: 255,
  help: 'Multi-class pixels with this label take no part in the loss.',
  words: { '{}': 'label {} ignored' },
} as const satisfies Field;

export const aggregationField = (fallback: 'batch' | 'perImage', help: string) =>
  ({
    key: 'aggregation',
    label: 'aggregation',
    kind: 'enum',
    options: ['batch', 'perImage'],
    default: fallback,
    help,
    words: { batch: 'over the batch', perImage: 'per image' },
  }) as const satisfies Field;

/** Numerator and denominator smoothing, shared by every ratio loss (its default differs by library). */
export const smoothFields = <D extends number>(fallback: D) =>
  [
    {
      key: 'smooth',
      label: 'smooth',
      kind: 'number',
      min: 0,
      max: 100,
      default: fallback,
      scale: 'log',
      help: 'Added to the numerator and the denominator.',
      words: { '0': 'no smoothing', '{}': 'smoothing {}' },
    },
    {
      key: 'smoothDen',
      label: 'denominator smooth',
      advanced: true,
      kind: 'number',
      min: 0,
      max: 100,
      default: undefined,
      scale: 'log',
      help: 'A different smoothing for the denominator (MONAI smooth_dr); the numerator keeps `smooth`.',
      words: { none: 'the same smoothing in the denominator', '{}': 'smoothing {} in the denominator' },
    },
  ] as const satisfies readonly Field[];

/** Options every region loss has. */
export const REGION_FIELDS = [
  aggregationField('batch', 'batch: Σ I / Σ U over the whole batch (per class); perImage: the mean of the per-image ratios.'),
  {
    key: 'empty',
    label: 'empty groups',
    kind: 'enum',
    options: ['zero', 'skip', 'keep'] satisfies readonly EmptyRule[],
    default: 'zero',
    help: 'A group with no target pixels adds 0 but counts (zero, smp), leaves the mean (skip), or is computed as is (keep, MONAI: with smooth 0 an empty group scores 1 − IoU = 1, or −log eps, with zero gradient).',
    words: { zero: 'empty masks add 0', skip: 'empty masks skipped', keep: 'empty masks kept' },
  },
  ...smoothFields(0),
  {
    key: 'eps',
    label: 'eps clamp',
    advanced: true,
    kind: 'number',
    min: 0,
    max: 1e-3,
    default: 1e-7,
    scale: 'log',
    help: 'smp clamp: denominator max(D, eps), −log max(score, eps); 0 turns it off.',
    words: { '0': 'no eps clamp', '{}': 'eps {}' },
  },
  {
    key: 'classes',
    label: 'classes',
    advanced: true,
    kind: 'intList',
    min: 0,
    max: 255,
    default: undefined,
    help: 'Multi-class: the classes that enter the mean (all by default).',
    words: { none: 'every class', '{}': 'classes {}' },
  },
  {
    key: 'includeBackground',
    label: 'include background',
    multiclassOnly: true,
    kind: 'boolean',
    default: true,
    help: 'Multi-class: false leaves class 0 out of the mean (MONAI include_background).',
    words: { true: 'background included', false: 'background left out' },
  },
  ignoreIndexField,
] as const satisfies readonly Field[];

export type RegionOptions = SpecOf<typeof REGION_FIELDS>;

const squaredPredField = {
  key: 'squaredPred',
  label: 'Σp² denominator',
  kind: 'boolean',
  default: false,
  help: 'Squares the predictions in the denominator (V-Net, MONAI squared_pred).',
  words: { true: 'Σp² in the denominator', false: 'Σp in the denominator' },
} as const satisfies Field;

/** Tversky's weights of the two kinds of error. */
export const TVERSKY_FIELDS = [
  {
    key: 'alpha',
    label: 'α (false positives)',
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.3,
    help: 'Weight of false positives.',
    words: { '{}': 'α = {}' },
  },
  {
    key: 'beta',
    label: 'β (false negatives)',
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.7,
    help: 'Weight of false negatives; β > α favours recall.',
    words: { '{}': 'β = {}' },
  },
] as const satisfies readonly Field[];

/**
 * The score's shape, from I = Σ y·p, Sp = Σ p (or Σ p²), Sy = Σ y per group:
 *   jaccard  (I + s) / (Sp + Sy − I + s')            Rahman & Wang 2016 when s = 0
 *   dice     (2I + s) / (Sp + Sy + s')
 *   tversky  (I + s) / (I + α(Sp − I) + β(Sy − I) + s')
 */
export interface ScoreShape {
  kind: 'jaccard' | 'dice' | 'tversky';
  alpha: number;
  beta: number;
  squaredPred: boolean;
}

export const oneMinus: Outcome = {
  wgsl: () => ({ value: '1.0 - s', slope: '-1.0' }),
  tensor: (s, { tf }) => tf.sub(1, s),
  slopeTensor: () => -1,
  value: (s) => 1 - s,
  slope: () => -1,
};

/** −log max(score, eps), as smp; the clamped branch has zero gradient (torch's clamp_min). */
export const negLog = (eps: number): Outcome => ({
  wgsl: (f) =>
    eps > 0 ? { value: `-log(max(s, ${f(eps)}))`, slope: `select(-1.0 / s, 0.0, s < ${f(eps)})` } : { value: '-log(s)', slope: '-1.0 / s' },
  tensor: (s, { tf }) => tf.neg(tf.log(eps > 0 ? tf.maximum(s, eps) : s)),
  slopeTensor: (s, { tf }) => (eps > 0 ? tf.where(tf.greaterEqual(s, eps), tf.div(-1, s), tf.zeros(s.shape)) : tf.div(-1, s)),
  value: (s) => -Math.log(eps > 0 ? Math.max(s, eps) : s),
  slope: (s) => (eps > 0 && s < eps ? 0 : -1 / s),
});

/**
 * The region loss of a score shape and outcome: kernels of our own on webgpu, the closed form elsewhere
 * (regionClosedForm.ts). With eps > 0 the denominator is max(D, eps), as smp does; the gradient is 0 on a clamped
 * branch (like torch's clamp_min).
 */
export function regionLoss(o: RegionOptions, shape: ScoreShape, outcome: Outcome, kit: LossKit): LossFn {
  const checkClasses = (classes: number) => {
    if (classes > 1 && o.classes?.some((c) => c < 0 || c >= classes || !Number.isInteger(c))) {
      throw new LossInputError(`classes: [${o.classes.join(', ')}] must be class indices in [0, ${classes})`);
    }
  };
  return (logits, targets) => {
    kit.checkShapes(logits, targets);
    const classes = logits.shape[3] as number;
    checkClasses(classes);
    const tail = regionTail(o, shape, outcome, classes);
    if (kit.ownKernelsHere()) return kit.fusedRegionLoss(logits, targets, tail);
    // One channel is one class here: `classes` and includeBackground are multi-class options.
    return regionClosedForm(logits, targets, classes > 1 ? tail : { ...tail, selected: [1] }, outcome, kit);
  };
}

/** The score's coefficients (nI, cI, cP, cY): (nI·I + s) / (cI·I + cP·Σp + cY·Σy + s'). */
const coefficients = (shape: ScoreShape): [number, number, number, number] =>
  shape.kind === 'jaccard'
    ? [1, -1, 1, 1]
    : shape.kind === 'dice'
      ? [2, 0, 1, 1]
      : [1, 1 - shape.alpha - shape.beta, shape.alpha, shape.beta];

/** What the region kernels are specialised on, for logits of `classes` channels. */
function regionTail(o: RegionOptions, shape: ScoreShape, outcome: Outcome, classes: number): RegionTail {
  const [nI, cI, cP, cY] = coefficients(shape);
  const selected = Array.from({ length: classes }, (_, c) => (o.classes ? (o.classes.includes(c) ? 1 : 0) : 1));
  if (!o.includeBackground && classes > 1) selected[0] = 0;
  return {
    nI,
    cI,
    cP,
    cY,
    squaredPred: shape.squaredPred,
    smooth: o.smooth,
    smoothDen: o.smoothDen ?? o.smooth,
    eps: o.eps,
    outcome: outcome.wgsl(wgslFloat),
    perImage: o.aggregation === 'perImage',
    empty: o.empty,
    selected,
    ignoreIndex: o.ignoreIndex,
  };
}

/** A region loss's tail on logits of `channels` channels (1: binary), for the kernels of our own (lossTail.ts). */
export const regionLossTail = (o: RegionOptions, shape: ScoreShape, outcome: Outcome, channels: number): LossTail => ({
  kind: 'region',
  region: regionTail(o, shape, outcome, channels),
});

/**
 * The same on the toy in closed form. The score is (nI·I + s) / (cI·I + cP·Σp + cY·Σy + s'): Jaccard (1, −1, 1,
 * 1), Dice (2, 0, 1, 1), Tversky (1, 1 − α − β, α, β). One closure per loss keeps the surfaces' per-cell loop
 * monomorphic.
 */
export function regionToy(o: RegionOptions, shape: ScoreShape, outcome: Outcome): ToyLossFn {
  const [nI, cI, cP, cY] = coefficients(shape);
  const smooth = o.smooth;
  const smoothDen = o.smoothDen ?? o.smooth;
  const eps = o.eps;
  const keepEmpty = o.empty === 'keep';
  const squared = shape.squaredPred;
  return (t: Toy, out: ToyResult = toyResult()) => {
    const { n, f, pFg, pBg } = t;
    if (f === 0 && !keepEmpty) return writeToy(out, 0, 0, 0);
    const inter = f * pFg;
    const sumP = squared ? f * pFg * pFg + (n - f) * pBg * pBg : f * pFg + (n - f) * pBg;
    const num = nI * inter + smooth;
    const den = cI * inter + cP * sumP + cY * f + smoothDen;
    const clamped = eps > 0 ? Math.max(den, eps) : den;
    const live = eps > 0 ? (den >= eps ? 1 : 0) : 1;
    const score = num / clamped;
    const dSdI = (nI * clamped - num * cI * live) / clamped ** 2;
    const dSdSp = (-num * cP * live) / clamped ** 2;
    const dLdS = outcome.slope(score);
    const dSpFg = squared ? 2 * pFg : 1;
    const dSpBg = squared ? 2 * pBg : 1;
    return writeToy(out, outcome.value(score), dLdS * (dSdI + dSdSp * dSpFg) * pFg * (1 - pFg), dLdS * dSdSp * dSpBg * pBg * (1 - pBg));
  };
}

const AGGREGATION: Record<string, 'batch' | 'perImage'> = { batch: 'batch', per_image: 'perImage' };

/**
 * Reads a reference key `name/batch|per_image/empty=rule` for the region loss whose reference name `options`
 * recognises (it returns this loss's options for that name, or undefined).
 */
export function regionVectorKey(
  key: string,
  task: Task,
  ignoreIndex: number,
  id: string,
  options: (name: string) => Record<string, unknown> | undefined,
): LossInput | undefined {
  const m = /^(.+?)\/(batch|per_image)\/empty=(zero|skip|keep)$/.exec(key);
  const base = m ? options(m[1]) : undefined;
  if (!m || !base) return undefined;
  return { id, ...base, aggregation: AGGREGATION[m[2]], empty: m[3], ...(task === 'multiclass' ? { ignoreIndex } : {}) };
}

const BOTH: readonly Task[] = ['binary', 'multiclass'];
/** Multi-class region losses average over the classes: their score is the mean IoU. */
const iouOf = (task: Task) => (task === 'multiclass' ? 'mIoU' : 'IoU');
const JACCARD: ScoreShape = { kind: 'jaccard', alpha: 0, beta: 0, squaredPred: false };
const dice = (squaredPred: boolean): ScoreShape => ({ kind: 'dice', alpha: 0, beta: 0, squaredPred });

export const softJaccard = defineLoss({
  id: 'softJaccard',
  name: '1 − IoU (soft Jaccard)',
  family: 'softIoU',
  title: (_, task) => ({ name: `1 − ${iouOf(task)} (soft Jaccard)` }),
  tasks: BOTH,
  formula: String.raw`1 - \frac{\sum y\,p}{\sum (y + p - y\,p)}`,
  params: REGION_FIELDS,
  about:
    'Optimises the reported metric directly, but when predictions sit near 0 its gradient is about as small as p: training can sit on a plateau for hundreds of steps.',
  build: (spec, kit) => regionLoss(spec, JACCARD, oneMinus, kit),
  tail: (spec, channels) => regionLossTail(spec, JACCARD, oneMinus, channels),
  toy: { separable: () => false, smoothable: true, compile: (spec) => regionToy(spec, JACCARD, oneMinus) },
  vectorKey: (key, task, ignore) =>
    regionVectorKey(key, task, ignore, 'softJaccard', (name) => (name === 'soft_jaccard(1-IoU)' ? {} : undefined)),
});

export const logJaccard = defineLoss({
  id: 'logJaccard',
  name: '−log IoU',
  family: 'logIoU',
  title: (_, task) => ({ name: `−log ${iouOf(task)}` }),
  tasks: BOTH,
  formula: String.raw`-\log \frac{\sum y\,p}{\sum (y + p - y\,p)}`,
  params: REGION_FIELDS,
  about:
    'The same optimum as 1 − IoU, with the gradient divided by the IoU: large exactly where 1 − IoU goes flat. Without clipping its first steps can overshoot.',
  build: (spec, kit) => regionLoss(spec, JACCARD, negLog(spec.eps), kit),
  tail: (spec, channels) => regionLossTail(spec, JACCARD, negLog(spec.eps), channels),
  toy: { separable: () => false, smoothable: true, compile: (spec) => regionToy(spec, JACCARD, negLog(spec.eps)) },
  examples: [{ label: 'smooth 1', options: { smooth: 1 } }],
  vectorKey: (key, task, ignore) =>
    regionVectorKey(key, task, ignore, 'logJaccard', (name) => (name === 'neg_log_jaccard' ? {} : undefined)),
});

const DICE_FIELDS = [...REGION_FIELDS, squaredPredField] as const;

export const softDice = defineLoss({
  id: 'softDice',
  name: '1 − Dice',
  family: 'dice',
  tasks: BOTH,
  formula: String.raw`1 - \frac{2\sum y\,p}{\sum y + \sum p}`,
  params: DICE_FIELDS,
  about: 'Robust to class imbalance and close to IoU in ranking, with the same vanishing gradient as 1 − IoU at a collapsed start.',
  build: (spec, kit) => regionLoss(spec, dice(spec.squaredPred), oneMinus, kit),
  tail: (spec, channels) => regionLossTail(spec, dice(spec.squaredPred), oneMinus, channels),
  toy: { separable: () => false, smoothable: true, compile: (spec) => regionToy(spec, dice(spec.squaredPred), oneMinus) },
  examples: [{ label: 'squared', options: { squaredPred: true, smooth: 1, eps: 0 } }],
  vectorKey: (key, task, ignore) => regionVectorKey(key, task, ignore, 'softDice', (name) => (name === 'soft_dice(1-D)' ? {} : undefined)),
});

export const logDice = defineLoss({
  id: 'logDice',
  name: '−log Dice',
  family: 'dice',
  tasks: BOTH,
  formula: String.raw`-\log \frac{2\sum y\,p}{\sum y + \sum p}`,
  params: DICE_FIELDS,
  about: 'Dice on a log scale: keeps a usable gradient when the overlap is small.',
  build: (spec, kit) => regionLoss(spec, dice(spec.squaredPred), negLog(spec.eps), kit),
  tail: (spec, channels) => regionLossTail(spec, dice(spec.squaredPred), negLog(spec.eps), channels),
  toy: { separable: () => false, smoothable: true, compile: (spec) => regionToy(spec, dice(spec.squaredPred), negLog(spec.eps)) },
  vectorKey: (key, task, ignore) => regionVectorKey(key, task, ignore, 'logDice', (name) => (name === 'neg_log_dice' ? {} : undefined)),
});

const tverskyShape = (spec: { alpha: number; beta: number }): ScoreShape => ({
  kind: 'tversky',
  alpha: spec.alpha,
  beta: spec.beta,
  squaredPred: false,
});
const tverskyOutcome = (spec: { log: boolean; eps: number }) => (spec.log ? negLog(spec.eps) : oneMinus);

/** The loss a Tversky computes when its weights make it another one: α = β = 0.5 is Dice, α = β = 1 is IoU. */
const tverskyIs = (spec: { alpha: number; beta: number; log: boolean }): { family: LossFamilyId } | undefined => {
  if (spec.alpha !== spec.beta) return undefined;
  if (spec.alpha === 0.5) return { family: 'dice' };
  if (spec.alpha === 1) return { family: spec.log ? 'logIoU' : 'softIoU' };
  return undefined;
};

/** The reference names Tversky `tversky_a<α>_b<β>`. */
export const tverskyReferenceName = (name: string) => {
  const m = /^tversky_a([\d.]+)_b([\d.]+)$/.exec(name);
  return m ? { alpha: Number(m[1]), beta: Number(m[2]) } : undefined;
};

const TVERSKY_OPTIONS = [
  ...TVERSKY_FIELDS,
  {
    key: 'log',
    label: '−log form',
    kind: 'boolean',
    default: false,
    help: 'Use −log(score) instead of 1 − score.',
    words: { true: '−log form', false: '1 − score form' },
  },
  ...REGION_FIELDS,
] as const satisfies readonly Field[];

export const tversky = defineLoss({
  id: 'tversky',
  name: 'Tversky',
  family: 'tversky',
  familyOf: (spec) => tverskyIs(spec)?.family ?? 'tversky',
  title: (spec, task) => {
    const is = tverskyIs(spec);
    const outcome = spec.log ? '−log' : '1 −';
    if (!is) return { name: spec.log ? '−log Tversky' : 'Tversky', covers: ['log'] };
    const score = is.family === 'dice' ? 'Dice' : iouOf(task);
    return { name: `${outcome} ${score} (Tversky with α = β = ${spec.alpha})`, covers: ['alpha', 'beta', 'log'] };
  },
  tasks: BOTH,
  formula: String.raw`1 - \frac{\sum y\,p}{\sum y\,p + \alpha \sum (1 - y)\,p + \beta \sum y\,(1 - p)}`,
  params: TVERSKY_OPTIONS,
  about:
    'Dice (α = β = 0.5) and IoU (α = β = 1) with adjustable costs for the two kinds of error; β > α trades precision for recall on small structures.',
  build: (spec, kit) => regionLoss(spec, tverskyShape(spec), tverskyOutcome(spec), kit),
  tail: (spec, channels) => regionLossTail(spec, tverskyShape(spec), tverskyOutcome(spec), channels),
  toy: { separable: () => false, smoothable: true, compile: (spec) => regionToy(spec, tverskyShape(spec), tverskyOutcome(spec)) },
  examples: [{ label: 'log', options: { log: true, smooth: 1 } }],
  vectorKey: (key, task, ignore) => regionVectorKey(key, task, ignore, 'tversky', tverskyReferenceName),
});
