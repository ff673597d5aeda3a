import type { LossFn, LossInput, LossSpec } from './types';
import { resolveLoss } from './registry';
import { bce, ce } from './crossEntropy';
import { focal } from './focal';
import { dice, jaccard, tversky } from './region';
import { generalizedDice } from './generalizedDice';
import { lovaszHinge, lovaszSoftmax } from './lovasz';
import { combo } from './combo';

/** The differentiable function of a resolved spec. */
export function buildLoss(spec: LossSpec): LossFn {
  switch (spec.id) {
    case 'bce': return bce(spec);
    case 'ce': return ce(spec);
    case 'focal': return focal(spec);
    case 'softJaccard':
    case 'logJaccard': return jaccard(spec);
    case 'softDice':
    case 'logDice': return dice(spec);
    case 'tversky': return tversky(spec);
    case 'generalizedDice': return generalizedDice(spec);
    case 'lovaszHinge': return lovaszHinge(spec);
    case 'lovaszSoftmax': return lovaszSoftmax(spec);
    case 'combo': return combo(spec, buildLoss);
  }
}

/** resolveLoss then buildLoss: the usual way in from a config. */
export function lossFromInput(input: LossInput, path?: string): LossFn {
  return buildLoss(resolveLoss(input, path));
}
