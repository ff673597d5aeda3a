// The segmentation_models_pytorch or MONAI call that computes a loss, from the presets table: a preset whose loss
// resolves to the same options for the task is an exact call; a combination whose every term has one is the sum of
// those calls; a preset of the same loss with other options is a near call, with the options that differ. The
// preset's key is the call (`smp.DiceLoss(binary,log_loss=True)`).
import { combo } from '../losses/combo';
import type { LossSpec, Task } from '../losses/lossDefinition';
import { PRESETS, type LossPreset } from '../losses/presets';
import { definitionOf, lossInfo, resolveLoss } from '../losses/registry';
import { appliesTo, valueText } from './optionWords';
import { py, pyName } from './pySource';
import { layoutLine } from './torchLayout';

export interface LibraryCall {
  /** The presets it calls: one, or one per term of a combination. */
  presets: LossPreset[];
  /** "segmentation_models_pytorch", "MONAI", or both for a combination of both. */
  library: string;
  /** Python: the imports, the loss objects and their call on PyTorch's tensors. */
  code: string;
}

export interface NearCall extends LibraryCall {
  /** The options in which the library's loss differs from this one, in words. */
  differences: { label: string; library: string; yours: string }[];
}

/** `lib[>=version].Class(args) [remark]`, as the presets' keys are written. */
const KEY = /^(smp|monai)([<>]=[\d.]+)?\.(\w+)(?:\((.*)\))?(?:\s*\[(.+)\])?$/;

const LIBRARY_NAME = { smp: 'segmentation_models_pytorch', monai: 'MONAI' } as const;

/** Splits `a,b=[1,2],c` at the commas outside brackets. */
function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '[') depth++;
    else if (args[i] === ']') depth--;
    else if (args[i] === ',' && depth === 0) {
      out.push(args.slice(start, i));
      start = i + 1;
    }
  }
  if (args.length > 0) out.push(args.slice(start));
  return out.map((a) => a.trim());
}

/**
 * A keyword argument as Python writes it: smp's bare word is its `mode`, MONAI's a flag set to True; lists get
 * Python's spaces.
 */
function pyArgument(arg: string, library: 'smp' | 'monai'): string {
  const eq = arg.indexOf('=');
  if (eq < 0) return library === 'smp' ? `mode="${arg}"` : `${arg}=True`;
  return `${arg.slice(0, eq)}=${arg.slice(eq + 1).replace(/,(?=\S)/g, ', ')}`;
}

/** A preset as Python: its import, why it is what it is, the loss object, and how to call it. */
interface CallParts {
  preset: LossPreset;
  library: 'smp' | 'monai';
  importLine: string;
  comments: string[];
  make: string;
  args: string;
}

function callParts(preset: LossPreset): CallParts | undefined {
  const m = KEY.exec(preset.key);
  if (!m) return undefined;
  const library = m[1] as 'smp' | 'monai';
  const [, , version, cls, args, remark] = m;
  const call = `${cls}(${splitArgs(args ?? '')
    .map((a) => pyArgument(a, library))
    .join(', ')})`;
  return {
    preset,
    library,
    importLine: library === 'smp' ? 'import segmentation_models_pytorch as smp' : `from monai.losses import ${cls}`,
    comments: [
      ...(version ? [`${LIBRARY_NAME[library]} ${version.slice(0, 2)} ${version.slice(2)}`] : []),
      ...(remark ? [remark] : []),
      preset.note,
    ],
    make: library === 'smp' ? `smp.losses.${call}` : call,
    // MONAI takes multi-class labels with a channel: (B, 1, H, W).
    args: library === 'monai' && preset.task === 'multiclass' ? 'logits, target.unsqueeze(1)' : 'logits, target',
  };
}

const libraryOf = (parts: readonly CallParts[]) => [...new Set(parts.map((p) => LIBRARY_NAME[p.library]))].join(' and ');

/** The Python that makes and calls the preset's loss; undefined for a key not written as a call. */
export function presetCode(preset: LossPreset): string | undefined {
  const p = callParts(preset);
  if (!p) return undefined;
  return [
    p.importLine,
    '',
    `# ${layoutLine(preset.task)}`,
    ...p.comments.map((c) => `# ${c}`),
    `loss_fn = ${p.make}`,
    `loss = loss_fn(${p.args})${p.args.includes('unsqueeze') ? '  # MONAI takes the labels with a channel: (B, 1, H, W)' : ''}`,
  ].join('\n');
}

