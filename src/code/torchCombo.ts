// A combination of losses as PyTorch: each term's own function, then one that adds them with their weights.
import type { LossSpec, Task } from '../losses/lossDefinition';
import { lossName } from '../losses/registry';
import { mergePrograms, py, pyDef, type PyProgram } from './pySource';
import { LOSS_ARGS, torchDoc } from './torchLayout';

interface ComboSpec extends LossSpec {
  terms: { weight: number; loss: LossSpec }[];
}

/** `term(spec)` is the PyTorch program of one loss, named apart from the others of the same program. */
export function comboTorch(spec: ComboSpec, task: Task, name: string, term: (spec: LossSpec) => PyProgram): PyProgram {
  const parts = spec.terms.map((t) => ({ weight: t.weight, program: term(t.loss) }));
  const sum = parts.map((p) => `${p.weight === 1 ? '' : `${py(p.weight)} * `}${p.program.entry}(logits, target)`).join(' + ');
  const words = spec.terms.map((t) => `${py(t.weight)} × ${lossName(t.loss)}`).join(' + ');
  const entry = pyDef(name, LOSS_ARGS, torchDoc(spec, task, [`Terms: ${words}.`]), [`return ${sum}`]);
  return mergePrograms(
    entry,
    [],
    parts.map((p) => p.program),
  );
}
