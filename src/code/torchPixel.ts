// The pixel losses (BCE, cross-entropy, focal) as PyTorch functions, with the conventions of
// src/losses/crossEntropy.ts and focal.ts: the mean over the counted pixels, torch's weighted mean for class weights.
import type { LossSpec, Task } from '../losses/lossDefinition';
import { IMPORT_F, IMPORT_TORCH, py, pyDef, pyFloat, pyList, type PyProgram } from './pySource';
import { LOSS_ARGS, torchDoc } from './torchLayout';

const program = (spec: LossSpec, task: Task, name: string, body: string[]): PyProgram => ({
  entry: name,
  imports: [IMPORT_TORCH, IMPORT_F],
  defs: [pyDef(name, LOSS_ARGS, torchDoc(spec, task), body)],
});

const onDevice = 'dtype=logits.dtype, device=logits.device';

export function bceTorch(spec: LossSpec & { posWeight: number }, task: Task, name: string): PyProgram {
  const w = spec.posWeight;
  const body =
    w === 1
      ? [
          '# The mean over pixels of −[y·log σ(z) + (1 − y)·log(1 − σ(z))], computed stably from the logits.',
          'return F.binary_cross_entropy_with_logits(logits, target.to(logits.dtype))',
        ]
      : [
          `# The mean over pixels of −[w₊·y·log σ(z) + (1 − y)·log(1 − σ(z))]: w₊ = ${py(w)} is torch's pos_weight.`,
          `pos_weight = torch.tensor(${pyFloat(w)}, ${onDevice})`,
          'return F.binary_cross_entropy_with_logits(logits, target.to(logits.dtype), pos_weight=pos_weight)',
        ];
  return program(spec, task, name, body);
}

export function ceTorch(spec: LossSpec & { weights?: number[]; ignoreIndex: number }, task: Task, name: string): PyProgram {
  const ignore = spec.ignoreIndex;
  const weightArg = spec.weights ? `weight=torch.tensor(${pyList(spec.weights, pyFloat)}), ` : '';
  const body = [
    `# torch's weighted mean Σ w_y·ℓ / Σ w_y over the pixels not labelled ${ignore}; a batch with none of them gives 0`,
    `# where F.cross_entropy(logits, target, ${weightArg}ignore_index=${ignore}) gives NaN.`,
    `valid = target != ${ignore}`,
    'labels = target.masked_fill(~valid, 0)',
    'nll = F.cross_entropy(logits, labels, reduction="none")  # (B, H, W)',
    spec.weights
      ? `weight = torch.tensor(${pyList(spec.weights, pyFloat)}, ${onDevice})[labels] * valid  # each pixel its class's weight`
      : 'weight = valid.to(logits.dtype)',
    'return (weight * nll).sum() / weight.sum().clamp_min(1e-12)',
  ];
  return program(spec, task, name, body);
}

interface FocalSpec extends LossSpec {
  gamma: number;
  alpha: number | null;
  activation: 'softmax' | 'sigmoid';
  classReduce: 'sum' | 'mean';
  ignoreIndex: number;
}

/** Lin et al.'s term on sigmoid probabilities, y the (one-hot) target: α_t (1 − p_t)^γ (−log p_t). */
function sigmoidTerms(gamma: number, alpha: number | null): string[] {
  return [
    's = 2 * y - 1  # +1 on the target, −1 elsewhere: p_t = σ(s·z)',
    ...(gamma === 0
      ? ['terms = -F.logsigmoid(s * logits)  # γ = 0: cross-entropy']
      : [
          '# (1 − p_t)^γ as exp(γ·log σ(−s·z)): finite, with a finite gradient, where p_t rounds to 1.',
          `terms = torch.exp(${py(gamma)} * F.logsigmoid(-s * logits)) * -F.logsigmoid(s * logits)`,
        ]),
    ...(alpha === null ? [] : [`terms = terms * (${py(alpha)} * y + (1 - ${py(alpha)}) * (1 - y))  # α_t`]),
  ];
}

export function focalTorch(spec: FocalSpec, task: Task, name: string): PyProgram {
  const { gamma, alpha, ignoreIndex: ignore } = spec;
  if (task === 'binary') {
    return program(spec, task, name, ['y = target.to(logits.dtype)', ...sigmoidTerms(gamma, alpha), 'return terms.mean()']);
  }
  const softmax = [
    'log_p = F.log_softmax(logits, dim=1)',
    ...(gamma === 0
      ? ['terms = -y * log_p  # γ = 0: cross-entropy']
      : [
          '# (1 − p_c)^γ turns down the pixels already predicted well.',
          `terms = -y * (1 - log_p.exp()).clamp_min(0) ** ${py(gamma)} * log_p`,
        ]),
    ...(alpha === null
      ? []
      : [
          `alpha = torch.full((num_classes,), ${py(alpha)}, ${onDevice})`,
          `alpha[0] = 1 - ${py(alpha)}  # α for the object classes, 1 − α for the background`,
          'terms = terms * alpha.view(1, -1, 1, 1)',
        ]),
  ];
  const sigmoid = ['# One-vs-rest: a sigmoid focal term per class on the raw logits (smp multiclass).', ...sigmoidTerms(gamma, alpha)];
  const body = [
    'num_classes = logits.shape[1]',
    `valid = (target != ${ignore}).unsqueeze(1).to(logits.dtype)  # (B, 1, H, W): pixels labelled ${ignore} take no part`,
    `y = F.one_hot(target.masked_fill(target == ${ignore}, 0), num_classes).permute(0, 3, 1, 2).to(logits.dtype) * valid`,
    ...(spec.activation === 'softmax' ? softmax : sigmoid),
    'per_pixel = terms.sum(1, keepdim=True) * valid',
    ...(spec.classReduce === 'sum'
      ? [
          '# sum: the per-class terms add up (smp ≤ 0.5); then the mean over the counted pixels.',
          'return per_pixel.sum() / valid.sum().clamp_min(1)',
        ]
      : [
          '# mean: the mean over the one-hot tensor, so also ÷ C (MONAI).',
          'return per_pixel.sum() / (valid.sum().clamp_min(1) * num_classes)',
        ]),
  ];
  return program(spec, task, name, body);
}
