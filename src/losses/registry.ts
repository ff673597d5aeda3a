// The list of losses. Everything else (the loss list, the analytic view, URLs, config files, the reference
// keys, the tests) reads it and never names a loss. Pure data and validation, no tfjs.
import { parseFields } from '../schema/schema';
import { combo } from './combo';
import { bce, ce } from './crossEntropy';
import { LossConfigError } from './errors';
import { focal } from './focal';
import { focalTversky } from './focalTversky';
import { generalizedDice } from './generalizedDice';
import type { LossDefinition, LossInput, LossSpec, Task } from './lossDefinition';
import { lovaszHinge, lovaszSoftmax } from './lovasz';
import { logDice, logJaccard, softDice, softJaccard, tversky } from './region';

export const LOSSES: readonly LossDefinition[] = [
  bce,
  ce,
  focal,
  softJaccard,
  logJaccard,
  softDice,
  logDice,
  tversky,
  focalTversky,
  generalizedDice,
  lovaszHinge,
  lovaszSoftmax,
  combo,
];

const BY_ID = new Map<string, LossDefinition>(LOSSES.map((l) => [l.id, l]));

export function lossInfo(id: string): LossDefinition | undefined {
  return BY_ID.get(id);
}

/** The definition of a resolved spec (resolveLoss made sure it exists). */
export function definitionOf(spec: LossSpec): LossDefinition {
  const def = BY_ID.get(spec.id);
  if (!def) throw new LossConfigError(`loss.id: unknown loss '${spec.id}'`);
  return def;
}

/**
 * Fills the defaults of a loss input and validates every option; unknown ids and options, and out-of-range
 * values, are a LossConfigError naming the field. `path` prefixes the field names (e.g. `losses[2]`).
 */
export function resolveLoss(input: unknown, path = 'loss'): LossSpec {
  if (typeof input !== 'object' || input === null || typeof (input as { id?: unknown }).id !== 'string') {
    throw new LossConfigError(`${path}: expected an object with an "id"`);
  }
  const given = input as LossInput;
  const def = BY_ID.get(given.id);
  if (!def) throw new LossConfigError(`${path}.id: unknown loss '${given.id}'; known: ${LOSSES.map((l) => l.id).join(', ')}`);
  if (def.resolve) return def.resolve(given, path, resolveLoss);
  const known = new Set(def.params.map((p) => p.key));
  for (const key of Object.keys(given)) {
    if (key !== 'id' && !known.has(key)) {
      throw new LossConfigError(`${path}.${key}: unknown option for ${def.id}; options: ${[...known].join(', ') || 'none'}`);
    }
  }
  return { id: def.id, ...parseFields(def.params, given, path, LossConfigError, ['id']) };
}

/** The loss and every loss inside it (a combination's terms), depth first, with their paths below `path`. */
export function lossesWithin(spec: LossSpec, path = ''): { path: string; loss: LossSpec }[] {
  const inner = definitionOf(spec).parts?.(spec) ?? [];
  return [{ path, loss: spec }, ...inner.flatMap((p) => lossesWithin(p.loss, path + p.path))];
}

/** The first loss within `spec` that is not for `task` (with its path), or undefined when all of them are. */
export function wrongTaskWithin(spec: LossSpec, task: Task, path = ''): { path: string; def: LossDefinition } | undefined {
  return lossesWithin(spec, path)
    .map((w) => ({ path: w.path, def: definitionOf(w.loss) }))
    .find((w) => !w.def.tasks.includes(task));
}

/** A spec's display name, e.g. for a legend. */
export const lossName = (spec: { id: string }): string => BY_ID.get(spec.id)?.name ?? spec.id;
