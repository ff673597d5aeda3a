import type { LossInput } from '../losses/types';
import { findPreset, type Task } from '../losses';
import {
  bermanIoU,
  foregroundIoU,
  hardScore,
  torchmetricsBinaryJaccard,
  torchmetricsMeanIoU,
  torchmetricsMulticlassJaccard,
  type Average,
  type Confusion,
  type EmptyScore,
} from '../metrics';

const REGION: Record<string, LossInput> = {
  'soft_jaccard(1-IoU)': { id: 'softJaccard' },
  neg_log_jaccard: { id: 'logJaccard' },
  'soft_dice(1-D)': { id: 'softDice' },
  neg_log_dice: { id: 'logDice' },
};

const AGGREGATION: Record<string, 'batch' | 'perImage'> = { batch: 'batch', per_image: 'perImage' };

/**
 * The loss input a reference key stands for (README of the vectors: bce_mean → bce, …, /batch and /per_image →
 * aggregation, /empty=… → empty rule, smp.* and monai.* → presets). Undefined for a key this project does not know.
 */
export function lossForKey(key: string, task: Task, ignoreIndex: number | null): LossInput | undefined {
  const ignore = ignoreIndex ?? 255;
  if (key === 'bce_mean' && task === 'binary') return { id: 'bce' };
  if (key === 'ce_mean' && task === 'multiclass') return { id: 'ce', ignoreIndex: ignore };
  const focal = /^focal_gamma([\d.]+)(?:_alpha([\d.]+))?$/.exec(key);
  if (focal) return { id: 'focal', gamma: Number(focal[1]), alpha: focal[2] === undefined ? null : Number(focal[2]) };
  const region = /^(.+?)\/(batch|per_image)\/empty=(zero|skip|keep)$/.exec(key);
  if (region) {
    const tv = /^tversky_a([\d.]+)_b([\d.]+)$/.exec(region[1]);
    const base = tv ? { id: 'tversky', alpha: Number(tv[1]), beta: Number(tv[2]) } : REGION[region[1]];
    if (!base) return undefined;
    const extra = task === 'multiclass' ? { ignoreIndex: ignore } : {};
    return { ...base, aggregation: AGGREGATION[region[2]], empty: region[3], ...extra };
  }
  const hinge = /^lovasz_hinge\/(batch|per_image)$/.exec(key);
  if (hinge && task === 'binary') return { id: 'lovaszHinge', aggregation: AGGREGATION[hinge[1]] };
  const lsm = /^lovasz_softmax\(classes=(present|all)\)\/(batch|per_image)$/.exec(key);
  if (lsm && task === 'multiclass') {
    return { id: 'lovaszSoftmax', classes: lsm[1], aggregation: AGGREGATION[lsm[2]], ignoreIndex: ignore };
  }
  return findPreset(key, task)?.loss;
}

type MetricFn = (conf: Confusion) => number | number[];

/** The metric a reference key stands for, computed from the per-image confusion matrices. */
export function metricForKey(key: string, task: Task): MetricFn | undefined {
  const fg = /^hard_fg_iou\/(batch|per_image)\/empty=(exclude|one|zero)\b/.exec(key);
  if (fg && task === 'binary') return (c) => foregroundIoU(c, fg[1] === 'per_image', fg[2] as EmptyScore);
  const hard = /^hard_iou\/(macro|micro|none)\/(dataset|per_image)\/empty=(exclude|one|zero)$/.exec(key);
  if (hard) {
    return (c) =>
      hardScore(c, { overlap: 'iou', average: hard[1] as Average, perImage: hard[2] === 'per_image', empty: hard[3] as EmptyScore });
  }
  if (key.startsWith('torchmetrics.BinaryJaccardIndex') && task === 'binary') return torchmetricsBinaryJaccard;
  const tmMulti = /^torchmetrics\.MulticlassJaccardIndex\((?:C=\d+,)?(macro|micro|none)\)$/.exec(key);
  if (tmMulti) return (c) => torchmetricsMulticlassJaccard(c, tmMulti[1] as 'macro' | 'micro' | 'none');
  const meanIoU = /^torchmetrics\.MeanIoU(?:\((?:C=\d+,)?(include_background)?\))?$/.exec(key);
  if (meanIoU) return (c) => torchmetricsMeanIoU(c, true);
  if (/^berman\.iou\(EMPTY=1,per_image=False\)\/100$/.test(key)) return (c) => bermanIoU(c, 1);
  return undefined;
}
