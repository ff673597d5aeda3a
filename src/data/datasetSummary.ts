import type { ImportedDataset, MaskKind } from './importedData';

/** What an import holds, in the numbers a reader checks first (the page's summary table, the CLIs' data line). */
export interface DatasetSummary {
  pairs: number;
  /** Pairs a train/ folder puts in training, a val/ folder in validation, and those left to the seeded split. */
  train: number;
  val: number;
  unsplit: number;
  /** The smallest and the largest image by area, [width, height]. */
  minSize: [number, number];
  maxSize: [number, number];
  channels: 1 | 3;
  /** Classes, background included. */
  classes: number;
  /** Share of all mask pixels that are not background. */
  foreground: number;
  /** Share of the pairs whose mask is all background. */
  emptyShare: number;
  maskKind: MaskKind;
}

export function summarize(imported: ImportedDataset): DatasetSummary {
  const { pairs } = imported;
  const count = (split: 'train' | 'val' | null) => pairs.filter((p) => p.split === split).length;
  let minSize: [number, number] = [0, 0];
  let maxSize: [number, number] = [0, 0];
  let labelled = 0;
  let pixels = 0;
  let empty = 0;
  pairs.forEach((p, i) => {
    const area = p.width * p.height;
    if (i === 0 || area < minSize[0] * minSize[1]) minSize = [p.width, p.height];
    if (i === 0 || area > maxSize[0] * maxSize[1]) maxSize = [p.width, p.height];
    let fg = 0;
    for (let j = 0; j < p.labels.length; j++) if (p.labels[j] !== 0) fg++;
    labelled += fg;
    pixels += p.labels.length;
    if (fg === 0) empty++;
  });
  return {
    pairs: pairs.length,
    train: count('train'),
    val: count('val'),
    unsplit: count(null),
    minSize,
    maxSize,
    channels: imported.channels,
    classes: imported.classes,
    foreground: pixels > 0 ? labelled / pixels : 0,
    emptyShare: pairs.length > 0 ? empty / pairs.length : 0,
    maskKind: imported.maskKind,
  };
}
