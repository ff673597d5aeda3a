// Losses in words, as a person would write them: "−log mIoU (background included)", "1 − Dice (Tversky with
// α = β = 0.5)", "BCE + −log IoU". Every legend, loss card and table reads its names from here; the words for
// each option are data on the option's field (`words`), the legend names on the loss (`title`).
import type { Field } from '../src/schema/schema';
import type { LossInput, LossSpec, Task } from '../src/losses/lossDefinition';
import { definitionOf, resolveLoss } from '../src/losses/registry';

/** A number as people write it in a label: 1e-5 rather than 0.00001. */
const numberText = (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v));
const valueText = (v: unknown): string =>
  Array.isArray(v) ? v.map(valueText).join(', ') : typeof v === 'number' ? numberText(v) : String(v);
const wordKey = (v: unknown) => (v === undefined || v === null ? 'none' : valueText(v));

/** One option in words: "per image", "smoothing 1", "background left out"; a field without words says label and value. */
export function optionWords(field: Field, value: unknown): string {
  const words = field.words ?? {};
  const exact = words[wordKey(value)];
  if (exact !== undefined) return exact;
  const template = words['{}'];
  return template !== undefined ? template.replace('{}', valueText(value)) : `${field.label} ${valueText(value)}`;
}

/** A name with words added: inside its own parentheses when it has them ("1 − IoU (soft Jaccard, per image)"). */
const withWords = (name: string, words: string[]) =>
  words.length === 0 ? name : name.endsWith(')') ? `${name.slice(0, -1)}, ${words.join(', ')})` : `${name} (${words.join(', ')})`;

/** The options of a resolved spec that differ from the loss's defaults. */
const changedKeys = (spec: LossSpec) =>
  definitionOf(spec)
    .params.filter((p) => JSON.stringify(spec[p.key]) !== JSON.stringify(p.default))
    .map((p) => p.key);

/** `spec`'s legend name followed by the options `keys` in words (those the name says, or that mean nothing for the task, left out). */
function named(spec: LossSpec, task: Task, keys: readonly string[], nameOf: (s: LossSpec) => string): string {
  const def = definitionOf(spec);
  const title = def.title?.(spec, task, nameOf) ?? { name: def.name };
  const words = def.params
    .filter((p) => keys.includes(p.key) && !title.covers?.includes(p.key) && !(task === 'binary' && p.multiclassOnly))
    .map((p) => optionWords(p, spec[p.key]));
  return withWords(title.name, words);
}

/** A resolved loss's legend name for a task, without its options: "−log mIoU", "BCE + −log IoU". */
export function lossTitle(spec: LossSpec, task: Task): string {
  return named(spec, task, [], (s) => lossTitle(s, task));
}

/** A resolved loss with every option that is not its default: what a combination's terms are described by. */
const withChanges = (spec: LossSpec, task: Task): string => named(spec, task, changedKeys(spec), (s) => withChanges(s, task));

/**
 * A loss input in words with the options it sets, for tables of settings such as the library presets:
 * "1 − Dice (per image, smoothing 1e-5, empty masks kept)".
 */
export function describeLoss(input: LossInput, task: Task): string {
  const spec = resolveLoss(input);
  return named(
    spec,
    task,
    Object.keys(input).filter((k) => k !== 'id'),
    (s) => withChanges(s, task),
  );
}

/**
 * The legend names of a race's (or a figure's) runs, all different: a name that several runs share gets the
 * options that tell them apart ("−log mIoU (background included)", "−log mIoU (background left out)"), and runs
 * that differ in nothing are numbered among themselves ("BCE #1", "BCE #2").
 */
export function runNames(specs: readonly LossSpec[], task: Task): string[] {
  const titles = specs.map((s) => lossTitle(s, task));
  const labels = specs.map((spec, i) => {
    const twins = specs.filter((_, j) => titles[j] === titles[i]);
    if (twins.length === 1) return titles[i];
    const differing = definitionOf(spec)
      .params.filter((p) => twins.some((o) => JSON.stringify(o[p.key]) !== JSON.stringify(spec[p.key])))
      .map((p) => p.key);
    return named(spec, task, differing, (s) => lossTitle(s, task));
  });
  return labels.map((label, i) => {
    const same = labels.flatMap((l, j) => (l === label ? [j] : []));
    return same.length > 1 ? `${label} #${same.indexOf(i) + 1}` : label;
  });
}
