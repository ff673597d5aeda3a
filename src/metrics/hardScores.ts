import { totalConfusion, type Confusion } from './confusionCounts';

export type Average = 'macro' | 'micro' | 'none';
/** What a class with TP + FP + FN = 0 scores: left out of the means, 1, or 0. */
export type EmptyScore = 'exclude' | 'one' | 'zero';
export type Overlap = 'iou' | 'dice';

export interface HardScoreOptions {
  overlap: Overlap;
  average: Average;
  /** false: one confusion over the dataset; true: per image, then the mean over images. */
  perImage: boolean;
  empty: EmptyScore;
  /** Classes that enter a macro mean (e.g. without background); all by default. */
  classes?: number[];
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function classCounts(m: ArrayLike<number>, k: number, c: number): Counts {
  let row = 0;
  let col = 0;
  for (let j = 0; j < k; j++) {
    row += m[c * k + j];
    col += m[j * k + c];
  }
  const tp = m[c * k + c];
  return { tp, fp: col - tp, fn: row - tp };
}

function ratio({ tp, fp, fn }: Counts, overlap: Overlap, empty: EmptyScore): number {
  const den = overlap === 'iou' ? tp + fp + fn : 2 * tp + fp + fn;
  if (den > 0) return (overlap === 'iou' ? tp : 2 * tp) / den;
  return empty === 'one' ? 1 : empty === 'zero' ? 0 : NaN;
}

/** Mean of the non-NaN entries; NaN when there are none. */
export function nanMean(xs: readonly number[]): number {
  let s = 0;
  let n = 0;
  for (const x of xs) {
    if (!Number.isNaN(x)) {
      s += x;
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** Scores of one confusion matrix: one per class ('none'/'macro') or a single micro score. */
function groupScores(m: Float64Array, k: number, o: HardScoreOptions): number[] {
  const all = Array.from({ length: k }, (_, c) => classCounts(m, k, c));
  if (o.average === 'micro') {
    const sum = all.reduce((a, b) => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn }));
    return [ratio(sum, o.overlap, o.empty)];
  }
  return all.map((c) => ratio(c, o.overlap, o.empty));
}

/**
 * Hard IoU or Dice with an explicit rule for every convention people mix up: dataset-level or per image,
 * macro, micro or per class, and what an empty class scores. NaN means "nothing to average".
 */
export function hardScore(conf: Confusion, o: HardScoreOptions): number | number[] {
  const k = conf.classes;
  const groups = o.perImage ? conf.images : [totalConfusion(conf)];
  const rows = groups.map((m) => groupScores(m, k, o));
  const chosen = (row: number[]) => (o.average === 'macro' && o.classes ? o.classes.map((c) => row[c]) : row);
  if (o.average === 'none') {
    return Array.from({ length: k }, (_, c) => nanMean(rows.map((r) => r[c])));
  }
  if (o.perImage) return nanMean(rows.map((r) => nanMean(chosen(r))));
  return nanMean(chosen(rows[0]));
}

/** IoU or Dice of every class of one K×K confusion (rows: target); NaN for a class with nothing to score. */
export function perClassScores(m: ArrayLike<number>, k: number, overlap: Overlap): number[] {
  return Array.from({ length: k }, (_, c) => ratio(classCounts(m, k, c), overlap, 'exclude'));
}

/** Foreground IoU of a binary confusion (class 1), dataset-level or the mean over images. */
export function foregroundIoU(conf: Confusion, perImage = false, empty: EmptyScore = 'exclude'): number {
  return (hardScore(conf, { overlap: 'iou', average: 'none', perImage, empty }) as number[])[1];
}
