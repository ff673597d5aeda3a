// Pure data and validation, no tfjs: the UI and the URL/config parsers read it on the main thread.
import type { LossId, LossInput, LossSpec } from './types';
import { checkParam, LossConfigError, type ParamDef } from './params';

export type Task = 'binary' | 'multiclass';

export interface LossInfo {
  id: LossId;
  name: string;
  /** TeX source of the definition, for rendering. */
  formula: string;
  tasks: readonly Task[];
  params: readonly ParamDef[];
  /** When it helps, when it hurts: one or two sentences. */
  about: string;
}

const ignoreIndex: ParamDef = {
  key: 'ignoreIndex', label: 'ignore label', kind: 'int', min: 0, max: 65535, default: 255,
  help: 'Multi-class pixels with this label take no part in the loss.',
};

const regionParams: readonly ParamDef[] = [
  { key: 'aggregation', label: 'aggregation', kind: 'enum', options: ['batch', 'perImage'], default: 'batch',
    help: 'batch: Σ I / Σ U over the whole batch (per class); perImage: the mean of the per-image ratios.' },
  { key: 'empty', label: 'empty groups', kind: 'enum', options: ['zero', 'skip', 'keep'], default: 'zero',
    help: 'A group with no target pixels adds 0 but counts (zero, smp), leaves the mean (skip), or is computed as is (keep, MONAI: with smooth 0 an empty group scores 1 − IoU = 1, or −log eps, with zero gradient).' },
  { key: 'smooth', label: 'smooth', kind: 'number', min: 0, max: 100, default: 0, scale: 'log',
    help: 'Added to the numerator and the denominator.' },
  { key: 'smoothDen', label: 'denominator smooth', kind: 'number', min: 0, max: 100, default: undefined, optional: true, scale: 'log',
    help: 'A different smoothing for the denominator (MONAI smooth_dr); the numerator keeps `smooth`.' },
  { key: 'eps', label: 'eps clamp', kind: 'number', min: 0, max: 1e-3, default: 1e-7, scale: 'log',
    help: 'smp clamp: denominator max(D, eps), −log max(score, eps); 0 turns it off.' },
  { key: 'classes', label: 'classes', kind: 'intList', min: 0, max: 255, default: undefined,
    help: 'Multi-class: the classes that enter the mean (all by default).' },
  { key: 'includeBackground', label: 'include background', kind: 'boolean', default: true,
    help: 'Multi-class: false leaves class 0 out of the mean (MONAI include_background).' },
  ignoreIndex,
];

const aggregationParam = (fallback: 'batch' | 'perImage', help: string): ParamDef => ({
  key: 'aggregation', label: 'aggregation', kind: 'enum', options: ['batch', 'perImage'], default: fallback, help,
});

