// What lint cannot see of the import graph, because it follows one import at a time or values only:
//   - no two files of the engine or the page import each other, even through types (import-x/no-cycle follows
//     value imports, and the layers in eslint.config.js only keep folders apart);
//   - the page's main thread never loads tfjs, through any chain of value imports: the engine runs in the worker,
//     which the page starts by its address, not by an import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXTENSIONS = ['.ts', '.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return EXTENSIONS.some((x) => e.name.endsWith(x)) ? [path] : [];
  });
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The file a relative import names (as the bundler resolves it), or null for a package or a non-source file. */
function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = join(dirname(from), specifier);
  const candidates = [base, ...EXTENSIONS.map((x) => base + x), ...EXTENSIONS.map((x) => join(base, `index${x}`))];
  return candidates.find((c) => EXTENSIONS.some((x) => c.endsWith(x)) && isFile(c)) ?? null;
}

/** Every file's imports, type-only and dynamic ones included. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = importedFiles.map((i) => resolveImport(file, i.fileName)).filter((t): t is string => t !== null);
      return [file, [...new Set(targets)]];
    }),
  );
}

const onlyTypes = (clause: ts.NamedImportBindings | ts.NamedExportBindings | undefined) =>
  clause !== undefined && (ts.isNamedImports(clause) || ts.isNamedExports(clause)) && clause.elements.every((e) => e.isTypeOnly);

const valueImportsOf = new Map<string, string[]>();

/** The modules a file loads when it runs: imports and re-exports of values, and dynamic imports (a lazy view). */
function valueImports(file: string): string[] {
  const known = valueImportsOf.get(file);
  if (known) return known;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (!clause.name && onlyTypes(clause.namedBindings)));
      if (!typeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly && !onlyTypes(node.exportClause)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) specifiers.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  valueImportsOf.set(file, specifiers);
  return specifiers;
}

/** The chain of value imports from `entry` to a module `loadsIt` accepts (a file or a package), or null. */
function valueChain(entry: string, loadsIt: (module: string) => boolean): string[] | null {
  const via = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const specifier of valueImports(file)) {
      const target = resolveImport(file, specifier) ?? specifier;
      if (via.has(target)) continue;
      via.set(target, file);
      if (loadsIt(target)) {
        const chain = [target];
        for (let at = via.get(target); at; at = via.get(at)) chain.unshift(at);
        return chain.map((f) => (f.startsWith(ROOT) ? relative(ROOT, f) : f));
      }
      if (target.startsWith(ROOT)) queue.push(target);
    }
  }
  return null;
}

/** The strongly connected groups of more than one file, or of one file that imports itself (Tarjan). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('the import graph', () => {
  it('finds a cycle of two files and leaves a chain alone', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', []],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b']]);
  });

  it('src/ and app/ have none, type imports included', () => {
    const files = ['src', 'app'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const cycles = cyclesOf(importGraph(files)).map((group) => group.map((f) => relative(ROOT, f)));
    expect(files.length).toBeGreaterThan(100);
    expect(cycles).toEqual([]);
  });

  it('the page never loads tfjs on its main thread', () => {
    const tfjs = (module: string) => module.startsWith('@tensorflow/') || module === join(ROOT, 'src', 'tf.ts');
    const entries = sourceFiles(join(ROOT, 'app')).filter((f) => !/\.test\.tsx?$/.test(f));
    expect(entries.length).toBeGreaterThan(20);
    const chains = entries.map((entry) => valueChain(entry, tfjs)).filter((chain) => chain !== null);
    expect(chains).toEqual([]);
  });

  it('finds such a chain where there is one: the worker’s entry loads tfjs', () => {
    expect(valueChain(join(ROOT, 'src', 'worker', 'engineWorker.ts'), (m) => m.startsWith('@tensorflow/'))).not.toBeNull();
  });
});
