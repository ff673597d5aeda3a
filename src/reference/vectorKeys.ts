import { findPreset, LOSSES, type LossInput, type Task } from '../losses';
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

/**
 * The loss input a reference key stands for (README of the vectors: bce_mean → bce, …, /batch and /per_image →
 * aggregation, /empty=… → empty rule, smp.* and monai.* → presets). Each loss reads its own keys; undefined for a
 * key this project does not know.
 */
export function lossForKey(key: string, task: Task, ignoreIndex: number | null): LossInput | undefined {
  const ignore = ignoreIndex ?? 255;
  for (const loss of LOSSES) {
    const input = loss.vectorKey?.(key, task, ignore);
    if (input) return input;
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
