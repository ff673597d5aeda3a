// Every loss of the registry as a self-contained PyTorch function: which family's writer each definition uses,
// with the score shape and outcome its own file builds it from. src/code/torchFunction.test.ts fails for a loss
// of the registry that is missing here.
import { combo } from '../losses/combo';
import { bce, ce } from '../losses/crossEntropy';
import { focal } from '../losses/focal';
import { focalTversky } from '../losses/focalTversky';
import { generalizedDice } from '../losses/generalizedDice';
import type { LossDefinition, LossSpec, Task } from '../losses/lossDefinition';
import { lovaszHinge, lovaszSoftmax } from '../losses/lovasz';
import { logDice, logJaccard, softDice, softJaccard, tversky, type ScoreShape } from '../losses/region';
import { definitionOf } from '../losses/registry';
import { pyName, pySource, type PyProgram } from './pySource';
import { comboTorch } from './torchCombo';
import { generalizedDiceTorch } from './torchGeneralizedDice';
import { lovaszHingeTorch, lovaszSoftmaxTorch } from './torchLovasz';
import { bceTorch, ceTorch, focalTorch } from './torchPixel';
import { focalPowerPy, negLogPy, ONE_MINUS, regionTorch } from './torchRegion';

type Form<S> = (spec: S, task: Task, name: string, term: (spec: LossSpec) => PyProgram) => PyProgram;

const JACCARD: ScoreShape = { kind: 'jaccard', alpha: 0, beta: 0, squaredPred: false };
const dice = (squaredPred: boolean): ScoreShape => ({ kind: 'dice', alpha: 0, beta: 0, squaredPred });
const tverskyShape = (s: { alpha: number; beta: number }): ScoreShape => ({
  kind: 'tversky',
  alpha: s.alpha,
  beta: s.beta,
  squaredPred: false,
});
/** Focal Tversky's floor under 1 − TI (src/losses/focalTversky.ts). */
const FOCAL_TVERSKY_FLOOR = 1e-7;

const FORMS = new Map<LossDefinition<never>, Form<never>>();
function form<S extends LossSpec>(def: LossDefinition<S>, write: Form<S>): void {
  FORMS.set(def as unknown as LossDefinition<never>, write as Form<never>);
}

form(bce, bceTorch);
form(ce, ceTorch);
form(focal, focalTorch);
form(softJaccard, (s, task, name) => regionTorch(s, JACCARD, ONE_MINUS, task, name));
form(logJaccard, (s, task, name) => regionTorch(s, JACCARD, negLogPy(s.eps), task, name));
form(softDice, (s, task, name) => regionTorch(s, dice(s.squaredPred), ONE_MINUS, task, name));
form(logDice, (s, task, name) => regionTorch(s, dice(s.squaredPred), negLogPy(s.eps), task, name));
form(tversky, (s, task, name) => regionTorch(s, tverskyShape(s), s.log ? negLogPy(s.eps) : ONE_MINUS, task, name));
form(focalTversky, (s, task, name) => regionTorch(s, tverskyShape(s), focalPowerPy(s.gamma, FOCAL_TVERSKY_FLOOR), task, name));
form(generalizedDice, generalizedDiceTorch);
form(lovaszHinge, lovaszHingeTorch);
form(lovaszSoftmax, lovaszSoftmaxTorch);
form(combo, comboTorch);

/** Whether the registry's loss has a PyTorch form here. */
export const hasTorchForm = (def: LossDefinition): boolean => FORMS.has(def as unknown as LossDefinition<never>);

/**
 * The PyTorch program of a resolved loss for a task. Every distinct loss in it (a combination's terms) gets its
 * own function, named from its id and numbered when one id comes with different options.
 */
export function torchProgram(spec: LossSpec, task: Task): PyProgram {
  const names = new Map<string, string>();
  const used = new Set<string>();
  const nameFor = (s: LossSpec) => {
    const key = JSON.stringify(s);
    const known = names.get(key);
    if (known) return known;
    let name = pyName(s.id);
    for (let i = 2; used.has(name); i++) name = `${pyName(s.id)}_${i}`;
    used.add(name);
    names.set(key, name);
    return name;
  };
  const write = (s: LossSpec): PyProgram => {
    const def = definitionOf(s);
    const f = FORMS.get(def as unknown as LossDefinition<never>) as Form<LossSpec> | undefined;
    if (!f) throw new Error(`no PyTorch form for the loss '${s.id}' (add it to src/code/torchFunction.ts)`);
    return f(s, task, nameFor(s), write);
  };
  return write(spec);
}

/** The file to paste: imports and functions; call the last one. */
export const torchSource = (spec: LossSpec, task: Task): string => pySource(torchProgram(spec, task));
