import { totalConfusion, type Confusion } from './confusionCounts';

/** torchmetrics BinaryJaccardIndex: TP/(TP+FP+FN) over the dataset, and 0 (not 1) when both are empty. */
export function torchmetricsBinaryJaccard(conf: Confusion): number {
  const m = totalConfusion(conf);
  const tp = m[3];
  const den = m[1] + m[2] + m[3];
  return den ? tp / den : 0;
}

/**
 * torchmetrics MulticlassJaccardIndex (>= 1.0): dataset confusion; 'macro' gives weight 0 to classes absent from
 * both predictions and targets; 'none' scores them 0; 'micro' is ΣTP/ΣU.
 */
export function torchmetricsMulticlassJaccard(conf: Confusion, average: 'macro' | 'micro' | 'none'): number | number[] {
  const k = conf.classes;
  const m = totalConfusion(conf);
  const rowSum = (c: number) => Array.from({ length: k }, (_, j) => m[c * k + j]).reduce((a, b) => a + b, 0);
  const colSum = (c: number) => Array.from({ length: k }, (_, j) => m[j * k + c]).reduce((a, b) => a + b, 0);
  const num = Array.from({ length: k }, (_, c) => m[c * k + c]);
  const den = num.map((tp, c) => rowSum(c) + colSum(c) - tp);
  if (average === 'micro') {
    const d = den.reduce((a, b) => a + b, 0);
    return d ? num.reduce((a, b) => a + b, 0) / d : 0;
  }
  const jac = num.map((tp, c) => (den[c] ? tp / den[c] : 0));
  if (average === 'none') return jac;
  const w = num.map((_, c): number => (rowSum(c) + colSum(c) > 0 ? 1 : 0));
  const wsum = w.reduce((a, b) => a + b, 0);
  return wsum ? jac.reduce((a, j, c) => a + j * w[c], 0) / wsum : NaN;
}

/** torchmetrics segmentation MeanIoU: every (image, class) pair with a non-empty union, averaged. */
export function torchmetricsMeanIoU(conf: Confusion, includeBackground = true): number {
  const k = conf.classes;
  let total = 0;
  let n = 0;
  for (const m of conf.images) {
    for (let c = includeBackground ? 0 : 1; c < k; c++) {
      let union = -m[c * k + c];
      for (let j = 0; j < k; j++) union += m[c * k + j] + m[j * k + c];
      if (union > 0) {
        total += m[c * k + c] / union;
        n++;
      }
    }
  }
  return n ? total / n : NaN;
}

/** Berman's lovasz_losses.iou over the dataset, as a fraction: per-class IoU, `emptyValue` for an empty union. */
export function bermanIoU(conf: Confusion, emptyValue = 1): number[] {
  const k = conf.classes;
  const m = totalConfusion(conf);
  return Array.from({ length: k }, (_, c) => {
    let union = -m[c * k + c];
    for (let j = 0; j < k; j++) union += m[c * k + j] + m[j * k + c];
    return union ? m[c * k + c] / union : emptyValue;
  });
}