export const LOSSES: readonly LossInfo[] = [
  {
    id: 'bce', name: 'Binary cross-entropy', tasks: ['binary'],
    formula: String.raw`-\frac{1}{N}\sum_i w_+ y_i \log p_i + (1 - y_i)\log(1 - p_i)`,
    params: [{ key: 'posWeight', label: 'w₊ (foreground weight)', kind: 'number', min: 0.01, max: 1000, default: 1, scale: 'log',
      help: 'Scales the foreground term, as torch pos_weight; about (background/foreground) balances the classes.' }],
    about: 'Per-pixel and well conditioned: its gradient σ(z) − y never vanishes on a wrong pixel. It optimises accuracy, not IoU, so small objects can be traded away unless they are weighted.',
  },
  {
    id: 'ce', name: 'Cross-entropy', tasks: ['multiclass'],
    formula: String.raw`-\frac{\sum_i w_{y_i} \log \operatorname{softmax}(z_i)_{y_i}}{\sum_i w_{y_i}}`,
    params: [
      { key: 'weights', label: 'class weights', kind: 'numberList', min: 0, max: 1000, default: undefined,
        help: 'One weight per class (torch weight=); the mean is weighted by the pixels’ class weights.' },
      ignoreIndex,
    ],
    about: 'The default surrogate: convex in the logits and never flat where it is wrong. Weighting the classes is the simplest answer to class imbalance.',
  },
  {
    id: 'focal', name: 'Focal loss', tasks: ['binary', 'multiclass'],
    formula: String.raw`-\frac{1}{N}\sum_i \alpha_t\,(1 - p_t)^{\gamma} \log p_t`,
    params: [
      { key: 'gamma', label: 'γ', kind: 'number', min: 0, max: 10, default: 2, help: 'Focusing: γ = 0 is cross-entropy; larger γ mutes easy pixels.' },
      { key: 'alpha', label: 'α', kind: 'nullableNumber', min: 0, max: 1, default: null,
        help: 'Weight of the foreground (binary) or of the non-background classes (softmax); none by default.' },
      { key: 'activation', label: 'multi-class activation', kind: 'enum', options: ['softmax', 'sigmoid'], default: 'softmax',
        help: 'softmax focal, or one-vs-rest sigmoid focal per class (smp multiclass).' },
      { key: 'classReduce', label: 'class reduction', kind: 'enum', options: ['sum', 'mean'], default: 'sum',
        help: 'Sum the per-class terms, or also divide by C (MONAI, smp main).' },
      ignoreIndex,
    ],
    about: 'Cross-entropy with the well-classified pixels turned down; helps with many easy background pixels, but its gradient also shrinks on confident mistakes.',
  },
  {
    id: 'softJaccard', name: '1 − IoU (soft Jaccard)', tasks: ['binary', 'multiclass'],
    formula: String.raw`1 - \frac{\sum y\,p}{\sum (y + p - y\,p)}`,
    params: regionParams,
    about: 'Optimises the reported metric directly, but when predictions sit near 0 its gradient is about as small as p: training can sit on a plateau for hundreds of steps.',
  },
  {
    id: 'logJaccard', name: '−log IoU', tasks: ['binary', 'multiclass'],
    formula: String.raw`-\log \frac{\sum y\,p}{\sum (y + p - y\,p)}`,
    params: regionParams,
    about: 'The same optimum as 1 − IoU, with the gradient divided by the IoU: large exactly where 1 − IoU goes flat. Without clipping its first steps can overshoot.',
  },
  {
    id: 'softDice', name: '1 − Dice', tasks: ['binary', 'multiclass'],
    formula: String.raw`1 - \frac{2\sum y\,p}{\sum y + \sum p}`,
    params: [...regionParams, { key: 'squaredPred', label: 'Σp² denominator', kind: 'boolean', default: false,
      help: 'Squares the predictions in the denominator (V-Net, MONAI squared_pred).' }],
    about: 'Robust to class imbalance and close to IoU in ranking, with the same vanishing gradient as 1 − IoU at a collapsed start.',
  },
  {
    id: 'logDice', name: '−log Dice', tasks: ['binary', 'multiclass'],
    formula: String.raw`-\log \frac{2\sum y\,p}{\sum y + \sum p}`,
    params: [...regionParams, { key: 'squaredPred', label: 'Σp² denominator', kind: 'boolean', default: false,
      help: 'Squares the predictions in the denominator (V-Net, MONAI squared_pred).' }],
    about: 'Dice on a log scale: keeps a usable gradient when the overlap is small.',
  },
  {
    id: 'tversky', name: 'Tversky', tasks: ['binary', 'multiclass'],
    formula: String.raw`1 - \frac{\sum y\,p}{\sum y\,p + \alpha \sum (1 - y)\,p + \beta \sum y\,(1 - p)}`,
    params: [
      { key: 'alpha', label: 'α (false positives)', kind: 'number', min: 0, max: 1, default: 0.3, help: 'Weight of false positives.' },
      { key: 'beta', label: 'β (false negatives)', kind: 'number', min: 0, max: 1, default: 0.7, help: 'Weight of false negatives; β > α favours recall.' },
      { key: 'log', label: '−log form', kind: 'boolean', default: false, help: 'Use −log(score) instead of 1 − score.' },
      ...regionParams,
    ],
    about: 'Dice (α = β = 0.5) and IoU (α = β = 1) with adjustable costs for the two kinds of error; β > α trades precision for recall on small structures.',
  },
  {
    id: 'generalizedDice', name: 'Generalised Dice', tasks: ['binary', 'multiclass'],
    formula: String.raw`1 - \frac{2\sum_c w_c \sum y_c p_c}{\sum_c w_c \sum (y_c + p_c)},\quad w_c = \frac{1}{(\sum y_c)^2}`,
    params: [
      { key: 'weighting', label: 'class weights', kind: 'enum', options: ['square', 'simple', 'uniform'], default: 'square',
        help: 'w_c = 1/(Σy_c)², 1/Σy_c, or 1.' },
      aggregationParam('perImage', 'One ratio per image then the mean (MONAI default), or one over the batch.'),
      { key: 'smooth', label: 'smooth', kind: 'number', min: 0, max: 100, default: 1e-5, scale: 'log', help: 'Added to the numerator and the denominator.' },
      { key: 'smoothDen', label: 'denominator smooth', kind: 'number', min: 0, max: 100, default: undefined, optional: true, scale: 'log',
        help: 'A different smoothing for the denominator.' },
      ignoreIndex,
    ],
    about: 'Dice with each class weighted by the inverse square of its size, so that small classes count as much as large ones (Sudre et al. 2017).',
  },
  {
    id: 'lovaszHinge', name: 'Lovász hinge', tasks: ['binary'],
    formula: String.raw`\overline{\Delta_J}\big(\max(0,\ 1 - z \odot (2y - 1))\big)`,
    params: [aggregationParam('perImage', 'One ranking per image then the mean (Berman), or one over the batch (smp default).')],
    about: 'The tight convex surrogate of the Jaccard loss on hinge errors (Berman et al. 2018); sharp on IoU, usually after a cross-entropy warm-up.',
  },
  {
    id: 'lovaszSoftmax', name: 'Lovász-Softmax', tasks: ['multiclass'],
    formula: String.raw`\frac{1}{|\mathcal{C}|}\sum_{c \in \mathcal{C}} \overline{\Delta_{J_c}}\big(|y_c - p_c|\big)`,
    params: [
      { key: 'classes', label: 'classes', kind: 'enum', options: ['present', 'all'], default: 'present',
        help: 'Average over the classes present in the targets, or over all classes.' },
      aggregationParam('batch', 'One ranking per class over the batch (Berman default), or per image then the mean.'),
      ignoreIndex,
    ],
    about: 'Lovász extension of the per-class Jaccard loss on softmax probabilities: optimises mIoU directly with a usable gradient.',
  },
  {
    id: 'combo', name: 'Combination', tasks: ['binary', 'multiclass'],
    formula: String.raw`\sum_k \lambda_k\, \mathcal{L}_k`,
    params: [],
    about: 'A weighted sum, e.g. cross-entropy + −log IoU: the pixel loss keeps the gradient alive, the region loss aims at the metric.',
  },
];

