import { tf, type Tensor } from '../tf';
import type { DiceSpec, JaccardSpec, LossFn, RegionOptions, TverskySpec } from './types';
import { LossInputError, probabilities, segView } from './segInputs';
import { classMask, groupMean, groupWeights } from './groupMean';

type RegionKind = 'jaccard' | 'dice' | 'tversky';

interface RegionParams extends RegionOptions {
  kind: RegionKind;
  log: boolean;
  alpha: number;
  beta: number;
  squaredPred: boolean;
}

/**
 * Soft region scores from I = Σ y·p, Sp = Σ p, Sy = Σ y (sums per group):
 *   jaccard  (I + s) / (Sp + Sy − I + s')            Rahman & Wang 2016 when s = 0
 *   dice     (2I + s) / (Sp + Sy + s')
 *   tversky  (I + s) / (I + α(Sp − I) + β(Sy − I) + s')
 * loss = 1 − score, or −log score. With eps > 0 the denominator is max(D, eps) and the log takes
 * max(score, eps), as smp does; the gradient is 0 on a clamped branch (tf.maximum, like torch's clamp_min).
 */
function regionLoss(params: RegionParams): LossFn {
  return (logits, targets) =>
    tf.tidy(() => {
      const v = segView(logits, targets, params.ignoreIndex);
      if (v.multiclass && params.classes?.some((c) => c < 0 || c >= v.classes || !Number.isInteger(c))) {
        throw new LossInputError(`classes: [${params.classes.join(', ')}] must be class indices in [0, ${v.classes})`);
      }
      const p = tf.mul(probabilities(v), v.valid);
      const axes = params.aggregation === 'batch' ? [0, 1] : [1];
      const inter = tf.sum(tf.mul(p, v.y), axes);
      const sumP = tf.sum(params.squaredPred ? tf.square(p) : p, axes);
      const sumY = tf.sum(v.y, axes);
      const sNum = params.smooth;
      const sDen = params.smoothDen ?? params.smooth;
      let numerator: Tensor;
      let denominator: Tensor;
      if (params.kind === 'jaccard') {
        numerator = tf.add(inter, sNum);
        denominator = tf.add(tf.sub(tf.add(sumP, sumY), inter), sDen);
      } else if (params.kind === 'dice') {
        numerator = tf.add(tf.mul(inter, 2), sNum);
        denominator = tf.add(tf.add(sumP, sumY), sDen);
      } else {
        const fp = tf.mul(tf.sub(sumP, inter), params.alpha);
        const fn = tf.mul(tf.sub(sumY, inter), params.beta);
        numerator = tf.add(inter, sNum);
        denominator = tf.add(tf.add(tf.add(inter, fp), fn), sDen);
      }
      const clamp = (t: Tensor) => (params.eps > 0 ? tf.maximum(t, params.eps) : t);
      const { weight, count } = groupWeights(sumY, classMask(v.classes, v.multiclass ? params.classes : undefined, params.includeBackground), params.empty);
      // Groups that leave the mean get score 1 so that neither their value nor their gradient can be NaN.
      const score = tf.where(tf.greater(weight, 0), tf.div(numerator, clamp(denominator)), tf.onesLike(weight));
      const loss = params.log ? tf.neg(tf.log(clamp(score))) : tf.sub(1, score);
      return groupMean(loss, weight, count);
    });
}

export function jaccard(spec: JaccardSpec): LossFn {
  return regionLoss({ ...spec, kind: 'jaccard', log: spec.id === 'logJaccard', alpha: 0, beta: 0, squaredPred: false });
}

export function dice(spec: DiceSpec): LossFn {
  return regionLoss({ ...spec, kind: 'dice', log: spec.id === 'logDice', alpha: 0, beta: 0 });
}

export function tversky(spec: TverskySpec): LossFn {
  return regionLoss({ ...spec, kind: 'tversky', squaredPred: false });
}
