// Which family (and so which colour) a loss with given options belongs to: a registry look-up, kept out of
// lossFamily.ts so that the families stay data every loss file can import.
import type { LossInput } from './lossDefinition';
import { LOSS_FAMILIES, type LossFamilyId } from './lossFamily';
import { definitionOf, resolveLoss } from './registry';

/** The family of a loss with these options (Tversky with α = β = 0.5 is Dice); the input is resolved first. */
export function familyOf(input: LossInput): LossFamilyId {
  const spec = resolveLoss(input);
  const def = definitionOf(spec);
  return def.familyOf?.(spec) ?? def.family;
}

/** The name of a loss's colour, for the tour's text: `the ${colourNameOf(FLAT)} line`. */
export const colourNameOf = (input: LossInput): string => LOSS_FAMILIES[familyOf(input)].colourName;
