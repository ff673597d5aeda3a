import { describe, expect, it } from 'vitest';
import type { Field } from '../src/schema/schema';
import { suggestedCombo } from '../src/losses/lesson';
import type { LossInput } from '../src/losses/lossDefinition';
import { PRESETS } from '../src/losses/presets';
import { LOSSES, resolveLoss } from '../src/losses/registry';
import { CHAPTERS } from '../src/tour/chapters';
import { taskOf } from '../src/config/experimentConfig';
import { describeLoss, lossTitle, optionWords, runNames } from './describeLoss';

/** Values a field can take that read differently: each option, both booleans, absent, the ends of a range. */
function valuesOf(f: Field): unknown[] {
  switch (f.kind) {
    case 'enum':
      return [...f.options];
    case 'boolean':
      return [true, false];
    case 'number':
    case 'int':
      return [f.default, f.min, f.max];
    case 'nullableNumber':
      return [null, f.min, f.max];
    case 'text':
      return [f.default];
    case 'numberList':
    case 'intList':
      return [undefined, [f.min, f.max]];
  }
}

/** What a machine would print and a person would not write: literals, brackets, camelCase keys (mIoU is a word). */
const MACHINE = /\btrue\b|\bfalse\b|undefined|null|NaN|\[|\]|\b(?!mIoU\b)[a-z]+[A-Z][a-zA-Z]*/;

const tasksOf = (def: (typeof LOSSES)[number]) => def.tasks;

describe('loss names', () => {
  it('has words for every value of every option of every loss', () => {
    for (const def of LOSSES) {
      for (const f of def.params) {
        for (const v of valuesOf(f)) {
          const words = optionWords(f, v);
          expect(words, `${def.id}.${f.key} = ${String(v)}`).not.toMatch(MACHINE);
          // A field without its own words would print its label and the value.
          const own = f.words?.[v === undefined || v === null ? 'none' : String(v)] ?? f.words?.['{}'];
          expect(own, `${def.id}.${f.key} = ${String(v)} has no words`).toBeDefined();
        }
      }
    }
  });

  it('names every loss for every task and every value of each option as a person would write it', () => {
    for (const def of LOSSES) {
      for (const task of tasksOf(def)) {
        if (def.parts) {
          expect(lossTitle(resolveLoss(suggestedCombo(task)), task)).not.toMatch(MACHINE);
          continue;
        }
        for (const f of def.params) {
          for (const v of valuesOf(f)) {
            const input: LossInput = { id: def.id, ...(v === undefined ? {} : { [f.key]: v }) };
            const name = describeLoss(input, task);
            expect(name, `${def.id}.${f.key} = ${String(v)}`).not.toMatch(MACHINE);
            expect(name.startsWith(lossTitle(resolveLoss(input), task).replace(/\)$/, '')), name).toBe(true);
          }
        }
      }
    }
  });

  it('says mIoU for the multi-class IoU losses and names Tversky by what its weights make it', () => {
    expect(lossTitle(resolveLoss({ id: 'logJaccard' }), 'multiclass')).toBe('−log mIoU');
    expect(lossTitle(resolveLoss({ id: 'logJaccard' }), 'binary')).toBe('−log IoU');
    expect(lossTitle(resolveLoss({ id: 'tversky', alpha: 0.5, beta: 0.5 }), 'binary')).toBe('1 − Dice (Tversky with α = β = 0.5)');
    expect(lossTitle(resolveLoss({ id: 'tversky', alpha: 1, beta: 1, log: true }), 'binary')).toBe('−log IoU (Tversky with α = β = 1)');
    expect(lossTitle(resolveLoss({ id: 'tversky' }), 'binary')).toBe('Tversky');
  });

  it('describes a preset by the options it sets, and a combination term by term', () => {
    expect(describeLoss({ id: 'tversky', alpha: 0.5, beta: 0.5, classes: [1, 2] }, 'multiclass')).toBe(
      '1 − Dice (Tversky with α = β = 0.5, classes 1, 2)',
    );
    expect(describeLoss({ id: 'tversky', alpha: 0.3, beta: 0.7 }, 'binary')).toBe('Tversky (α = 0.3, β = 0.7)');
    expect(describeLoss({ id: 'bce' }, 'binary')).toBe('Binary cross-entropy');
    expect(
      describeLoss(
        {
          id: 'combo',
          terms: [
            { weight: 1, loss: { id: 'ce' } },
            { weight: 0.5, loss: { id: 'logJaccard', aggregation: 'perImage' } },
          ],
        },
        'multiclass',
      ),
    ).toBe('Cross-entropy + 0.5 × −log mIoU (per image)');
    for (const p of PRESETS) expect(describeLoss(p.loss, p.task), p.key).not.toMatch(MACHINE);
  });

  it('tells apart runs that share a name by the options they differ in', () => {
    const specs = [
      { id: 'logJaccard', aggregation: 'perImage', smooth: 1, empty: 'keep' },
      { id: 'logJaccard', aggregation: 'perImage', smooth: 1, empty: 'keep', includeBackground: false },
      { id: 'ce' },
      { id: 'ce', weights: [1, 20, 20] },
    ].map((l) => resolveLoss(l));
    expect(runNames(specs, 'multiclass')).toEqual([
      '−log mIoU (background included)',
      '−log mIoU (background left out)',
      'Cross-entropy (unweighted)',
      'Cross-entropy (class weights 1, 20, 20)',
    ]);
    const twins = [{ id: 'bce' }, { id: 'softJaccard' }, { id: 'bce' }].map((l) => resolveLoss(l));
    expect(runNames(twins, 'binary')).toEqual(['Binary cross-entropy #1', '1 − IoU (soft Jaccard)', 'Binary cross-entropy #2']);
  });

  it('gives every run of every chapter’s race a name of its own that a person would write', () => {
    for (const chapter of CHAPTERS) {
      if (chapter.figure.kind !== 'race') continue;
      const task = taskOf(chapter.figure.config.data?.classes ?? 2);
      const names = runNames(
        (chapter.figure.config.losses ?? []).map((l) => resolveLoss(l)),
        task,
      );
      expect(new Set(names).size, chapter.slug).toBe(names.length);
      for (const n of names) expect(n, chapter.slug).not.toMatch(MACHINE);
      for (const n of names) expect(n, `${chapter.slug}: runs that differ in nothing`).not.toMatch(/#\d/);
    }
  });
});
