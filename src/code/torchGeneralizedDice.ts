// Generalised Dice (Sudre et al. 2017) as a PyTorch function, with MONAI's weights as src/losses/generalizedDice.ts
// computes them: fixed by the targets, an absent class taking the largest weight of its image (or of the batch).
import type { LossSpec, Task } from '../losses/lossDefinition';
import { py, pyDef, type PyProgram } from './pySource';
import { flatView, groupAxes, LOSS_ARGS, torchDoc } from './torchLayout';

interface GeneralizedDiceSpec extends LossSpec {
  weighting: 'square' | 'simple' | 'uniform';
  aggregation: 'batch' | 'perImage';
  smooth: number;
  smoothDen?: number;
  ignoreIndex: number;
}

const WEIGHTS: Record<GeneralizedDiceSpec['weighting'], string[]> = {
  square: ['w = 1 / safe_y**2  # w_c = 1/(Σy_c)²'],
  simple: ['w = 1 / safe_y  # w_c = 1/Σy_c'],
  uniform: ['w = torch.ones_like(sum_y)  # w_c = 1'],
};

export function generalizedDiceTorch(spec: GeneralizedDiceSpec, task: Task, name: string): PyProgram {
  const view = flatView(task, spec.ignoreIndex);
  const smoothDen = spec.smoothDen ?? spec.smooth;
  const plus = (s: number) => (s === 0 ? '' : ` + ${py(s)}`);
  const body = [
    ...view.lines,
    ...groupAxes(spec.aggregation),
    'inter = (p * y).sum(dims)',
    'sum_p = p.sum(dims)',
    'sum_y = y.sum(dims)',
    '# Class weights from the targets alone; an absent class, whose weight would be infinite, takes the largest',
    '# finite weight of its image (of the batch with aggregation batch).',
    'present = sum_y > 0',
    'safe_y = torch.where(present, sum_y, torch.ones_like(sum_y))',
    ...WEIGHTS[spec.weighting],
    'w = torch.where(present, w, torch.zeros_like(w))',
    'w = torch.where(present, w, w.amax(-1, keepdim=True).expand_as(w))',
    `num = 2 * (w * inter).sum(-1)${plus(spec.smooth)}`,
    `den = (w * (sum_p + sum_y)).sum(-1)${plus(smoothDen)}`,
    'return (1 - num / den).mean()',
  ];
  return { entry: name, imports: view.imports, defs: [pyDef(name, LOSS_ARGS, torchDoc(spec, task), body)] };
}
