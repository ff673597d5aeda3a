import type { LossFn, LossSpec } from './lossDefinition';
import { lossKit } from './lossKit';
import { definitionOf, resolveLoss } from './registry';

/** The differentiable function of a resolved spec. */
export function buildLoss(spec: LossSpec): LossFn {
  return definitionOf(spec).build(spec, lossKit, buildLoss);
}

/** resolveLoss then buildLoss: the usual way in from a config. */
export function lossFromInput(input: unknown, path?: string): LossFn {
  return buildLoss(resolveLoss(input, path));
}
