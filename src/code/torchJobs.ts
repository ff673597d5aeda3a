// What `npm run torch:check` checks: the generated PyTorch functions on the reference vectors' inputs, against
// the reference's float64 values and logit gradients, and every option of every loss against this engine.
import type { LossSpec, Task } from '../losses/lossDefinition';
import { LOSSES, lossesWithin, resolveLoss } from '../losses/registry';
import { ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE } from '../reference/parity';
import { flatten, toNumber, type VectorFile } from '../reference/vectorFile';
import { lossForKey } from '../reference/vectorKeys';
import { optionVariants } from './optionVariants';
import type { TorchAnswer } from './torchHarness';

/** One case of the vectors in PyTorch's layout (NCHW, flattened row-major: the reference's own order). */
export interface TorchInput {
  caseName: string;
  task: Task;
  shape: number[];
  labelShape?: number[];
  logits: number[];
  target: number[];
  /** The ignore label of a multi-class case, if it has one. */
  ignoreIndex: number | null;
}

export interface Expected {
  value: number;
  grad?: number[];
}

export interface CheckRow {
  /** "mixed smp.JaccardLoss(binary)" or "mc_mixed Focal loss: γ 0". */
  label: string;
  spec: LossSpec;
  task: Task;
  input: TorchInput;
  /** From the reference; the engine's rows get theirs from the engine. */
  want?: Expected;
}

export function torchInputs(doc: VectorFile): TorchInput[] {
  return [
    ...(doc.binary_cases ?? []).map((c): TorchInput => {
      const [b, h, w] = c.shape;
      return { caseName: c.name, task: 'binary', shape: [b, 1, h, w], logits: c.logits.flat(), target: c.target.flat(), ignoreIndex: null };
    }),
    ...(doc.multiclass_cases ?? []).map((c): TorchInput => {
      const [b, k, h, w] = c.shape;
      return {
        caseName: c.name,
        task: 'multiclass',
        shape: [b, k, h, w],
        labelShape: [b, h, w],
        logits: c.logits.flat(2),
        target: c.labels.flat(),
        ignoreIndex: c.ignore_index,
      };
    }),
  ];
}

/** Every loss key of the vectors with its reference value and gradient; keys this project does not know are left out. */
export function referenceRows(doc: VectorFile): CheckRow[] {
  const cases = [...(doc.binary_cases ?? []), ...(doc.multiclass_cases ?? [])];
  return torchInputs(doc).flatMap((input, i) =>
    Object.entries(cases[i].losses).flatMap(([key, entry]) => {
      const loss = lossForKey(key, input.task, input.ignoreIndex);
      if (!loss) return [];
      const want = { value: toNumber(entry.value), grad: entry.grad === undefined ? undefined : flatten(entry.grad) };
      return [{ label: `${input.caseName} ${key}`, spec: resolveLoss(loss), task: input.task, input, want }];
    }),
  );
}

/** Whether every label is a class or the ignore label of every loss within `spec`. */
function labelsFit(spec: LossSpec, input: TorchInput): boolean {
  if (input.task === 'binary') return true;
  const classes = input.shape[1];
  // A combination has no ignore label of its own: its terms have.
  const ignores = lossesWithin(spec)
    .map((w) => w.loss.ignoreIndex)
    .filter((ig) => ig !== undefined);
  return input.target.every((l) => (l >= 0 && l < classes) || ignores.every((ig) => ig === l));
}

/** Every option set of every loss (optionVariants) on every case of its task whose labels suit it. */
export function optionRows(inputs: readonly TorchInput[]): CheckRow[] {
  return LOSSES.flatMap((def) =>
    def.tasks.flatMap((task) => {
      const ofTask = inputs.filter((i) => i.task === task);
      const classes = ofTask[0]?.shape[1] ?? 2;
      return optionVariants(def, task, classes).flatMap((v) => {
        let spec: LossSpec;
        try {
          spec = resolveLoss(v.input);
        } catch {
          return [];
        }
        return ofTask
          .filter((i) => labelsFit(spec, i))
          .map((input) => ({ label: `${input.caseName} ${def.name}: ${v.label}`, spec, task, input }));
      });
    }),
  );
}

function close(got: number, want: number): boolean {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= Math.max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * Math.abs(want));
}

/** Why PyTorch's answer misses the expected one (the first element off), or undefined when it matches. */
export function answerMiss(answer: TorchAnswer, want: Expected): string | undefined {
  if ('error' in answer) return answer.error;
  const value = toNumber(answer.value);
  if (!close(value, want.value)) return `value got ${value} want ${want.value}`;
  if (!want.grad) return undefined;
  const grad = answer.grad.map(toNumber);
  if (grad.length !== want.grad.length) return `grad: ${grad.length} numbers, want ${want.grad.length}`;
  const i = grad.findIndex((g, j) => !close(g, want.grad![j]));
  return i < 0 ? undefined : `grad[${i}] got ${grad[i]} want ${want.grad[i]}`;
}
