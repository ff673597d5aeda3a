// The words the tour defines: each with a one-line definition and the place in the loss zoo that explains it (a
// loss of the registry, or the zoo's glossary). The tour links the first use of each in a chapter to that place;
// this module only finds the uses, so the page renders them as elements and never as HTML.
import { bce, ce } from '../losses/crossEntropy';
import { focal } from '../losses/focal';
import { lovaszHinge } from '../losses/lovasz';
import { logJaccard, softDice, softJaccard, tversky } from '../losses/region';

export interface Term {
  /** Stable: the zoo's anchor of a term without a loss of its own (`term-<key>`). */
  key: string;
  /** How the text writes it, matched whole and case-sensitive; the longest match wins where forms overlap. */
  forms: readonly string[];
  definition: string;
  /** The loss the zoo explains it under; without one the zoo's glossary holds it. */
  loss?: string;
}

export const GLOSSARY: readonly Term[] = [
  {
    key: 'iou',
    forms: ['IoU'],
    definition: 'Intersection over union: the pixels both predicted and labelled object, over those predicted or labelled object.',
  },
  {
    key: 'miou',
    forms: ['mIoU'],
    definition: 'Mean IoU: the IoU of each class, averaged over the classes, with or without the background.',
  },
  {
    key: 'logit',
    forms: ['logits', 'logit'],
    definition: 'The network’s raw output z for a pixel, before the sigmoid p = σ(z) = 1/(1 + e^−z) turns it into a probability.',
  },
  {
    key: 'surrogate',
    forms: ['surrogates', 'surrogate'],
    definition: 'A smooth loss trained in place of a metric that has no usable gradient, chosen so that lowering it raises the metric.',
  },
  {
    key: 'saturation',
    forms: ['saturation', 'saturates'],
    definition: 'A sigmoid near p = 0 or 1, where its slope p(1 − p) is almost 0: a gradient that passes through it almost vanishes.',
  },
  {
    key: 'hinge',
    forms: ['hinge errors', 'hinge error'],
    definition:
      'max(0, 1 − s·z) for a pixel of sign s = ±1: zero once the logit is right by a margin of 1, linear below it, so its slope never fades.',
    loss: lovaszHinge.id,
  },
  {
    key: 'dice',
    forms: ['Dice'],
    definition: 'The Dice score D = 2I / (|predicted| + |labelled|) = 2J / (1 + J) for an IoU J: it ranks predictions as the IoU does.',
    loss: softDice.id,
  },
  {
    key: 'focal',
    forms: ['focal loss'],
    definition:
      'Cross-entropy times (1 − p_t)^γ, p_t the probability of the true class: pixels already right count less (Lin et al. 2017).',
    loss: focal.id,
  },
  {
    key: 'bce',
    forms: ['BCE'],
    definition: 'Binary cross-entropy: −log p on object pixels and −log(1 − p) on background pixels, averaged over the pixels.',
    loss: bce.id,
  },
  {
    key: 'cross-entropy',
    forms: ['cross-entropy', 'log loss'],
    definition: 'Minus the log of the probability given to the true class, averaged over the pixels; BCE is its two-class form.',
    loss: ce.id,
  },
  { key: 'soft-jaccard', forms: ['1 − IoU'], definition: 'One minus the soft IoU, computed from probabilities.', loss: softJaccard.id },
  {
    key: 'log-jaccard',
    forms: ['−log IoU', '−log mIoU'],
    definition: 'Minus the log of the soft IoU: the same optimum as 1 − IoU, with its gradient divided by the IoU.',
    loss: logJaccard.id,
  },
  {
    key: 'lovasz',
    forms: ['Lovász hinge'],
    definition: 'Berman et al.’s convex surrogate of IoU: hinge errors sorted and weighted by how much each changes the IoU.',
    loss: lovaszHinge.id,
  },
  {
    key: 'tversky',
    forms: ['Tversky'],
    definition: 'A Dice with separate weights α on false positives and β on false negatives; α = β = 0.5 is Dice.',
    loss: tversky.id,
  },
];

/** Where the zoo explains a loss (the anchor of its entry). */
export const lossAnchor = (lossId: string): string => `loss-${lossId}`;

/** Where the zoo explains a term: its loss's entry, or its own entry in the zoo's glossary. */
export const termAnchor = (term: Term): string => (term.loss ? lossAnchor(term.loss) : `term-${term.key}`);

export type Segment = string | { term: Term; text: string };

// A form is a whole word: no letter, digit or slash may touch it (so 'IoU' is not found in 'mIoU' or '1/IoU').
const WORD = /[\p{L}\p{N}/]/u;
const wholeAt = (text: string, start: number, end: number) => !WORD.test(text[start - 1] ?? '') && !WORD.test(text[end] ?? '');

/**
 * A paragraph as text and the first use of each term not in `seen` (which it adds to), for linking. Where forms
 * overlap ('−log IoU' and 'IoU') the earliest, then the longest, is the one used.
 */
export function termSegments(text: string, seen: Set<string>, glossary: readonly Term[] = GLOSSARY): Segment[] {
  const found: { start: number; end: number; term: Term }[] = [];
  for (const term of glossary) {
    for (const form of term.forms) {
      for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) {
        if (wholeAt(text, i, i + form.length)) found.push({ start: i, end: i + form.length, term });
      }
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: Segment[] = [];
  let at = 0;
  let covered = 0;
  for (const f of found) {
    // A use inside a longer one ('IoU' in '1 − IoU') is part of that one, linked or not.
    if (f.start < covered) continue;
    covered = f.end;
    if (seen.has(f.term.key)) continue;
    seen.add(f.term.key);
    if (f.start > at) segments.push(text.slice(at, f.start));
    segments.push({ term: f.term, text: text.slice(f.start, f.end) });
    at = f.end;
  }
  if (at < text.length) segments.push(text.slice(at));
  return segments;
}
