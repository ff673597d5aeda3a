// A generated Python program: its imports and top-level functions, and the text they make. The PyTorch forms of
// the losses (torchFunction.ts) build these; a combination merges its terms' programs into one.

/** One top-level `def`, with its complete text. */
export interface PyDef {
  name: string;
  text: string;
}

/** Functions to paste into a file: `entry` is the one to call; `defs` holds it last and what it calls before it. */
export interface PyProgram {
  entry: string;
  imports: readonly string[];
  defs: readonly PyDef[];
}

export const IMPORT_TORCH = 'import torch';
export const IMPORT_F = 'import torch.nn.functional as F';

/** A number as Python writes it (JS and Python agree on finite numbers: 0.3, 1e-7, 2). */
export function py(x: number): string {
  if (Number.isNaN(x)) return 'float("nan")';
  if (!Number.isFinite(x)) return x > 0 ? 'float("inf")' : '-float("inf")';
  return String(x);
}

/** A float literal: `2.0` rather than `2`, for tensors that must be floating point. */
export const pyFloat = (x: number): string => (Number.isInteger(x) ? `${x}.0` : py(x));

export const pyList = (xs: readonly number[], item: (x: number) => string = py): string => `[${xs.map(item).join(', ')}]`;

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** A loss id as a Python function name: `logJaccard` → `log_jaccard_loss`. */
export const pyName = (id: string): string => `${id.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_loss`;

/**
 * A function's text: signature, docstring and body (lines without the function's indent; '' is a blank line).
 * Comments in the body say why a line is there; the docstring says what goes in.
 */
export function pyDef(name: string, args: readonly string[], doc: readonly string[], body: readonly string[]): PyDef {
  const indent = (l: string) => (l === '' ? '' : `    ${l}`);
  const docText = doc.length === 1 ? [`"""${doc[0]}"""`] : [`"""${doc[0]}`, ...doc.slice(1), '"""'];
  return { name, text: [`def ${name}(${args.join(', ')}):`, ...docText.map(indent), ...body.map(indent)].join('\n') };
}

/**
 * Programs merged into one, each function once and in order (helpers before their callers). Two different
 * functions of one name are a bug of the caller, which names combination terms apart (torchFunction.ts).
 */
export function mergePrograms(entry: PyDef, imports: readonly string[], parts: readonly PyProgram[]): PyProgram {
  const defs: PyDef[] = [];
  const add = (d: PyDef) => {
    const same = defs.find((x) => x.name === d.name);
    if (!same) defs.push(d);
    else if (same.text !== d.text) throw new Error(`two different Python functions named ${d.name}`);
  };
  for (const p of parts) p.defs.forEach(add);
  add(entry);
  const allImports = new Set([...parts.flatMap((p) => p.imports), ...imports]);
  return { entry: entry.name, imports: [...allImports], defs };
}

/** The program as a file: imports, then the functions two lines apart (PEP 8). */
export function pySource(program: PyProgram): string {
  const imports = [...program.imports].sort((a, b) => (a === IMPORT_TORCH ? -1 : b === IMPORT_TORCH ? 1 : a.localeCompare(b)));
  return `${[imports.join('\n'), ...program.defs.map((d) => d.text)].join('\n\n\n')}\n`;
}