/** The spec as compared: sorted keys, no absent values, no option that means nothing for the task. */
function canonical(value: unknown, task: Task): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, task));
  if (typeof value !== 'object' || value === null) return value;
  const rec = value as Record<string, unknown>;
  const def = typeof rec.id === 'string' ? lossInfo(rec.id) : undefined;
  const idle = (k: string) => rec[k] === undefined || def?.params.some((f) => f.key === k && !appliesTo(f, task));
  return Object.fromEntries(
    Object.keys(rec)
      .filter((k) => !idle(k))
      .sort()
      .map((k) => [k, canonical(rec[k], task)]),
  );
}

const sameLoss = (a: LossSpec, b: LossSpec, task: Task) => JSON.stringify(canonical(a, task)) === JSON.stringify(canonical(b, task));

const presetsFor = (task: Task) =>
  PRESETS.filter((p) => p.task === task).flatMap((preset) => {
    const parts = callParts(preset);
    return parts ? [{ parts, spec: resolveLoss(preset.loss) }] : [];
  });

/** The presets that compute exactly this loss. */
const exactParts = (spec: LossSpec, task: Task): CallParts[] =>
  presetsFor(task)
    .filter((p) => sameLoss(p.spec, spec, task))
    .map((p) => p.parts);

interface ComboSpec extends LossSpec {
  terms: { weight: number; loss: LossSpec }[];
}

/**
 * A combination as the weighted sum of its terms' library losses, when every term has one; a term with both an
 * smp and a MONAI call takes the library the other terms use, so that one import serves where it can.
 */
function composedCall(spec: ComboSpec, task: Task): LibraryCall | undefined {
  const options = spec.terms.map((t) => exactParts(t.loss, task));
  if (options.some((o) => o.length === 0)) return undefined;
  const common = (['smp', 'monai'] as const).find((lib) => options.every((o) => o.some((p) => p.library === lib)));
  const chosen = options.map((o) => o.find((p) => p.library === common) ?? o[0]);
  const names = new Set<string>();
  const objects = chosen.map((p, i) => {
    const base = pyName(spec.terms[i].loss.id);
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return { name, ...p };
  });
  const sum = objects
    .map((o, i) => `${spec.terms[i].weight === 1 ? '' : `${py(spec.terms[i].weight)} * `}${o.name}(${o.args})`)
    .join(' + ');
  return {
    presets: chosen.map((p) => p.preset),
    library: libraryOf(chosen),
    code: [
      ...new Set(chosen.map((p) => p.importLine)),
      '',
      `# ${layoutLine(task)}`,
      '# Each term is a library loss; the sum is the combination.',
      ...objects.flatMap((o) => [...o.comments.map((c) => `# ${c}`), `${o.name} = ${o.make}`]),
      `loss = ${sum}`,
    ].join('\n'),
  };
}

/** The library calls that compute exactly this loss (several when smp and MONAI agree). */
export function libraryCalls(spec: LossSpec, task: Task): LibraryCall[] {
  const own = exactParts(spec, task).map((p) => ({ presets: [p.preset], library: LIBRARY_NAME[p.library], code: presetCode(p.preset)! }));
  if (own.length > 0 || definitionOf(spec) !== combo) return own;
  const composed = composedCall(spec as ComboSpec, task);
  return composed ? [composed] : [];
}

/** Library calls of the same loss with other options, and what differs; none when an exact call exists. */
export function nearCalls(spec: LossSpec, task: Task): NearCall[] {
  if (libraryCalls(spec, task).length > 0) return [];
  const def = definitionOf(spec);
  if (def.parts) return [];
  return presetsFor(task)
    .filter((p) => p.spec.id === spec.id)
    .map(({ parts, spec: theirs }) => ({
      presets: [parts.preset],
      library: LIBRARY_NAME[parts.library],
      code: presetCode(parts.preset)!,
      differences: def.params
        .filter((f) => appliesTo(f, task) && JSON.stringify(theirs[f.key]) !== JSON.stringify(spec[f.key]))
        .map((f) => ({ label: f.label, library: valueText(theirs[f.key] ?? 'not set'), yours: valueText(spec[f.key] ?? 'not set') })),
    }));
}