const BY_ID = new Map<string, LossInfo>(LOSSES.map((l) => [l.id, l]));

export function lossInfo(id: string): LossInfo | undefined {
  return BY_ID.get(id);
}

/**
 * Fills the defaults of a loss input and validates every option; unknown ids and options, and out-of-range
 * values, are a LossConfigError naming the field. `path` prefixes the field names (e.g. `losses[2]`).
 */
export function resolveLoss(input: LossInput, path = 'loss'): LossSpec {
  if (typeof input !== 'object' || input === null || typeof input.id !== 'string') {
    throw new LossConfigError(`${path}: expected an object with an "id"`);
  }
  const info = BY_ID.get(input.id);
  if (!info) {
    throw new LossConfigError(`${path}.id: unknown loss '${input.id}'; known: ${LOSSES.map((l) => l.id).join(', ')}`);
  }
  if (info.id === 'combo') return resolveCombo(input, path);
  const out: Record<string, unknown> = { id: info.id };
  const known = new Set(info.params.map((p) => p.key));
  for (const key of Object.keys(input)) {
    if (key !== 'id' && !known.has(key)) {
      throw new LossConfigError(`${path}.${key}: unknown option for ${info.id}; options: ${[...known].join(', ') || 'none'}`);
    }
  }
  for (const def of info.params) {
    const given = input[def.key];
    if (given === undefined) {
      if (def.default !== undefined) out[def.key] = def.default;
    } else {
      out[def.key] = checkParam(def, given, `${path}.${def.key}`);
    }
  }
  return out as unknown as LossSpec;
}

function resolveCombo(input: LossInput, path: string): LossSpec {
  const extra = Object.keys(input).filter((k) => k !== 'id' && k !== 'terms');
  if (extra.length) throw new LossConfigError(`${path}.${extra[0]}: unknown option for combo; options: terms`);
  const terms = input.terms;
  if (!Array.isArray(terms) || terms.length === 0) {
    throw new LossConfigError(`${path}.terms: expected a non-empty list of { "weight": number, "loss": {...} }`);
  }
  return {
    id: 'combo',
    terms: terms.map((t: unknown, i) => {
      const term = t as { weight?: unknown; loss?: unknown };
      const w = term?.weight ?? 1;
      if (typeof w !== 'number' || !Number.isFinite(w)) {
        throw new LossConfigError(`${path}.terms[${i}].weight: expected a finite number, got ${JSON.stringify(w)}`);
      }
      return { weight: w, loss: resolveLoss(term?.loss as LossInput, `${path}.terms[${i}].loss`) };
    }),
  };
}
