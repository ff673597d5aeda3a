// The Lovász losses (Berman et al. 2018) as PyTorch functions, ranked as src/losses/lovasz.ts ranks them: hinge
// errors on binary logits, |y − p| per class on softmax probabilities.
import type { LossSpec, Task } from '../losses/lossDefinition';
import { IMPORT_F, IMPORT_TORCH, pyDef, type PyDef, type PyProgram } from './pySource';
import { LOSS_ARGS, torchDoc } from './torchLayout';

/** Berman's Alg. 1, row by row: the weight of each sorted error is how much the Jaccard loss grows with it. */
const LOVASZ_GRAD: PyDef = pyDef(
  'lovasz_grad',
  ['gt_sorted'],
  ['Weights of errors sorted in decreasing order (Berman et al. 2018, Alg. 1), one row per ranking.'],
  [
    'total = gt_sorted.sum(-1, keepdim=True)',
    'inter = total - gt_sorted.cumsum(-1)',
    'union = total + (1 - gt_sorted).cumsum(-1)',
    'jaccard = 1 - inter / union',
    'return torch.cat([jaccard[..., :1], jaccard[..., 1:] - jaccard[..., :-1]], dim=-1)',
  ],
);

type Aggregation = 'batch' | 'perImage';

export function lovaszHingeTorch(spec: LossSpec & { aggregation: Aggregation }, task: Task, name: string): PyProgram {
  const rows =
    spec.aggregation === 'batch'
      ? ['# batch: one ranking over the whole batch (smp default).', 'z = logits.reshape(1, -1)', 'y = target.reshape(1, -1).to(z.dtype)']
      : [
          '# perImage: one ranking per image, then the mean (Berman default).',
          'z = logits.flatten(1)',
          'y = target.flatten(1).to(z.dtype)',
        ];
  const body = [
    ...rows,
    'errors = 1 - z * (2 * y - 1)  # hinge errors',
    'errors_sorted, order = torch.sort(errors, dim=-1, descending=True)',
    'weights = lovasz_grad(torch.gather(y, -1, order))  # depend on the ranking only: no gradient',
    'return (F.relu(errors_sorted) * weights).sum(-1).mean()',
  ];
  return { entry: name, imports: [IMPORT_TORCH, IMPORT_F], defs: [LOVASZ_GRAD, pyDef(name, LOSS_ARGS, torchDoc(spec, task), body)] };
}

interface LovaszSoftmaxSpec extends LossSpec {
  classes: 'present' | 'all';
  aggregation: Aggregation;
  ignoreIndex: number;
}

export function lovaszSoftmaxTorch(spec: LovaszSoftmaxSpec, task: Task, name: string): PyProgram {
  const ignore = spec.ignoreIndex;
  const rows =
    spec.aggregation === 'batch'
      ? [
          '# batch: one ranking per class over the whole batch (Berman default): a row per class.',
          'rows = lambda t: t.transpose(0, 1).reshape(C, -1)',
        ]
      : ['# perImage: one ranking per (image, class), then the mean over the images.', 'rows = lambda t: t.reshape(B * C, -1)'];
  const body = [
    'B, C = logits.shape[:2]',
    'probs = torch.softmax(logits, dim=1).flatten(2)  # (B, C, P)',
    'labels = target.flatten(1)',
    `valid = (labels != ${ignore}).unsqueeze(1).expand_as(probs).to(probs.dtype)  # pixels labelled ${ignore} take no part`,
    `fg = F.one_hot(labels.masked_fill(labels == ${ignore}, 0), C).transpose(1, 2).to(probs.dtype) * valid`,
    ...rows,
    'errors, fg, valid = rows((fg - probs).abs() * valid), rows(fg), rows(valid)',
    '# Ignored pixels are ranked last with no error, which is the same as leaving them out.',
    'ranked = torch.where(valid > 0, errors, -torch.ones_like(errors))',
    'order = torch.sort(ranked, dim=-1, descending=True).indices',
    'per_class = (torch.gather(errors, -1, order) * lovasz_grad(torch.gather(fg, -1, order))).sum(-1).reshape(-1, C)',
    spec.classes === 'present'
      ? 'used = (fg.sum(-1).reshape(-1, C) > 0).to(probs.dtype)  # present: the classes in the targets'
      : 'used = torch.ones_like(per_class)  # all: every class, present or not',
    'return ((per_class * used).sum(-1) / used.sum(-1).clamp_min(1)).mean()',
  ];
  return { entry: name, imports: [IMPORT_TORCH, IMPORT_F], defs: [LOVASZ_GRAD, pyDef(name, LOSS_ARGS, torchDoc(spec, task), body)] };
}
