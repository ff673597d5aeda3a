// What the generated PyTorch functions take and how they start: PyTorch's NCHW layout (the engine's is NHWC), the
// docstring that says so, and the flattened (B, P, C) view the region losses reduce over.
import type { LossSpec, Task } from '../losses/lossDefinition';
import { definitionOf } from '../losses/registry';
import { optionsLine } from './optionWords';
import { IMPORT_F, IMPORT_TORCH } from './pySource';

export const TASK_WORDS: Record<Task, string> = { binary: 'binary', multiclass: 'multi-class' };

/** The arguments of every generated loss function, as torch.nn losses take them. */
export const LOSS_ARGS = ['logits', 'target'] as const;

export function layoutLine(task: Task, ignoreIndex?: number): string {
  if (task === 'binary') return 'logits: (B, 1, H, W); target: (B, 1, H, W) of 0 and 1.';
  const ignored = ignoreIndex === undefined ? '' : `, ${ignoreIndex} = ignored`;
  return `logits: (B, C, H, W); target: (B, H, W) class indices (long${ignored}).`;
}

/** The docstring: what the function computes, what goes in, and the options it was generated with. */
export function torchDoc(spec: LossSpec, task: Task, extra: readonly string[] = []): string[] {
  const options = optionsLine(spec, task);
  const ignore = typeof spec.ignoreIndex === 'number' ? spec.ignoreIndex : undefined;
  return [
    `${definitionOf(spec).name}, ${TASK_WORDS[task]}, as Seg Loss Playground computes it.`,
    '',
    layoutLine(task, ignore),
    ...(options ? [`Options: ${options}.`] : []),
    ...extra,
  ];
}

/**
 * Probabilities and one-hot targets as (B, P, C) (binary: C = 1), ignored pixels zeroed in both, so that one
 * reduction serves both tasks.
 */
export function flatView(task: Task, ignoreIndex: number): { lines: string[]; imports: string[] } {
  if (task === 'binary') {
    return {
      imports: [IMPORT_TORCH],
      lines: [
        'p = torch.sigmoid(logits).flatten(1).unsqueeze(-1)  # (B, P, 1): one class',
        'y = target.flatten(1).unsqueeze(-1).to(p.dtype)',
      ],
    };
  }
  return {
    imports: [IMPORT_TORCH, IMPORT_F],
    lines: [
      'num_classes = logits.shape[1]',
      `# Pixels labelled ${ignoreIndex} take no part: their p and y are 0.`,
      `valid = (target != ${ignoreIndex}).flatten(1).unsqueeze(-1).to(logits.dtype)  # (B, P, 1)`,
      'p = torch.softmax(logits, dim=1).flatten(2).transpose(1, 2) * valid  # (B, P, C)',
      `y = F.one_hot(target.masked_fill(target == ${ignoreIndex}, 0).flatten(1), num_classes).to(p.dtype) * valid`,
    ],
  };
}

/** The group sums' axes: one ratio over the batch (per class), or one per image (per class). */
export function groupAxes(aggregation: 'batch' | 'perImage'): string[] {
  return aggregation === 'batch'
    ? ['# batch: one score over the whole batch (per class): the sums come before the ratio.', 'dims = (0, 1)']
    : ['# perImage: one score per image (per class), then the mean.', 'dims = 1'];
}
