import type { LossSpec } from '../losses/lossDefinition';
import { definitionOf } from '../losses/registry';
import type { Toy, ToyLossFn, ToyResult } from '../losses/toy';

export type { Toy, ToyLossFn, ToyResult } from '../losses/toy';

/** Options of the toy evaluation: the analytic view's smoothing, applied to every loss that takes it. */
export interface ToyOptions {
  smooth?: number;
}

/** Whether a loss has a closed form on the toy; those without one are not offered in the analytic view. */
export const hasToyForm = (spec: LossSpec): boolean => definitionOf(spec).toy !== undefined;

/**
 * A loss as a function of the toy alone, with its options resolved once: the analytic view calls it for every
 * cell of its surfaces, passing `out`, so nothing is allocated per call.
 */
export function compileToyLoss(spec: LossSpec, options: ToyOptions = {}): ToyLossFn {
  const toy = definitionOf(spec).toy;
  if (!toy) throw new Error(`${spec.id} has no closed form on the toy`);
  const given = toy.smoothable && options.smooth !== undefined ? { ...spec, smooth: options.smooth } : spec;
  return toy.compile(given, (term) => compileToyLoss(term, options));
}

/** True when the loss is a sum of per-pixel terms (value = g(p_fg) + h(p_bg)). */
export function isSeparable(spec: LossSpec): boolean {
  return definitionOf(spec).toy?.separable(spec, isSeparable) ?? false;
}

/** Closed-form value and logit gradients of a loss on the toy. */
export function toyLoss(spec: LossSpec, t: Toy): ToyResult {
  return compileToyLoss(spec)(t);
}

/** Hard IoU of the toy at threshold 0.5 (NaN when there is nothing to score). */
export function toyHardIoU(t: Toy): number {
  const tp = t.pFg > 0.5 ? t.f : 0;
  const fp = t.pBg > 0.5 ? t.n - t.f : 0;
  const fn = t.f - tp;
  const den = tp + fp + fn;
  return den ? tp / den : NaN;
}
