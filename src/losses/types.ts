import type { Scalar, Tensor } from '../tf';

/**
 * Layouts: binary logits are NHWC with one channel ([B, H, W, 1]) and targets the same shape in {0, 1};
 * multi-class logits are [B, H, W, C] (C >= 2) and labels are int32 [B, H, W] in [0, C) or the ignore label.
 * The channel count of the logits decides which of the two a loss computes.
 */
export type LossFn = (logits: Tensor, targets: Tensor) => Scalar;

export type Aggregation = 'batch' | 'perImage';
export type EmptyRule = 'zero' | 'skip' | 'keep';

/** Options shared by the soft region losses (Jaccard, Dice, Tversky). */
export interface RegionOptions {
  aggregation: Aggregation;
  empty: EmptyRule;
  /** Added to the numerator, and to the denominator unless `smoothDen` says otherwise. */
  smooth: number;
  /** Denominator smoothing when it differs from the numerator's (MONAI's smooth_dr). */
  smoothDen?: number;
  /** smp's clamp: denominator max(D, eps) and -log(max(score, eps)); 0 turns the clamp off. */
  eps: number;
  /** Multi-class only: the classes that enter the mean (all when absent). */
  classes?: number[];
  /** Multi-class only: false leaves class 0 out of the mean (MONAI include_background). */
  includeBackground: boolean;
  /** Multi-class only: label value whose pixels are left out. */
  ignoreIndex: number;
}

export interface BceSpec { id: 'bce'; posWeight: number }
export interface CeSpec { id: 'ce'; weights?: number[]; ignoreIndex: number }
export interface FocalSpec {
  id: 'focal';
  gamma: number;
  /** Weight of the foreground term (binary) or of every non-background class (softmax); null = none. */
  alpha: number | null;
  /** Multi-class only: softmax focal, or one-vs-rest sigmoid focal per class (smp's multiclass flavour). */
  activation: 'softmax' | 'sigmoid';
  /** Multi-class only: sum the per-class terms, or divide them by C as well (MONAI, smp main). */
  classReduce: 'sum' | 'mean';
  ignoreIndex: number;
}
export interface JaccardSpec extends RegionOptions { id: 'softJaccard' | 'logJaccard' }
export interface DiceSpec extends RegionOptions {
  id: 'softDice' | 'logDice';
  /** Σp² in the denominator instead of Σp (V-Net, MONAI squared_pred). */
  squaredPred: boolean;
}
export interface TverskySpec extends RegionOptions {
  id: 'tversky';
  alpha: number;
  beta: number;
  log: boolean;
}
export interface GeneralizedDiceSpec {
  id: 'generalizedDice';
  weighting: 'square' | 'simple' | 'uniform';
  aggregation: Aggregation;
  smooth: number;
  smoothDen?: number;
  ignoreIndex: number;
}
export interface LovaszHingeSpec { id: 'lovaszHinge'; aggregation: Aggregation }
export interface LovaszSoftmaxSpec {
  id: 'lovaszSoftmax';
  classes: 'present' | 'all';
  aggregation: Aggregation;
  ignoreIndex: number;
}
export interface ComboTerm { weight: number; loss: LossSpec }
export interface ComboSpec { id: 'combo'; terms: ComboTerm[] }

export type LossSpec =
  | BceSpec
  | CeSpec
  | FocalSpec
  | JaccardSpec
  | DiceSpec
  | TverskySpec
  | GeneralizedDiceSpec
  | LovaszHingeSpec
  | LovaszSoftmaxSpec
  | ComboSpec;

export type LossId = LossSpec['id'];

/** What the user (URL, config file, UI) writes: an id and any subset of that loss's options. */
export type LossInput = { id: string; [option: string]: unknown };
