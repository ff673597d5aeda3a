// Option sets that exercise every option of a loss, read from its option table: the defaults, the loss's own
// `examples`, and each option that applies to the task changed by itself. The unit test checks the generated
// text of each; `npm run torch:check` runs each against the engine.
import type { Field } from '../schema/schema';
import { suggestedCombo } from '../losses/lesson';
import type { LossDefinition, LossInput, Task } from '../losses/lossDefinition';
import { PRESETS } from '../losses/presets';
import { appliesTo, valueText } from './optionWords';

export interface OptionVariant {
  /** What is set, e.g. "defaults" or "aggregation perImage". */
  label: string;
  input: LossInput;
  /** The option changed from its default, when one is. */
  field?: Field;
}

/** Another valid value of a field: its other options, the other boolean, 0 or 1 for a number, a list of `classes`. */
export function otherValues(field: Field, classes: number): unknown[] {
  switch (field.kind) {
    case 'enum':
      return field.options.filter((o) => o !== field.default);
    case 'boolean':
      return [!field.default];
    // A name or an address has no other value that means something by itself.
    case 'text':
      return [];
    case 'nullableNumber':
      return [field.default === null ? (field.min + field.max) / 4 : null];
    case 'number':
    case 'int': {
      const d = field.default;
      if (d === undefined) return [Math.min(field.max, Math.max(field.min, 2))];
      if (field.min === 0 && d !== 0) return [0];
      if (d === 0) return [Math.min(1, field.max)];
      return [d * 2 <= field.max ? d * 2 : d / 2];
    }
    case 'intList':
      // Every class but the background: a subset that means something for any number of classes.
      return [Array.from({ length: classes - 1 }, (_, i) => i + 1)];
    case 'numberList':
      return [Array.from({ length: classes }, (_, i) => Math.min(field.max, i + 1))];
  }
}

/**
 * The option sets of one loss for one task, with `classes` classes in a multi-class batch. A loss made of other
 * losses (a combination) has the lesson's suggested one and the library presets built of it.
 */
export function optionVariants(def: LossDefinition, task: Task, classes: number): OptionVariant[] {
  if (def.parts) {
    const suggested = suggestedCombo(task);
    return [
      ...(suggested.id === def.id ? [{ label: 'the suggested combination', input: suggested }] : []),
      ...PRESETS.filter((p) => p.task === task && p.loss.id === def.id).map((p) => ({ label: p.key, input: p.loss })),
    ];
  }
  const changed = def.params
    .filter((f) => appliesTo(f, task))
    .flatMap((field) =>
      otherValues(field, classes).map((value) => ({
        label: `${field.label} ${valueText(value)}`,
        input: { id: def.id, [field.key]: value },
        field,
      })),
    );
  return [
    { label: 'defaults', input: { id: def.id } },
    ...(def.examples ?? []).map((e) => ({ label: e.label, input: { id: def.id, ...e.options } })),
    ...changed,
  ];
}
