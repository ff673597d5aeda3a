import type { LossInput } from '../src/losses/lossDefinition';
import { lossInfo } from '../src/losses/registry';

const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/** A loss input in words: its display name and the options it sets, e.g. "1 − Dice (aggregation perImage, …)". */
export function describeLoss(input: LossInput): string {
  // A loss made of other losses (a combination) is described by its terms.
  if (Array.isArray(input.terms)) {
    return (input.terms as { weight: number; loss: LossInput }[])
      .map((t) => `${t.weight === 1 ? '' : `${t.weight} × `}${describeLoss(t.loss)}`)
      .join(' + ');
  }
  const name = lossInfo(input.id)?.name ?? input.id;
  const options = Object.entries(input)
    .filter(([k]) => k !== 'id')
    .map(([k, v]) => `${lossInfo(input.id)?.params.find((p) => p.key === k)?.label ?? k} ${show(v)}`);
  return options.length ? `${name} (${options.join(', ')})` : name;
}
