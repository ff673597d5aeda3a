// The region losses (1 − IoU, −log IoU, 1 − Dice, −log Dice, Tversky, Focal Tversky) as one PyTorch function,
// written out for the options given: the same score, groups, empty rule and clamp as src/losses/region.ts.
import type { LossSpec, Task } from '../losses/lossDefinition';
import type { RegionOptions, ScoreShape } from '../losses/region';
import { py, pyDef, pyList, type PyProgram } from './pySource';
import { flatView, groupAxes, LOSS_ARGS, torchDoc } from './torchLayout';

/** What turns a group's score into its loss, as Python lines that set `loss` from `score`. */
export type PyOutcome = readonly string[];

export const ONE_MINUS: PyOutcome = ['loss = 1 - score'];

export const negLogPy = (eps: number): PyOutcome =>
  eps > 0
    ? [
        '# −log: the gradient is divided by the score, large where 1 − score goes flat.',
        `loss = -torch.log(score.clamp_min(${py(eps)}))  # smp's clamp`,
      ]
    : ['# −log: the gradient is divided by the score, large where 1 − score goes flat.', 'loss = -torch.log(score)'];

/** (1 − TI)^γ with its base held at `floor` (the engine's), so that a perfect group keeps a finite gradient. */
export const focalPowerPy = (gamma: number, floor: number): PyOutcome => [
  `# (1 − TI)^γ; the base is held at ${py(floor)} (no gradient there), so a perfect group stays finite.`,
  `loss = (1 - score).clamp_min(${py(floor)}) ** ${py(gamma)}`,
];

const plus = (s: number) => (s === 0 ? '' : ` + ${py(s)}`);

function scoreLines(shape: ScoreShape, smooth: number, smoothDen: number): string[] {
  const lines = smooth === smoothDen ? [] : ['# Different smoothing on the two sides (MONAI smooth_nr, smooth_dr).'];
  if (shape.kind === 'jaccard') {
    return [...lines, '# Soft IoU: I / (Σp + Σy − I).', `num = inter${plus(smooth)}`, `den = sum_p + sum_y - inter${plus(smoothDen)}`];
  }
  if (shape.kind === 'dice') {
    return [...lines, '# Soft Dice: 2I / (Σp + Σy).', `num = 2 * inter${plus(smooth)}`, `den = sum_p + sum_y${plus(smoothDen)}`];
  }
  return [
    ...lines,
    `# Tversky: α = ${py(shape.alpha)} weighs the false positives Σ(1 − y)p, β = ${py(shape.beta)} the false negatives Σy(1 − p).`,
    `num = inter${plus(smooth)}`,
    `den = inter + ${py(shape.alpha)} * (sum_p - inter) + ${py(shape.beta)} * (sum_y - inter)${plus(smoothDen)}`,
  ];
}

/** The classes that enter the mean (multi-class only), or nothing when all of them do. */
function selectionLines(o: RegionOptions, task: Task): string[] {
  if (task === 'binary' || (o.classes === undefined && o.includeBackground)) return [];
  const lines: string[] = [];
  if (o.classes !== undefined) {
    lines.push(
      `# Only classes ${pyList(o.classes)} enter the mean.`,
      'selected = torch.zeros(num_classes, dtype=p.dtype, device=p.device)',
    );
    if (o.classes.length > 0) lines.push(`selected[${pyList(o.classes)}] = 1`);
  } else {
    lines.push('selected = torch.ones(num_classes, dtype=p.dtype, device=p.device)');
  }
  if (!o.includeBackground) lines.push('selected[0] = 0  # include background false: class 0 leaves the mean');
  return lines;
}

/** Which groups enter the mean and how many count, under the empty rule; then the loss and its mean. */
function meanLines(o: RegionOptions, selected: boolean, outcome: PyOutcome): string[] {
  const present = '(sum_y > 0).to(p.dtype)';
  const finite = [
    '# Groups out of the mean get score 1, so that their value and gradient stay finite.',
    'score = torch.where(weight > 0, score, torch.ones_like(score))',
  ];
  const mean = [...outcome, 'return (loss * weight).sum() / count'];
  if (o.empty === 'keep') {
    const rule = '# empty keep (MONAI): every group enters the mean as computed.';
    if (!selected) return [rule, ...outcome, 'return loss.mean()'];
    return [rule, 'weight = selected.expand_as(sum_y)', 'count = weight.sum().clamp_min(1)', ...finite, ...mean];
  }
  const weight = `weight = ${selected ? `selected * ${present}` : present}`;
  if (o.empty === 'skip') {
    return [
      '# empty skip: a group without target pixels leaves the mean; none left gives 0.',
      weight,
      'count = weight.sum().clamp_min(1)',
      ...finite,
      ...mean,
    ];
  }
  return [
    '# empty zero (smp): a group without target pixels adds 0 but counts in the mean.',
    weight,
    selected ? 'count = selected.expand_as(sum_y).sum().clamp_min(1)' : 'count = weight.numel()',
    ...finite,
    ...mean,
  ];
}

/** A region loss's PyTorch function for these options. */
export function regionTorch(spec: LossSpec & RegionOptions, shape: ScoreShape, outcome: PyOutcome, task: Task, name: string): PyProgram {
  const o = spec;
  const view = flatView(task, o.ignoreIndex);
  const selection = selectionLines(o, task);
  const body = [
    ...view.lines,
    ...groupAxes(o.aggregation),
    'inter = (p * y).sum(dims)',
    shape.squaredPred ? 'sum_p = (p * p).sum(dims)  # Σp² (V-Net, MONAI squared_pred)' : 'sum_p = p.sum(dims)',
    'sum_y = y.sum(dims)',
    ...scoreLines(shape, o.smooth, o.smoothDen ?? o.smooth),
    o.eps > 0 ? `score = num / den.clamp_min(${py(o.eps)})  # smp's clamp: no gradient where den < eps` : 'score = num / den',
    ...selection,
    ...meanLines(o, selection.length > 0, outcome),
  ];
  return { entry: name, imports: view.imports, defs: [pyDef(name, LOSS_ARGS, torchDoc(spec, task), body)] };
}
