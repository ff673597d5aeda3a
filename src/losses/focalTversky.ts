// Focal Tversky (Abraham & Khan 2019): the Tversky loss of each group raised to a power γ < 1, which keeps the
// gradient large on groups that are already mostly right (small structures late in training).
import type { Field } from '../schema/schema';
import { defineLoss } from './lossDefinition';
import { regionLossTail, REGION_FIELDS, regionLoss, regionToy, TVERSKY_FIELDS, type ScoreShape } from './region';
import type { Outcome } from './outcome';

/**
 * (1 − TI)^γ has an infinite slope at TI = 1 when γ < 1; below FLOOR the base is held at FLOOR with zero gradient,
 * so a perfect group (or one left out of the mean, which arrives with TI = 1) stays finite.
 */
const FLOOR = 1e-7;

const focalPower = (gamma: number): Outcome => ({
  wgsl: (f) => ({
    value: `pow(max(1.0 - s, ${f(FLOOR)}), ${f(gamma)})`,
    slope: `select(0.0, -${f(gamma)} * pow(1.0 - s, ${f(gamma - 1)}), 1.0 - s > ${f(FLOOR)})`,
  }),
  tensor: (score, { tf }) => tf.pow(tf.maximum(tf.sub(1, score), FLOOR), gamma),
  slopeTensor: (score, { tf }) => {
    const base = tf.sub(1, score);
    return tf.where(tf.greater(base, FLOOR), tf.mul(tf.pow(base, gamma - 1), -gamma), tf.zeros(base.shape));
  },
  value: (score) => Math.max(1 - score, FLOOR) ** gamma,
  slope: (score) => (1 - score > FLOOR ? -gamma * (1 - score) ** (gamma - 1) : 0),
});

const OPTIONS = [
  {
    key: 'gamma',
    label: 'γ (focal exponent)',
    kind: 'number',
    min: 0.1,
    max: 3,
    default: 0.75,
    help: 'The Tversky loss raised to γ; below 1 it pushes harder on groups that are nearly right (Abraham & Khan use 0.75).',
    words: { '{}': 'γ = {}' },
  },
  ...TVERSKY_FIELDS,
  ...REGION_FIELDS,
] as const satisfies readonly Field[];

const shape = (spec: { alpha: number; beta: number }): ScoreShape => ({
  kind: 'tversky',
  alpha: spec.alpha,
  beta: spec.beta,
  squaredPred: false,
});

export const focalTversky = defineLoss({
  id: 'focalTversky',
  name: 'Focal Tversky',
  family: 'tversky',
  tasks: ['binary', 'multiclass'],
  formula: String.raw`\big(1 - \mathrm{TI}\big)^{\gamma},\quad \mathrm{TI} = \frac{\sum y\,p}{\sum y\,p + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN}}`,
  params: OPTIONS,
  about:
    'The Tversky loss raised to γ = 0.75 (Abraham & Khan 2019), with soft FP = Σ(1 − y)p and FN = Σy(1 − p): a steeper gradient near the optimum for small lesions; like every 1 − score loss it is still flat at a collapsed start.',
  build: (spec, kit) => regionLoss(spec, shape(spec), focalPower(spec.gamma), kit),
  tail: (spec, channels) => regionLossTail(spec, shape(spec), focalPower(spec.gamma), channels),
  toy: { separable: () => false, smoothable: true, compile: (spec) => regionToy(spec, shape(spec), focalPower(spec.gamma)) },
  examples: [{ label: 'γ 2, per image', options: { gamma: 2, aggregation: 'perImage', smooth: 1 } }],
});
