// A loss's options as the generated code states them: which of them mean anything for a task, and each one's
// value in words ("aggregation perImage"), read from the loss's option table.
import type { Field } from '../schema/schema';
import type { LossSpec, Task } from '../losses/lossDefinition';
import { definitionOf } from '../losses/registry';
import { ignoreIndexField } from '../losses/region';

/** Multi-class options and the ignore label mean nothing on one-channel logits (the engine reads neither there). */
export const appliesTo = (field: Field, task: Task): boolean =>
  task === 'multiclass' || (!field.multiclassOnly && field !== ignoreIndexField);

export const valueText = (value: unknown): string =>
  Array.isArray(value) ? `[${value.join(', ')}]` : value === null ? 'none' : String(value);

/** The options of `spec` that apply to `task` and have a value, in the table's order. */
export function optionsOf(spec: LossSpec, task: Task): { field: Field; value: unknown }[] {
  return definitionOf(spec)
    .params.filter((f) => appliesTo(f, task) && spec[f.key] !== undefined)
    .map((f) => ({ field: f, value: spec[f.key] }));
}

/** "aggregation batch · empty groups zero · smooth 0", or '' for a loss without options. */
export const optionsLine = (spec: LossSpec, task: Task): string =>
  optionsOf(spec, task)
    .map(({ field, value }) => `${field.label} ${valueText(value)}`)
    .join(' · ');
